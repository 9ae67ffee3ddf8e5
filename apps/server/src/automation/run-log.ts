import { isJoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { automationDb } from './automation-tables.ts';

/** What one action of a run did. */
export interface ActionOutcome {
  readonly index: number;
  readonly type: string;
  /** `done`, `queued` (a job will do it), `skipped`; a queued webhook later `delivered`/`failed`. */
  readonly status: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** An error as the run log keeps it: the catalogue code when there is one, and the message. */
export interface RunError {
  readonly code: string | null;
  readonly message: string;
}

/** One run of one rule. */
export interface RunEntry {
  readonly id: string;
  readonly ruleId: string;
  readonly appId: string;
  readonly trigger: Readonly<Record<string, unknown>>;
  readonly chain: readonly string[];
  readonly matched: boolean;
  /** `succeeded`, `failed`, `skipped` (condition false) or `stopped` (already in the chain). */
  readonly status: 'succeeded' | 'failed' | 'skipped' | 'stopped';
  readonly actions: readonly ActionOutcome[];
  readonly error: RunError | null;
  readonly startedAt: Date;
  readonly durationMs: number;
}

/** Describes any thrown value for the run log (never a stack: the log is shown to admins). */
export function runError(error: unknown): RunError {
  if (isJoineryError(error)) return { code: error.code, message: error.message };
  return { code: null, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Appends a run to the log. Pass the triggering transaction for runs that commit with it, or the
 * pool for failed runs whose transaction is rolling back (so the failure stays visible).
 */
export async function appendRun(db: Kysely<JoineryDatabase>, run: RunEntry): Promise<void> {
  await automationDb(db)
    .insertInto('joinery.automation_runs')
    .values({
      id: run.id,
      rule_id: run.ruleId,
      app_id: run.appId,
      trigger: JSON.stringify(run.trigger),
      chain: JSON.stringify(run.chain),
      matched: run.matched,
      status: run.status,
      actions: JSON.stringify(run.actions),
      error: run.error === null ? null : JSON.stringify(run.error),
      started_at: run.startedAt,
      duration_ms: Math.round(run.durationMs),
    })
    .execute();
}
