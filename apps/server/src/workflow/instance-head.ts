import { sql } from 'kysely';
import { workflowRulesExist } from '../automation/automation-rule.repository.ts';
import type { RecordSnapshot } from './workflow-records.ts';

/**
 * What a step reads of its instance (`joinery.workflow_instances as i`): the locked read of
 * `WorkflowRuntime`, and the unlocked read an action's route makes with its task.
 */
export const INSTANCE_HEAD = [
  'i.definition_id',
  'i.app',
  'i.form',
  'i.record_id',
  'i.state',
  'i.status',
  'i.outcome',
  'i.version',
  'i.finished_at',
] as const;

/**
 * Read with the instance: the organisation's version (the cached snapshot is reused while
 * equal) and whether automation rules listen to this app's workflow events (else no rule query).
 */
export function instanceHeadExtras() {
  return [
    sql<number>`(SELECT version FROM joinery.org_version)`.as('org_version'),
    workflowRulesExist(sql.ref('i.app')).as('workflow_rules'),
  ];
}

/** An instance's row as `INSTANCE_HEAD` and `instanceHeadExtras` read it. */
export interface InstanceHead {
  readonly definition_id: string;
  readonly app: string;
  readonly form: string;
  readonly record_id: string;
  readonly state: unknown;
  readonly status: string;
  readonly outcome: string | null;
  readonly version: number;
  readonly finished_at: Date | null;
  readonly org_version: number;
  readonly workflow_rules: boolean;
}

/**
 * What an action's caller read before acting, each in its own statement and without a lock:
 * the instance (then its record — so the record is at least as new as the instance's last
 * step), and whether the caller's idempotency key was already used. With it, `act` tries the
 * step as one statement that writes only if the instance is still at the version read.
 */
export interface SeenInstance {
  readonly instance: InstanceHead;
  readonly keyUsed: boolean;
  /** The record as the engine sees it; undefined once deleted. */
  readonly record: RecordSnapshot | undefined;
}
