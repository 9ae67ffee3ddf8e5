import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  type AutomationEvent,
  type LogicContext,
  matchRule,
  type RecordData,
} from '@joinery/rules';
import { JoineryError } from '@joinery/shared';
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import type { RecordBody } from '../records/record-values.ts';
import type { WriteContext } from '../records/record-writer.ts';
import { type ActionScope, recordKey, runAction, type Subject } from './automation-actions.ts';
import type { AutomationListener, RecordChange, WorkflowStep } from './automation-hooks.ts';
import {
  formIsWatched,
  formWatched,
  rulesForForm,
  rulesForWorkflowEvents,
  type StoredRule,
} from './automation-rule.repository.ts';
import { automationDb } from './automation-tables.ts';
import { readRecord, recordData } from './read-record.ts';
import { type ActionOutcome, appendRun, runError } from './run-log.ts';
import { workflowEvents } from './workflow-events.ts';

/** How many rules deep a chain may go (a rule whose action triggers a rule… counts one each). */
export const MAX_CHAIN_DEPTH = 5;

/** The chain a piece of code runs in: the rules above it, and the records they rewrote. */
interface ChainScope {
  readonly chain: readonly string[];
  readonly latest: Map<string, RecordBody>;
}

/**
 * The current chain follows the async flow of a run: an action's write reaches `RecordWriter`,
 * whose hook comes back here inside the same async context and so sees the rules above it.
 */
const chainScope = new AsyncLocalStorage<ChainScope>();

/** What a run is about, besides the rule. */
export interface RunInput {
  readonly event: AutomationEvent;
  readonly subject: Subject | undefined;
  readonly data: unknown;
  readonly old: RecordData | null;
  readonly next: RecordData | null;
  readonly write: WriteContext;
  /** For the run log: what happened, in a few fields. */
  readonly trigger: Readonly<Record<string, unknown>>;
}

/** The outcome of one run, as the inbound webhook answers it. */
export interface RunResult {
  readonly runId: string;
  readonly status: 'succeeded' | 'failed' | 'skipped' | 'stopped';
}

/**
 * Executes automation rules. Record and workflow triggers arrive through the hooks, inside the
 * triggering transaction, and every action that changes data runs there: a failing action
 * rolls the triggering write back (its failure is still logged, through the pool). Chains are
 * bounded: a rule already running higher up the chain is stopped (logged as `stopped`), and a
 * chain deeper than `MAX_CHAIN_DEPTH` fails with `JNY_AUTOMATION_CHAIN_TOO_DEEP`.
 */
export class AutomationRuntime implements AutomationListener {
  constructor(
    private readonly deps: {
      readonly db: Kysely<JoineryDatabase>;
      readonly forms: FormRegistry;
      readonly clock: Clock;
      readonly logger: Pick<Logger, 'warn' | 'error'>;
    },
  ) {}

  async onRecordChange(
    trx: Kysely<JoineryDatabase>,
    forms: FormRegistry,
    change: RecordChange,
  ): Promise<RecordBody | undefined> {
    const scope = chainScope.getStore();
    const key = recordKey(change.form, change.record.id);
    if (scope) scope.latest.set(key, change.record);
    if (change.kind === 'restored') return scope?.latest.get(key);
    const rules = await rulesForForm(trx, change.form.appId, change.form.formKey);
    if (rules.length === 0) return scope?.latest.get(key);
    const latest = scope?.latest ?? new Map<string, RecordBody>();
    const next = change.kind === 'deleted' ? null : recordData(change.record);
    const old = change.old ? recordData(change.old) : null;
    const formKey = change.form.formKey;
    const event: AutomationEvent =
      change.kind === 'created'
        ? { kind: 'record.created', form: formKey, record: next ?? {} }
        : change.kind === 'updated'
          ? { kind: 'record.updated', form: formKey, old: old ?? {}, record: next ?? {} }
          : { kind: 'record.deleted', form: formKey, old: old ?? {} };
    const input: RunInput = {
      event,
      subject: change.kind === 'deleted' ? undefined : { form: change.form, id: change.record.id },
      data: next ?? old,
      old,
      next,
      write: change.context,
      trigger: { kind: event.kind, form: formKey, recordId: change.record.id },
    };
    for (const stored of rules) {
      await this.run(trx, forms, stored, input, scope?.chain ?? [], latest);
    }
    return latest.get(key);
  }

  async watches(db: Kysely<JoineryDatabase>, form: PublishedForm): Promise<boolean> {
    return formIsWatched(db, form.appId, form.formKey);
  }

  watchedSql(form: PublishedForm): RawBuilder<SqlBool> {
    return formWatched(form.appId, form.formKey);
  }

  async onWorkflowStep(trx: Kysely<JoineryDatabase>, step: WorkflowStep): Promise<void> {
    const events = workflowEvents(step);
    if (events.length === 0) return;
    const rules = await rulesForWorkflowEvents(trx, step.record.app);
    if (rules.length === 0) return;
    const form = await this.deps.forms.get(step.record.app, step.record.form, trx);
    const record = await readRecord(trx, form, step.record.recordId);
    const data = record ? recordData(record) : null;
    const scope = chainScope.getStore();
    const latest = scope?.latest ?? new Map<string, RecordBody>();
    const userId = step.actor ?? record?.owner ?? record?.createdBy ?? null;
    for (const { name, details } of events) {
      const event: AutomationEvent = {
        kind: 'workflow.event',
        workflow: step.workflow,
        event: name,
        ...(data ? { record: data } : {}),
      };
      for (const stored of rules) {
        const write = this.#systemWrite(userId ?? stored.createdBy);
        await this.run(
          trx,
          this.deps.forms,
          stored,
          {
            event,
            subject: record ? { form, id: record.id } : undefined,
            data,
            old: null,
            next: data,
            write,
            trigger: {
              kind: 'workflow.event',
              workflow: step.workflow,
              event: name,
              instanceId: step.instanceId,
              recordId: step.record.recordId,
              ...details,
            },
          },
          scope?.chain ?? [],
          latest,
        );
      }
    }
  }

  /**
   * Runs one rule outside any record write (a schedule, an inbound webhook) in its own
   * transaction, with `alongside` (e.g. queueing a schedule's next occurrence) in the same one.
   * A failure rolls the run's changes back, is logged, and is rethrown.
   */
  async runAlone(
    stored: StoredRule,
    input: Omit<RunInput, 'write'>,
    userId: string | null,
    alongside?: (trx: Kysely<JoineryDatabase>) => Promise<unknown>,
  ): Promise<RunResult> {
    const runId = randomUUID();
    await this.deps.db.transaction().execute(async (trx) => {
      const write = this.#systemWrite(userId);
      await this.run(trx, this.deps.forms, stored, { ...input, write }, [], new Map(), runId);
      await alongside?.(trx);
    });
    const row = await automationDb(this.deps.db)
      .selectFrom('joinery.automation_runs')
      .select('status')
      .where('id', '=', runId)
      .executeTakeFirst();
    return { runId, status: (row?.status ?? 'skipped') as RunResult['status'] };
  }

  /**
   * Runs one rule for a system trigger inside the caller's transaction (a date-relative firing,
   * whose ledger entry commits or rolls back with the run). A failure is logged and rethrown.
   */
  async runWithin(
    trx: Kysely<JoineryDatabase>,
    stored: StoredRule,
    input: Omit<RunInput, 'write'>,
    userId: string | null,
    runId: string,
  ): Promise<void> {
    const write = this.#systemWrite(userId);
    await this.run(trx, this.deps.forms, stored, { ...input, write }, [], new Map(), runId);
  }

  /** The forms the runtime writes through (date-relative scans read the same ones). */
  get forms(): FormRegistry {
    return this.deps.forms;
  }

  /** A write context for system runs: attributed to a user when one is known. */
  #systemWrite(userId: string | null): WriteContext {
    const now = this.deps.clock.now();
    const id = userId ?? '00000000-0000-0000-0000-000000000000';
    return {
      userId: id,
      locale: 'en',
      now,
      user: { id },
      utcOffsetMinutes: this.deps.clock.utcOffsetMinutes,
    };
  }

  /** One rule against one event: trigger, chain bounds, condition, actions, run log. */
  private async run(
    trx: Kysely<JoineryDatabase>,
    forms: FormRegistry,
    stored: StoredRule,
    input: RunInput,
    chain: readonly string[],
    latest: Map<string, RecordBody>,
    runId: string = randomUUID(),
  ): Promise<void> {
    const now = input.write.now;
    const { utcOffsetMinutes } = this.deps.clock;
    const eventContext = { user: input.write.user, now, utcOffsetMinutes };
    if (!matchRule(stored.triggerOnly, input.event, eventContext)) return;
    const startedAt = new Date();
    const began = performance.now();
    const entry = (
      status: 'succeeded' | 'failed' | 'skipped' | 'stopped',
      matched: boolean,
      actions: readonly ActionOutcome[],
      error: unknown,
    ) => ({
      id: runId,
      ruleId: stored.id,
      appId: stored.appId,
      trigger: input.trigger,
      chain,
      matched,
      status,
      actions,
      error: error === null ? null : runError(error),
      startedAt,
      durationMs: performance.now() - began,
    });
    if (chain.includes(stored.id)) {
      await appendRun(
        trx,
        entry('stopped', false, [], new Error('the rule already runs higher up this chain')),
      );
      return;
    }
    if (chain.length >= MAX_CHAIN_DEPTH) {
      const error = new JoineryError('JNY_AUTOMATION_CHAIN_TOO_DEEP', {
        limit: MAX_CHAIN_DEPTH,
        chain: [...chain, stored.id].join(' → '),
      });
      await this.logFailure(entry('failed', false, [], error));
      throw error;
    }
    const logic: LogicContext = {
      user: input.write.user,
      now,
      utcOffsetMinutes,
      old: input.old,
      new: input.next,
    };
    if (!matchRule(stored.rule, input.event, eventContext)) {
      await appendRun(trx, entry('skipped', false, [], null));
      return;
    }
    const done: ActionOutcome[] = [];
    const inner: ChainScope = { chain: [...chain, stored.id], latest };
    try {
      await chainScope.run(inner, async () => {
        for (const [index, action] of stored.rule.actions.entries()) {
          const scope: ActionScope = {
            trx,
            forms,
            stored,
            runId,
            triggerKind: input.event.kind,
            subject: input.subject,
            data: input.data,
            logic,
            write: input.write,
            chain: inner.chain,
            latest,
          };
          done.push(await runAction(scope, action, index));
        }
      });
    } catch (error) {
      await this.logFailure(entry('failed', true, done, error));
      throw error;
    }
    await appendRun(trx, entry('succeeded', true, done, null));
  }

  /** Logs a failed run through the pool: its own transaction is about to roll back. */
  private async logFailure(run: Parameters<typeof appendRun>[1]): Promise<void> {
    try {
      await appendRun(this.deps.db, run);
    } catch (error) {
      this.deps.logger.error({ err: error, run }, 'automation run could not be logged');
    }
  }
}

/**
 * Runs `work` as part of an existing chain (a job that continues a run after its transaction
 * committed, e.g. a workflow start): the rules it triggers count from where the chain was.
 */
export function runInChain<T>(chain: readonly string[], work: () => Promise<T>): Promise<T> {
  return chainScope.run({ chain, latest: new Map() }, work);
}
