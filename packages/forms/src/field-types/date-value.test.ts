import { describe, expect, it } from 'vitest';
import { dateTimeFromDb } from './date-value.ts';

/** What `dateTimeFromDb` answered for text before it recognised UTC ISO 8601: a `Date` round trip. */
const viaDate = (text: string) => new Date(text).toISOString();

describe('dateTimeFromDb', () => {
  it('answers UTC ISO 8601 text as a Date round trip does, for every day of every month', () => {
    for (const year of [0, 1, 999, 1000, 1900, 1970, 2000, 2023, 2024, 2100, 9999]) {
      for (let month = 0; month < 12; month += 1) {
        for (let day = 1; day <= 31; day += 1) {
          const date = new Date(Date.UTC(2000, month, day, 23, 59, 59, 999));
          date.setUTCFullYear(year, month, day);
          const text = date.toISOString();
          expect(dateTimeFromDb(text)).toBe(text);
          expect(dateTimeFromDb(text)).toBe(viaDate(text));
          expect(dateTimeFromDb(date)).toBe(text);
        }
      }
    }
  });

  it('normalises other text as before: days a month lacks roll over, offsets become UTC', () => {
    for (const text of [
      '2023-02-29T00:00:00.000Z',
      '2024-02-29T00:00:00.000Z',
      '2023-04-31T10:00:00.000Z',
      '2023-02-30T10:00:00.000Z',
      '2026-11-23T08:30:00+08:00',
      '2026-11-23T08:30:00.5Z',
      '2026-11-23 08:30:00+00',
    ]) {
      expect(dateTimeFromDb(text)).toBe(viaDate(text));
    }
    expect(dateTimeFromDb('2023-02-29T00:00:00.000Z')).toBe('2023-03-01T00:00:00.000Z');
    expect(() => dateTimeFromDb('2023-13-01T00:00:00.000Z')).toThrow(RangeError);
    expect(() => dateTimeFromDb('not a date')).toThrow(RangeError);
  });
});
