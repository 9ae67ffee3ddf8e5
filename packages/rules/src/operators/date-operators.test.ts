import { describe, expect, it } from 'vitest';
import { compileLogic } from '../index.ts';

const run = (logic: unknown, data: unknown = {}, context = {}) =>
  compileLogic(logic)(data, context);
const now = new Date('2026-03-31T20:30:00.000Z');

describe('date operators', () => {
  it('today and now follow the context clock and UTC offset', () => {
    expect(run({ today: [] }, {}, { now })).toBe('2026-03-31');
    expect(run({ today: [] }, {}, { now, utcOffsetMinutes: 480 })).toBe('2026-04-01');
    expect(run({ now: [] }, {}, { now })).toBe('2026-03-31T20:30:00.000Z');
    expect(typeof run({ today: [] })).toBe('string');
  });

  it('adds days, months and years, clamping month ends', () => {
    expect(run({ date_add: ['2024-01-31', 1, 'month'] })).toBe('2024-02-29');
    expect(run({ date_add: ['2023-01-31', 1, 'months'] })).toBe('2023-02-28');
    expect(run({ date_add: ['2024-02-29', 1, 'year'] })).toBe('2025-02-28');
    expect(run({ date_add: ['2024-12-30', 5, 'days'] })).toBe('2025-01-04');
    expect(run({ date_add: ['2024-03-01', -1, 'day'] })).toBe('2024-02-29');
    expect(run({ date_add: ['2024-01-01T10:00:00Z', 2, 'day'] })).toBe('2024-01-03T10:00:00.000Z');
    expect(run({ date_add: [{ var: 'due' }, '3', 'day'] }, { due: '2024-01-01' })).toBe(
      '2024-01-04',
    );
  });

  it('gives null for invalid dates, units or amounts', () => {
    expect(run({ date_add: ['2023-02-29', 1, 'day'] })).toBeNull();
    expect(run({ date_add: ['yesterday', 1, 'day'] })).toBeNull();
    expect(run({ date_add: ['2024-01-01', 1.5, 'day'] })).toBeNull();
    expect(run({ date_add: ['2024-01-01', 1, 'week'] })).toBeNull();
    expect(run({ date_diff: [null, '2024-01-01', 'day'] })).toBeNull();
  });

  it('diffs in whole days, months and years, truncated toward zero', () => {
    expect(run({ date_diff: ['2024-01-01', '2024-03-01', 'day'] })).toBe(60);
    expect(run({ date_diff: ['2024-03-01', '2024-01-01', 'days'] })).toBe(-60);
    expect(run({ date_diff: ['2024-01-31', '2024-02-29', 'month'] })).toBe(1);
    expect(run({ date_diff: ['2024-01-15', '2024-02-14', 'month'] })).toBe(0);
    expect(run({ date_diff: ['2024-02-14', '2024-01-15', 'month'] })).toBe(0);
    expect(run({ date_diff: ['1990-06-15', '2026-06-14', 'year'] })).toBe(35);
    expect(run({ date_diff: ['1990-06-15', '2026-06-15', 'years'] })).toBe(36);
    expect(run({ date_diff: ['2024-01-01T00:00:00Z', '2024-01-02T12:00:00Z', 'day'] })).toBe(1);
  });

  it('compares dates as ISO strings with the standard operators', () => {
    const overdue = compileLogic({ '<': [{ var: 'due' }, { today: [] }] });
    expect(overdue({ due: '2026-03-30' }, { now })).toBe(true);
    expect(overdue({ due: '2026-04-01' }, { now })).toBe(false);
  });
});
