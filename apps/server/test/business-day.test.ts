import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { label } from './records-fixture.ts';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

const APP = 'bday';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const TODAY = { '==': [{ var: 'due_on' }, { today: [] }] };

/**
 * Every condition the server evaluates counts `today` in the business day
 * (`JOINERY_UTC_OFFSET_MINUTES`, Beijing by default), on the server's clock: list filters and
 * row scopes (in SQL and in memory) and workflow branch conditions. The test clock is moved to
 * 17:00 UTC, when Beijing is already on the next calendar day.
 */
describe('today is the business day everywhere on the server', () => {
  let k: WorkflowKit;
  let clerk: Actor;
  let beijingDay: string;
  let utcDay: string;
  let dueToday: string;
  let dueUtcDay: string;

  beforeAll(async () => {
    k = await WorkflowKit.create({ worker: true });
    await k.form(APP, 'visit', [
      { id: 'v1', key: 'name', type: 'text', label: label('name') },
      { id: 'v2', key: 'due_on', type: 'date', label: label('due_on') },
      {
        id: 'v3',
        key: 'code',
        type: 'serial',
        label: label('code'),
        config: { pattern: 'V-{YYYYMMDD}-{counter:3}' },
      },
    ]);
    // A clerk sees only the visits due today.
    await k.role('clerk', APP, { visit: { actions: ['view'], rows: { logic: TODAY } } });
    clerk = await k.user('clerk', { roles: ['clerk'], recordsRole: false });
    const clock = await k.app.inject({
      method: 'GET',
      url: '/api/test/clock',
      headers: k.admin.headers,
    });
    const now = Date.parse((clock.json() as { now: string }).now);
    // Just past the next 17:00 UTC: 01:00 of the next day in Beijing.
    const wait = ((17 * HOUR_MS - (now % DAY_MS) + DAY_MS) % DAY_MS) + 60_000;
    await k.advanceClock(Math.ceil(wait / 1000));
    const at = now + Math.ceil(wait / 1000) * 1000;
    utcDay = new Date(at).toISOString().slice(0, 10);
    beijingDay = new Date(at + 8 * HOUR_MS).toISOString().slice(0, 10);
    expect(beijingDay).not.toBe(utcDay);
    dueToday = await k.record(APP, 'visit', { name: 'beijing', due_on: beijingDay });
    dueUtcDay = await k.record(APP, 'visit', { name: 'utc', due_on: utcDay });
  }, 120_000);
  afterAll(async () => {
    await k?.close();
  });

  async function names(actor: Actor, filter?: unknown): Promise<string[]> {
    const query =
      filter === undefined ? '' : `?filter=${encodeURIComponent(JSON.stringify(filter))}`;
    const response = await k.app.inject({
      method: 'GET',
      url: `/api/apps/${APP}/forms/visit/records${query}`,
      headers: actor.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { items: { values: { name: string } }[] }).items
      .map((item) => item.values.name)
      .sort();
  }

  it('filters lists on the business day (JSON-logic translated to SQL)', async () => {
    expect(await names(k.admin, TODAY)).toEqual(['beijing']);
    const yesterday = { '<': [{ var: 'due_on' }, { today: [] }] };
    expect(await names(k.admin, yesterday)).toEqual(['utc']);
    const relative = { '==': [{ var: 'due_on' }, { date_add: [{ today: [] }, -1, 'day'] }] };
    expect(await names(k.admin, relative)).toEqual(['utc']);
  });

  it('scopes rows on the business day, in the list SQL and for one record in memory', async () => {
    expect(await names(clerk)).toEqual(['beijing']);
    const read = (id: string) =>
      k.app.inject({
        method: 'GET',
        url: `/api/apps/${APP}/forms/visit/records/${id}`,
        headers: clerk.headers,
      });
    expect((await read(dueToday)).statusCode).toBe(200);
    expect((await read(dueUtcDay)).statusCode).toBe(404);
  });

  it('takes workflow branches on the business day', async () => {
    const approver = await k.user('approver');
    await k.publish(APP, 'visit', {
      id: 'visit-flow',
      nodes: [
        node('start', 'start', { next: 'route' }),
        node('route', 'branch', { branches: [{ when: TODAY, next: 'urgent' }], default: 'later' }),
        step('urgent', [approver.id], 'end'),
        step('later', [approver.id], 'end'),
        node('end', 'end'),
      ],
    });
    const today = await k.start(k.admin, APP, 'visit', dueToday);
    const other = await k.start(k.admin, APP, 'visit', dueUtcDay);
    expect(today.openTasks.map((t) => t.nodeId)).toEqual(['urgent']);
    expect(other.openTasks.map((t) => t.nodeId)).toEqual(['later']);
  });

  it('dates serial numbers by the business day', async () => {
    const compact = beijingDay.replaceAll('-', '');
    expect((await k.readRecord(APP, 'visit', dueToday)).code).toBe(`V-${compact}-001`);
    expect((await k.readRecord(APP, 'visit', dueUtcDay)).code).toBe(`V-${compact}-002`);
  });

  it('recomputes formulas behind a rollup on the business day of the write', async () => {
    const siteName = { id: 's1', key: 'name', type: 'text', label: label('name') };
    await k.form(APP, 'site', [siteName]);
    await k.form(APP, 'call', [
      { id: 'c1', key: 'site', type: 'relation', label: label('site'), config: { form: 'site' } },
    ]);
    await k.form(APP, 'site', [
      siteName,
      {
        id: 's2',
        key: 'visits',
        type: 'rollup',
        label: label('visits'),
        config: { aggregate: 'count', form: 'call', via: 'site' },
      },
      {
        id: 's3',
        key: 'last_seen',
        type: 'formula',
        label: label('last_seen'),
        config: {
          resultType: 'date',
          logic: { if: [{ '>': [{ var: 'visits' }, 0] }, { today: [] }, null] },
        },
      },
    ]);
    const site = await k.record(APP, 'site', { name: 'north' });
    expect((await k.readRecord(APP, 'site', site)).last_seen).toBeNull();
    await k.record(APP, 'call', { site });
    expect(await k.readRecord(APP, 'site', site)).toMatchObject({
      visits: '1',
      last_seen: beijingDay,
    });
  });

  it('tells the browser the business day of the server', async () => {
    const meta = await k.app.inject({ method: 'GET', url: '/api/meta' });
    expect((meta.json() as { utcOffsetMinutes: number }).utcOffsetMinutes).toBe(480);
  });
});
