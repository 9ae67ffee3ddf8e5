import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  type DateRelativeTrigger,
  dueFieldDates,
  fireInstant,
  localDate,
  nextFireTime,
} from '../index.ts';

const trigger = (extra: Partial<DateRelativeTrigger> = {}): DateRelativeTrigger => ({
  kind: 'date.relative',
  form: 'contract',
  subform: 'repayment_schedule',
  field: 'due_date',
  offsetDays: -3,
  ...extra,
});

describe('date-relative triggers: when they fire', () => {
  it('fires at 09:00 Beijing time three days before the date by default', () => {
    expect(fireInstant(trigger(), '2026-12-10').toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(fireInstant(trigger({ offsetDays: 1, at: '00:30' }), '2026-12-31').toISOString()).toBe(
      '2026-12-31T16:30:00.000Z',
    );
    const paris = trigger({ offsetDays: 0, at: '09:00', timeZone: 'Europe/Paris' });
    expect(fireInstant(paris, '2026-07-01').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(fireInstant(paris, '2026-01-01').toISOString()).toBe('2026-01-01T08:00:00.000Z');
  });

  it('lists the dates a scan must look for, and the next time to scan', () => {
    const t = trigger({ offsetDays: 1 });
    // Scanned up to 2026-12-07 09:00 (Beijing); now 2026-12-09 10:00: two firings are due.
    const after = new Date('2026-12-07T01:00:00Z');
    const until = new Date('2026-12-09T02:00:00Z');
    expect(dueFieldDates(t, after, until)).toEqual(['2026-12-07', '2026-12-08']);
    expect(nextFireTime(t, until).toISOString()).toBe('2026-12-10T01:00:00.000Z');
    expect(nextFireTime(t, new Date('2026-12-10T00:59:59Z')).toISOString()).toBe(
      '2026-12-10T01:00:00.000Z',
    );
    const year = dueFieldDates(t, new Date('2000-01-01T00:00:00Z'), until);
    expect(year.length).toBeLessThanOrEqual(368);
    expect(year.at(-1)).toBe('2026-12-08');
  });

  const zones = fc.constantFrom('Asia/Shanghai', 'UTC', 'Europe/Paris', 'America/New_York');
  const triggers = fc.record({
    offsetDays: fc.integer({ min: -40, max: 40 }),
    at: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })),
    timeZone: zones,
  });
  const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
  const dates = fc.integer({ min: 0, max: 3650 }).map((n) => addDays('2021-01-01', n));
  const toTrigger = (t: { offsetDays: number; at: [number, number]; timeZone: string }) =>
    trigger({
      offsetDays: t.offsetDays,
      at: `${String(t.at[0]).padStart(2, '0')}:${String(t.at[1]).padStart(2, '0')}`,
      timeZone: t.timeZone,
    });

  it('a date is due in a window exactly when its firing falls in it (property)', () => {
    fc.assert(
      fc.property(
        triggers,
        instants,
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        dates,
        (t, a, span, date) => {
          const tr = toTrigger(t);
          const after = new Date(a);
          const until = new Date(a + span);
          const fires = fireInstant(tr, date);
          const inWindow = fires > after && fires <= until;
          expect(dueFieldDates(tr, after, until).includes(date)).toBe(inWindow);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the next scan time is the first firing after the instant (property)', () => {
    fc.assert(
      fc.property(triggers, instants, (t, a) => {
        const tr = toTrigger(t);
        const after = new Date(a);
        const next = nextFireTime(tr, after);
        expect(next.getTime()).toBeGreaterThan(a);
        expect(next.getTime() - a).toBeLessThanOrEqual(26 * 3_600_000);
        // Nothing fires between the instant and the next scan, and the scan finds its date.
        expect(dueFieldDates(tr, after, new Date(next.getTime() - 1))).toEqual([]);
        const due = dueFieldDates(tr, after, next);
        expect(due).toHaveLength(1);
        expect(fireInstant(tr, due[0] ?? '')).toEqual(next);
        expect(localDate(next, t.timeZone)).toBe(addDays(due[0] ?? '', t.offsetDays));
      }),
      { numRuns: 300 },
    );
  });
});
