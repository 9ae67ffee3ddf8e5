import { randomUUID } from 'node:crypto';
import type { DateRelativeTrigger, RecordData } from '@joinery/rules';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { attachRelated } from '../records/record-reader.ts';
import { rowToRecord } from '../records/record-values.ts';
import type { StoredRule } from './automation-rule.repository.ts';
import type { AutomationRuntime } from './automation-runtime.ts';
import { automationDb } from './automation-tables.ts';
import { queueDateRetry } from './date-trigger-retry-queue.ts';
import { recordData } from './read-record.ts';

/** What the scans and firings of date-relative rules run with. */
export interface DateRuleDeps {
  readonly db: Kysely<JoineryDatabase>;
  readonly clock: Clock;
  readonly automation: AutomationRuntime;
  readonly logger: Pick<Logger, 'warn'>;
}

/** A record (or subform row) a scan found due, with the date value it is due for. */
export interface DueSubject {
  readonly subjectId: string;
  readonly recordId: string;
  readonly occurrence: string;
}

/**
 * Claims the occurrence in the ledger (as fired, or as `retrying` after a failed run); false when
 * it was decided already.
 */
async function claim(
  db: Kysely<JoineryDatabase>,
  stored: StoredRule,
  subject: DueSubject,
  runId: string,
  now: Date,
  status?: 'retrying',
): Promise<boolean> {
  const claimed = await automationDb(db)
    .insertInto('joinery.automation_date_firings')
    .values({
      rule_id: stored.id,
      subject_id: subject.subjectId,
      occurrence: subject.occurrence,
      run_id: runId,
      fired_at: now,
      ...(status ? { status } : {}),
    })
    .onConflict((c) => c.doNothing())
    .returning('run_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/**
 * What the rule reads for a due subject, from the record locked in `trx`: the record, or the row
 * with the record as `$parent`. Undefined when the record was deleted, the row removed or the date
 * moved since the scan read it (a moved date is its own occurrence).
 */
async function lockedData(
  trx: Kysely<JoineryDatabase>,
  deps: { readonly automation: AutomationRuntime },
  form: PublishedForm,
  trigger: DateRelativeTrigger,
  subject: DueSubject,
): Promise<RecordData | undefined> {
  // Table identifiers come from published metadata; the id is a bound parameter.
  const found = await sql<Record<string, unknown>>`
    select * from ${sql.id(form.table.schema, form.table.table)}
    where id = ${subject.recordId} and deleted_at is null for update`.execute(trx);
  const row = found.rows[0];
  if (!row) return undefined;
  const record = rowToRecord(row, form.table.columns);
  if (trigger.subform === undefined) {
    return record.values[trigger.field] === subject.occurrence ? recordData(record) : undefined;
  }
  await attachRelated(trx, deps.automation.forms, form, [record], new Set([trigger.subform]));
  const rows = (record.values[trigger.subform] as Record<string, unknown>[] | null) ?? [];
  const item = rows.find((r) => r.id === subject.subjectId);
  if (item?.[trigger.field] !== subject.occurrence) return undefined;
  return { ...item, $parent: recordData(record) };
}

/**
 * Runs the rule for a due subject in `trx`, whose ledger entry the caller claimed or locked: the
 * record is locked and read first; false when it no longer holds the date (nothing to run).
 */
export async function runDateRule(
  trx: Kysely<JoineryDatabase>,
  deps: DateRuleDeps,
  stored: StoredRule,
  form: PublishedForm,
  trigger: DateRelativeTrigger,
  subject: DueSubject,
  runId: string,
  claimed: (trx: Kysely<JoineryDatabase>) => Promise<boolean>,
): Promise<boolean> {
  const data = await lockedData(trx, deps, form, trigger, subject);
  if (!data || !(await claimed(trx))) return false;
  await deps.automation.runWithin(
    trx,
    stored,
    {
      event: { kind: 'date.relative', ruleId: stored.id, record: data },
      subject: {
        form,
        id: subject.recordId,
        ...(trigger.subform ? { row: { subform: trigger.subform, id: subject.subjectId } } : {}),
      },
      data,
      old: null,
      next: data,
      trigger: {
        kind: 'date.relative',
        form: trigger.form,
        recordId: subject.recordId,
        ...(trigger.subform ? { subform: trigger.subform, rowId: subject.subjectId } : {}),
        date: subject.occurrence,
      },
    },
    stored.createdBy,
    runId,
  );
  return true;
}

/**
 * Fires a date-relative rule for one due subject, exactly once: in one transaction, lock the
 * record, check it still holds the date, claim the occurrence in the ledger and run the rule (the
 * condition is evaluated now, by the compiled JSON-logic). A crash rolls all of it back and the
 * next scan (or the retried job) fires it. A run that fails is logged by the runtime; the
 * occurrence is then recorded as `retrying` and a retry job queued (`queueDateRetry`), so the
 * scans leave it alone and only that job runs it again, a bounded number of times.
 */
export async function fireDateRule(
  deps: DateRuleDeps,
  stored: StoredRule,
  form: PublishedForm,
  trigger: DateRelativeTrigger,
  subject: DueSubject,
): Promise<void> {
  const runId = randomUUID();
  try {
    await deps.db
      .transaction()
      .execute((trx) =>
        runDateRule(trx, deps, stored, form, trigger, subject, runId, (t) =>
          claim(t, stored, subject, runId, deps.clock.now()),
        ),
      );
  } catch (error) {
    deps.logger.warn({ err: error, rule: stored.id, subject }, 'date-relative run failed');
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      if (await claim(trx, stored, subject, runId, now, 'retrying')) {
        await queueDateRetry(trx, stored.id, subject, 2, now);
      }
    });
  }
}
