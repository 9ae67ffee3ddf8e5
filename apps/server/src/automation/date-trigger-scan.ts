import { type DateRelativeTrigger, dueFieldDates } from '@joinery/rules';
import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import type { DateScanJobPayload } from './automation-job-payloads.ts';
import { ruleById, type StoredRule } from './automation-rule.repository.ts';
import { scheduleJobKey } from './automation-schedule.ts';
import { automationDb } from './automation-tables.ts';
import { type DateRuleDeps, type DueSubject, fireDateRule } from './date-trigger-fire.ts';
import { scheduleDateScan } from './date-trigger-schedule.ts';

/**
 * How far back each scan looks again beyond the previous one: a record written just after a scan
 * with a date whose firing time had just passed (or whose write committed after the scan read)
 * still fires, at the next scan. The ledger keeps the overlap from firing anything twice.
 */
const LOOK_BACK_MS = 86_400_000;

/** Subjects read per query: a catch-up over many days pages through them. */
const PAGE = 500;

/**
 * Why a scan rather than one job per record: a job per record (1M installments × each rule) must
 * be added, moved and removed by every write of the date — including imports and COPY loads that
 * bypass the record hooks — and back-filled for every existing record when a rule is created.
 * Firing times of a date rule all fall on one local time a day, so one job per rule runs then and
 * reads the records whose date is due with one indexable equality on the date column (the rows
 * due that day, whatever the table's size); the ledger `automation_date_firings` makes each
 * firing exactly-once and stays small (pruned past the look-back). A moved date is simply read at
 * its new value; a deleted record is not read.
 */
export async function scanDateRule(deps: DateRuleDeps, job: DateScanJobPayload): Promise<void> {
  const { db } = deps;
  const found = await ruleById(db, job.ruleId);
  if (!found?.enabled || found.stored.revision !== job.revision) return;
  const { stored } = found;
  const trigger = stored.rule.trigger;
  if (trigger.kind !== 'date.relative') return;
  const until = deps.clock.now();
  const dates = dueFieldDates(trigger, new Date(job.after), until);
  const form = await deps.automation.forms.get(stored.appKey, trigger.form);
  let from: DueSubject | undefined;
  for (;;) {
    const page = await dueSubjects(db, stored, form, trigger, dates, from);
    for (const subject of page) await fireDateRule(deps, stored, form, trigger, subject);
    from = page.at(-1);
    if (page.length < PAGE) break;
  }
  await db.transaction().execute(async (trx) => {
    const oldest = dates[0];
    if (oldest !== undefined) {
      await automationDb(trx)
        .deleteFrom('joinery.automation_date_firings')
        .where('rule_id', '=', stored.id)
        .where('occurrence', '<', oldest)
        .execute();
    }
    const after = new Date(until.getTime() - LOOK_BACK_MS);
    await scheduleDateScan(trx, scheduleJobKey(stored.id), { ...stored, trigger }, until, after);
  });
}

/**
 * The records (or subform rows of live records) whose date is one of `dates` and that the rule
 * has not decided yet, in (date, id) order after `from`.
 */
async function dueSubjects(
  db: Kysely<JoineryDatabase>,
  stored: StoredRule,
  form: PublishedForm,
  trigger: DateRelativeTrigger,
  dates: readonly string[],
  from: DueSubject | undefined,
): Promise<DueSubject[]> {
  if (dates.length === 0) return [];
  const { schema, table } = form.table;
  const child = form.table.subforms.find((s) => s.field.key === trigger.subform);
  // Identifiers come from the published form (the field was checked when the rule was saved);
  // every value is a bound parameter.
  const source = child
    ? sql`${sql.id(schema, child.table)} s join ${sql.id(schema, table)} p
          on p.id = s.parent_id and p.deleted_at is null`
    : sql`${sql.id(schema, table)} s`;
  const recordId = child ? sql`s.parent_id` : sql`s.id`;
  const date = sql`s.${sql.id(trigger.field)}`;
  const after = from
    ? sql`and (${date}, s.id) > (${from.occurrence}::date, ${from.subjectId}::uuid)`
    : sql``;
  const live = child ? sql`` : sql`and s.deleted_at is null`;
  const rows = await sql<DueSubject>`
    select s.id::text as "subjectId", ${recordId}::text as "recordId",
           to_char(${date}, 'YYYY-MM-DD') as occurrence
    from ${source}
    where ${date} = any(${dates}::date[]) ${live} ${after}
      and not exists (select 1 from joinery.automation_date_firings f
                      where f.rule_id = ${stored.id} and f.occurrence = ${date}
                        and f.subject_id = s.id)
    order by ${date}, s.id
    limit ${PAGE}`.execute(db);
  return rows.rows;
}
