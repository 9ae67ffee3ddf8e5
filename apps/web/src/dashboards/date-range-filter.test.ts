import { describe, expect, it } from 'vitest';
import { dateRangeFilters } from './date-range-filter.ts';

describe('dateRangeFilters', () => {
  it('bounds a date field by the days themselves', () => {
    expect(
      dateRangeFilters({ key: 'day', type: 'date' }, { from: '2026-01-01', to: '2026-01-31' }),
    ).toEqual([{ '>=': [{ var: 'day' }, '2026-01-01'] }, { '<=': [{ var: 'day' }, '2026-01-31'] }]);
  });

  it('bounds a datetime field from midnight to the midnight after the last day', () => {
    expect(
      dateRangeFilters({ key: 'at', type: 'datetime' }, { from: '2026-02-01', to: '2026-02-28' }),
    ).toEqual([
      { '>=': [{ var: 'at' }, '2026-02-01T00:00:00+08:00'] },
      { '<': [{ var: 'at' }, '2026-03-01T00:00:00+08:00'] },
    ]);
  });

  it('filters nothing without a range', () => {
    expect(dateRangeFilters({ key: 'day', type: 'date' }, undefined)).toEqual([]);
  });
});
