import { describe, expect, it } from 'vitest';
import { nextOccurrence } from './automation-schedule.ts';

describe('the next occurrence of a schedule', () => {
  const after = new Date('2026-03-07T10:30:00Z'); // a Saturday

  it('is strictly after the given instant, in UTC by default', () => {
    expect(nextOccurrence({ kind: 'schedule', cron: '0 * * * *' }, after)?.toISOString()).toBe(
      '2026-03-07T11:00:00.000Z',
    );
    expect(nextOccurrence({ kind: 'schedule', cron: '30 10 * * *' }, after)?.toISOString()).toBe(
      '2026-03-08T10:30:00.000Z',
    );
  });

  it('follows the rule time zone, macros, weekdays and a seconds field', () => {
    const daily = { kind: 'schedule', cron: '@daily', timeZone: 'Asia/Shanghai' } as const;
    expect(nextOccurrence(daily, after)?.toISOString()).toBe('2026-03-07T16:00:00.000Z');
    expect(nextOccurrence({ kind: 'schedule', cron: '0 9 * * MON' }, after)?.toISOString()).toBe(
      '2026-03-09T09:00:00.000Z',
    );
    expect(nextOccurrence({ kind: 'schedule', cron: '15 0 9 * * *' }, after)?.toISOString()).toBe(
      '2026-03-08T09:00:15.000Z',
    );
  });
});
