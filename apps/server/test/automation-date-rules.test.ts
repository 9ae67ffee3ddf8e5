import { addDays, localDate } from '@joinery/rules';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOMATION_DATE_SCAN_JOB } from '../src/automation/automation-job-payloads.ts';
import { enqueueJob } from '../src/jobs/job-queue.ts';
import {
  APP,
  api,
  createRecord,
  disable,
  getRecord,
  publishCrm,
  rule,
  runs,
} from './automation-kit.ts';
import { label } from './records-fixture.ts';
import { WorkflowKit } from './workflow-kit.ts';

// Date-relative triggers (per record and per subform row, exactly once, on the real job queue and
// the test clock), the refuse action and task deadlines.

const DAY = 86_400;
let k: WorkflowKit;
let today: string;

beforeAll(async () => {
  k = await WorkflowKit.create({ worker: true });
  await publishCrm(k);
  await k.form(APP, 'loan', [
    { id: 'l1', key: 'name', type: 'text', label: label('name') },
    { id: 'l2', key: 'due', type: 'date', label: label('due') },
    {
      id: 'l3',
      key: 'status',
      type: 'text',
      label: label('status'),
      validations: { maxLength: 8 },
    },
    { id: 'l4', key: 'amount', type: 'number', label: label('amount') },
    {
      id: 'l5',
      key: 'rows',
      type: 'subform',
      label: label('rows'),
      fields: [
        { id: 'r1', key: 'due', type: 'date', label: label('due') },
        { id: 'r2', key: 'state', type: 'text', label: label('state') },
      ],
    },
  ]);
  // Date rules scan daily at 01:00 UTC (09:00 in Beijing), and a scan prunes the ledger of
  // dates it has looked past. The tests start at 03:00 UTC, whatever the time they run at: the
  // first test's retries (1 h 45 min after its scan) then end before the next scan.
  const clock = await api(k)('GET', '/api/test/clock');
  const now = new Date(clock.json().now as string);
  const start = new Date(now);
  start.setUTCHours(3, 0, 0, 0);
  if (start <= now) start.setUTCDate(start.getUTCDate() + 1);
  await k.advanceClock(Math.ceil((start.getTime() - now.getTime()) / 1000));
  today = localDate(start, 'Asia/Shanghai');
}, 60_000);
afterAll(async () => {
  await k?.close();
});

const loan = async (values: Record<string, unknown>) => {
  const response = await createRecord(k, 'loan', values);
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: string }).id;
};
/** The ledger entry of a rule's occurrence for a record. */
const ledger = async (ruleId: string, subjectId: string) =>
  (
    await sql<{ status: string; attempts: number }>`
      select status, attempts from joinery.automation_date_firings
      where rule_id = ${ruleId} and subject_id = ${subjectId}`.execute(k.database.db)
  ).rows;
const patch = async (id: string, values: Record<string, unknown>) => {
  const current = await getRecord(k, 'loan', id);
  return api(k)('PATCH', `/api/apps/${APP}/forms/loan/records/${id}`, {
    version: current.version,
    values,
  });
};

describe('date-relative triggers', () => {
  it('fire once per record the day after the date, at fire time: moved, deleted, paid and failing records too', async () => {
    const r = await rule(k, {
      name: 'overdue the day after',
      trigger: { kind: 'date.relative', form: 'loan', field: 'due', offsetDays: 1 },
      condition: { '!=': [{ var: 'status' }, 'paid'] },
      actions: [
        { type: 'set_fields', values: { status: { cat: ['late', { var: 'name' }] } } },
        { type: 'open_task', title: 'Chase {name}', deadline: { field: 'due', days: 3 } },
      ],
    });
    const view = (await api(k)('GET', `/api/apps/${APP}/automation-rules/${r.id}`)).json();
    expect(view.nextRunAt).toMatch(/T01:00:00\.000Z$/);
    const due = addDays(today, 2);
    const late = await loan({ name: 'A', due, status: 'open' });
    const paid = await loan({ name: 'B', due, status: 'open' });
    const moved = await loan({ name: 'C', due, status: 'open' });
    const gone = await loan({ name: 'D', due, status: 'open' });
    const failing = await loan({ name: 'E-long', due, status: 'open' });
    expect((await patch(paid, { status: 'paid' })).statusCode).toBe(200);
    expect((await patch(moved, { due: addDays(today, 10) })).statusCode).toBe(200);
    expect((await api(k)('DELETE', `/api/apps/${APP}/forms/loan/records/${gone}`)).statusCode).toBe(
      200,
    );

    await k.advanceClock(5 * DAY);
    const status = async (id: string) => (await getRecord(k, 'loan', id)).values.status;
    expect(await status(late)).toBe('lateA');
    expect(await status(paid)).toBe('paid');
    expect(await status(moved)).toBe('open');
    expect(await status(failing)).toBe('open');
    const log = await runs(k, r.id);
    expect(
      log.map((run) => `${run.status}:${run.trigger.recordId === late ? 'A' : ''}`).sort(),
    ).toEqual(['failed:', 'skipped:', 'succeeded:A']);
    // The failing run is retried, a bounded number of times, each after a longer wait (5, 20
    // and 80 minutes), then given up; the others are not run again.
    expect(await ledger(r.id, failing)).toEqual([{ status: 'retrying', attempts: 1 }]);
    for (const minutes of [5, 20, 80]) await k.advanceClock(minutes * 60);
    expect(await ledger(r.id, failing)).toEqual([{ status: 'failed', attempts: 4 }]);
    const failures = (await runs(k, r.id)).filter((run) => run.trigger.recordId === failing);
    expect(failures.map((run) => run.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(await runs(k, r.id)).toHaveLength(6);
    // The task is due three days after the date, from its local midnight (Beijing).
    const task = await sql<{ due_at: Date }>`
      select due_at from joinery.notifications where title = 'Chase A'`.execute(k.database.db);
    expect(task.rows[0]?.due_at.toISOString()).toBe(`${addDays(due, 2)}T16:00:00.000Z`);

    // A repeated scan over the same window (a job retried after a crash) fires nothing again.
    await enqueueJob(k.database.db, {
      task: AUTOMATION_DATE_SCAN_JOB,
      payload: {
        ruleId: r.id,
        revision: 1,
        due: new Date().toISOString(),
        after: `${today}T00:00:00Z`,
      },
      key: 'replayed-scan',
      maxAttempts: 1,
    });
    await k.advanceClock(0);
    expect(await runs(k, r.id)).toHaveLength(6);

    // The moved date fires at its new time.
    await k.advanceClock(7 * DAY);
    expect(await status(moved)).toBe('lateC');
    expect(await runs(k, r.id)).toHaveLength(7);
    await disable(k, r.id);
  });

  it('retry a failed firing after a wait until it succeeds, without firing the others again', async () => {
    const r = await rule(k, {
      name: 'due today',
      trigger: { kind: 'date.relative', form: 'loan', field: 'due', offsetDays: 0, at: '10:00' },
      actions: [{ type: 'set_fields', values: { status: { cat: ['due', { var: 'name' }] } } }],
    });
    const view = (await api(k)('GET', `/api/apps/${APP}/automation-rules/${r.id}`)).json();
    const fireAt = Date.parse(view.nextRunAt as string);
    const clockNow = Date.parse((await api(k)('GET', '/api/test/clock')).json().now as string);
    const due = localDate(new Date(fireAt), 'Asia/Shanghai');
    const fine = await loan({ name: 'F', due, status: 'open' });
    const broken = await loan({ name: 'G-too-long', due, status: 'open' });
    // Just past the firing time: the scan fires both; G's run fails (status too long).
    await k.advanceClock(Math.ceil((fireAt - clockNow) / 1000) + 1);
    const status = async (id: string) => (await getRecord(k, 'loan', id)).values.status;
    expect(await status(fine)).toBe('dueF');
    expect(await status(broken)).toBe('open');
    expect(await ledger(r.id, broken)).toEqual([{ status: 'retrying', attempts: 1 }]);
    // Not before the wait is over.
    await k.advanceClock(4 * 60);
    expect(await ledger(r.id, broken)).toEqual([{ status: 'retrying', attempts: 1 }]);
    // The data is mended; the retry after the wait succeeds and the occurrence is decided.
    expect((await patch(broken, { name: 'G' })).statusCode).toBe(200);
    await k.advanceClock(2 * 60);
    expect(await status(broken)).toBe('dueG');
    expect(await ledger(r.id, broken)).toEqual([{ status: 'fired', attempts: 2 }]);
    expect(await ledger(r.id, fine)).toEqual([{ status: 'fired', attempts: 1 }]);
    // Later scans and retries fire neither again: one success each, one failure for G.
    await k.advanceClock(2 * DAY);
    const log = await runs(k, r.id);
    const by = (id: string) => log.filter((run) => run.trigger.recordId === id);
    expect(by(fine).map((run) => run.status)).toEqual(['succeeded']);
    expect(
      by(broken)
        .map((run) => run.status)
        .sort(),
    ).toEqual(['failed', 'succeeded']);
    await disable(k, r.id);
  });

  it('index the scanned date column when a date rule is saved', async () => {
    const indexes = async (table: string) =>
      (
        await sql<{ def: string }>`select indexdef as def from pg_indexes
          where schemaname = ${`app_${APP}`} and tablename = ${table}
            and indexname like 'jny_date_%'`.execute(k.database.db)
      ).rows.map((row) => row.def);
    await rule(k, {
      name: 'row index',
      trigger: {
        kind: 'date.relative',
        form: 'loan',
        subform: 'rows',
        field: 'due',
        offsetDays: 2,
      },
      actions: [{ type: 'set_fields', values: { state: 'soon' } }],
    });
    await expect
      .poll(() => indexes('loan'), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/USING btree \(due\)$/)]);
    await expect
      .poll(() => indexes('loan__rows'), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/USING btree \(due\)$/)]);
  });

  it('fire per subform row, writing only that row and keeping every row id', async () => {
    const r = await rule(k, {
      name: 'row reminder',
      trigger: {
        kind: 'date.relative',
        form: 'loan',
        subform: 'rows',
        field: 'due',
        offsetDays: -1,
        at: '18:00',
      },
      condition: { '==': [{ var: '$parent.name' }, 'rows'] },
      actions: [{ type: 'set_fields', values: { state: 'reminded' } }],
    });
    const now = localDate(new Date((await api(k)('GET', '/api/test/clock')).json().now), 'UTC');
    const id = await loan({
      name: 'rows',
      rows: [
        { due: addDays(now, 3), state: 'open' },
        { due: addDays(now, 30), state: 'open' },
      ],
    });
    const before = (await getRecord(k, 'loan', id)).values.rows as { id: string }[];
    await k.advanceClock(4 * DAY);
    const after = (await getRecord(k, 'loan', id)).values.rows as { id: string; state: string }[];
    expect(after.map((row) => row.state)).toEqual(['reminded', 'open']);
    expect(after.map((row) => row.id)).toEqual(before.map((row) => row.id));
    expect((await runs(k, r.id)).map((run) => run.trigger.rowId)).toEqual([before[0]?.id]);
  });

  it('refuse a date field that is not a date, a subform that is not one, and deadlines without a record', async () => {
    const post = (body: object) => api(k)('POST', `/api/apps/${APP}/automation-rules`, body);
    const field = async (body: object) =>
      ((await post(body)).json() as { error: { fields: { field: string }[] } }).error.fields[0]
        ?.field;
    const trigger = { kind: 'date.relative', form: 'loan', field: 'due', offsetDays: 0 };
    expect(await field({ name: 'x', trigger: { ...trigger, field: 'name' }, actions: [] })).toBe(
      '/trigger/field',
    );
    expect(await field({ name: 'x', trigger: { ...trigger, subform: 'due' }, actions: [] })).toBe(
      '/trigger/subform',
    );
    expect(
      await field({
        name: 'x',
        trigger: { kind: 'schedule', cron: '@daily' },
        actions: [
          { type: 'open_task', title: 't', assignee: 'x', deadline: { field: 'due', days: 1 } },
        ],
      }),
    ).toBe('/actions/0/deadline/field');
    expect(
      (await post({ name: 'x', trigger: { ...trigger, offsetDays: 9999 }, actions: [] }))
        .statusCode,
    ).toBe(400);
  });
});

describe('refuse', () => {
  it('answers 422 with the analyst’s message in the caller’s language and writes nothing', async () => {
    await rule(k, {
      name: 'amount cap',
      trigger: { kind: 'record.created', form: 'loan' },
      condition: { '>': [{ var: 'amount' }, 1000] },
      actions: [
        { type: 'set_fields', values: { status: 'checked' } },
        {
          type: 'refuse',
          message: { 'zh-CN': '金额 {amount} 超过上限', en: 'The amount {amount} is over the cap' },
        },
      ],
    });
    const count = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from app_crm.loan where name = 'big'`.execute(k.database.db)
      ).rows[0]?.n;
    const en = await createRecord(k, 'loan', { name: 'big', amount: 5000 });
    expect(en.statusCode).toBe(422);
    expect(en.json().error).toEqual({
      code: 'JNY_AUTOMATION_REFUSED',
      message: 'The amount 5000 is over the cap',
    });
    const zh = await k.app.inject({
      method: 'POST',
      url: `/api/apps/${APP}/forms/loan/records`,
      headers: { ...k.admin.headers, 'accept-language': 'zh-CN' },
      payload: { values: { name: 'big', amount: 5000 } },
    });
    expect(zh.json().error.message).toBe('金额 5000 超过上限');
    expect(await count()).toBe(0);
    expect((await createRecord(k, 'loan', { name: 'big', amount: 10 })).statusCode).toBe(201);
  });
});
