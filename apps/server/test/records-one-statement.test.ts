import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// A create of a form with no child rows is ONE statement that writes nothing while automation
// rules watch the form (they need the write's transaction): the create then runs in one, and
// the rules run. The statement tests the rules as it runs — no check a moment before — and a
// refused attempt consumes no serial number.
let t: TestApp;
let admin: SignedIn;
const base = '/api/apps/desk/forms/ticket/records';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'desk', label: label('服务台', 'Desk') });
  await publish(call, 'desk', {
    key: 'ticket',
    label: label('工单', 'Ticket'),
    fields: [
      { id: 't1', key: 'title', type: 'text', label: label('标题', 'Title') },
      { id: 't2', key: 'status', type: 'text', label: label('状态', 'Status') },
      {
        id: 't3',
        key: 'no',
        type: 'serial',
        label: label('编号', 'No'),
        config: { pattern: 'T-{counter:4}' },
      },
    ],
  });
});
afterAll(() => t.close());

const create = async (title: string) => {
  const created = await caller(t, admin)('POST', base, { values: { title } });
  expect(created.statusCode, created.body).toBe(201);
  return created.json() as { id: string; values: Record<string, unknown> };
};

describe('one-statement creates', () => {
  it('write at once without rules, and leave the create to a transaction once rules watch', async () => {
    expect((await create('first')).values).toMatchObject({ no: 'T-0001', status: null });
    const saved = await caller(t, admin)('POST', '/api/apps/desk/automation-rules', {
      name: 'triage',
      trigger: { kind: 'record.created', form: 'ticket' },
      actions: [{ type: 'set_fields', values: { status: 'new' } }],
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const watched = await create('second');
    // The rule ran in the create's transaction; the refused one-statement attempt took no number.
    expect(watched.values).toMatchObject({ no: 'T-0002', status: 'new' });
    const history = await t.database.db
      .selectFrom('joinery.record_history')
      .select(['action'])
      .where('record_id', '=', watched.id)
      .execute();
    expect(history.map((h) => h.action)).toContain('create');
    const rows = await t.database.db
      .selectFrom('app_desk.ticket' as never)
      .select('no' as never)
      .execute();
    expect((rows as { no: string }[]).map((r) => r.no).sort()).toEqual(['T-0001', 'T-0002']);
  });
});

describe('one-statement creates across publishes', () => {
  it('write to the table as each publish left it (a column added, a column type changed)', async () => {
    const call = caller(t, admin);
    const gauge = (fields: readonly object[]) =>
      publish(call, 'desk', { key: 'gauge', label: label('读数', 'Gauge'), fields });
    const reading = { id: 'g1', key: 'reading', label: label('读数', 'Reading') };
    const note = { id: 'g2', key: 'note', type: 'text', label: label('备注', 'Note') };
    const url = '/api/apps/desk/forms/gauge/records';
    const created = async (values: Record<string, unknown>) => {
      const response = await call('POST', url, { values });
      expect(response.statusCode, response.body).toBe(201);
      return (response.json() as { values: Record<string, unknown> }).values;
    };
    await gauge([{ ...reading, type: 'text' }]);
    // Several creates, so the connections the next ones use have this statement prepared.
    for (const value of ['1', '2', '3'])
      expect(await created({ reading: value })).toEqual({ reading: value });
    await gauge([{ ...reading, type: 'number' }]);
    expect(await created({ reading: 4 })).toEqual({ reading: 4 });
    expect(await created({ reading: 5 })).toEqual({ reading: 5 });
    await gauge([{ ...reading, type: 'number' }, note]);
    expect(await created({ reading: 6, note: 'six' })).toEqual({ reading: 6, note: 'six' });
  });
});
