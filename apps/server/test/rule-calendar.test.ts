import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, rule } from './automation-kit.ts';
import { label } from './records-fixture.ts';
import { WorkflowKit } from './workflow-kit.ts';

const DAY_MS = 86_400_000;

/**
 * Rules count days in the deployment's calendar (`JOINERY_UTC_OFFSET_MINUTES`, Beijing by
 * default), not in UTC: a rule scheduled at 16:30 UTC runs at 00:30 of the next day in Beijing,
 * and its `today` is that Beijing date. The injectable clock is moved across the boundary.
 */
describe('rules count days in Beijing time', () => {
  let k: WorkflowKit;

  beforeAll(async () => {
    k = await WorkflowKit.create({ worker: true });
    await k.form(APP, 'stamp', [
      { id: 's1', key: 'name', type: 'text', label: label('name') },
      { id: 's2', key: 'ruled_on', type: 'date', label: label('ruled_on') },
    ]);
  }, 120_000);
  afterAll(async () => {
    await k?.close();
  });

  it('gives a rule that runs at 00:30 Beijing time the Beijing date, not the UTC one', async () => {
    await rule(k, {
      name: 'stamp the day',
      trigger: { kind: 'schedule', cron: '30 16 * * *', timeZone: 'UTC' },
      actions: [
        {
          type: 'create_record',
          form: 'stamp',
          values: { name: 'scheduled', ruled_on: { today: [] } },
        },
      ],
    });
    const clock = await k.app.inject({
      method: 'GET',
      url: '/api/test/clock',
      headers: k.admin.headers,
    });
    const now = Date.parse(clock.json().now as string);
    // Just past the next 16:30 UTC.
    const wait = ((16.5 * 3_600_000 - (now % DAY_MS) + DAY_MS) % DAY_MS) + 60_000;
    await k.advanceClock(Math.ceil(wait / 1000));
    const at = now + wait;
    const utcDay = new Date(at).toISOString().slice(0, 10);
    const beijingDay = new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(beijingDay).not.toBe(utcDay);
    const stamped = await sql<{ ruled_on: string }>`
      select to_char(ruled_on, 'YYYY-MM-DD') as ruled_on from ${sql.table(`app_${APP}.stamp`)}
      where name = 'scheduled'`.execute(k.database.db);
    expect(stamped.rows).toEqual([{ ruled_on: beijingDay }]);
  });
});
