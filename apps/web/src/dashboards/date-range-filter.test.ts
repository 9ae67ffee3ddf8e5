import { describe, expect, it } from 'vitest';
import { dateRangeFilters } from './date-range-filter.ts';

describe('dateRangeFilters', () => {
  it('bounds a date field by the days themselves', () => {
    expect(
      dateRangeFilters({ key: 'day', type: 'date' }, { from: '2026-01-01', to: '2026-01-31' }, 480),
    ).toEqual([{ '>=': [{ var: 'day' }, '2026-01-01'] }, { '<=': [{ var: 'day' }, '2026-01-31'] }]);
  });

  it('bounds a datetime field by the business day’s midnights, as canonical UTC instants', () => {
    const at = { key: 'at', type: 'datetime' } as const;
    expect(dateRangeFilters(at, { from: '2026-04-01', to: '2026-04-30' }, 480)).toEqual([
      { '>=': [{ var: 'at' }, '2026-03-31T16:00:00.000Z'] },
      { '<': [{ var: 'at' }, '2026-04-30T16:00:00.000Z'] },
    ]);
    expect(dateRangeFilters(at, { from: '2026-12-31', to: '2026-12-31' }, -300)).toEqual([
      { '>=': [{ var: 'at' }, '2026-12-31T05:00:00.000Z'] },
      { '<': [{ var: 'at' }, '2027-01-01T05:00:00.000Z'] },
    ]);
  });

  it('filters nothing without a range', () => {
    expect(dateRangeFilters({ key: 'day', type: 'date' }, undefined, 480)).toEqual([]);
  });
});
