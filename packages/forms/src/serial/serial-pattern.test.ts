import { describe, expect, it } from 'vitest';
import { formatSerial, parseSerialPattern, serialCounterScope } from './serial-pattern.ts';

describe('serial number patterns', () => {
  it('formats the lending application number', () => {
    expect(formatSerial('LA-{YYYYMMDD}-{counter:4}', '2026-11-22', 1)).toBe('LA-20261122-0001');
    expect(formatSerial('LA-{YYYYMMDD}-{counter:4}', '2026-11-22', 12345)).toBe(
      'LA-20261122-12345',
    );
    expect(formatSerial('C{YY}{MM}/{counter:6}', '2026-03-09', 7)).toBe('C2603/000007');
  });

  it('scopes counters by the date part of the pattern', () => {
    const daily = 'LA-{YYYYMMDD}-{counter:4}';
    expect(serialCounterScope(daily, '2026-11-22')).toBe('LA-20261122-{n}');
    expect(serialCounterScope(daily, '2026-11-23')).not.toBe(
      serialCounterScope(daily, '2026-11-22'),
    );
    const monthly = 'M{YYYYMM}{counter:3}';
    expect(serialCounterScope(monthly, '2026-11-01')).toBe(
      serialCounterScope(monthly, '2026-11-30'),
    );
    expect(serialCounterScope('N{counter:5}', '2020-01-01')).toBe(
      serialCounterScope('N{counter:5}', '2030-01-01'),
    );
  });

  it.each([
    ['LA-{YYYYMMDD}', 'exactly one'],
    ['{counter:4}{counter:2}', 'exactly one'],
    ['{counter:13}', 'width'],
    ['{HH}{counter:2}', 'unknown token'],
    ["X'; DROP{counter:2}", 'bad literal'],
    ['', 'length'],
  ])('refuses %j', (pattern, reason) => {
    const parsed = parseSerialPattern(pattern);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('refuses bad inputs to the formatter', () => {
    expect(() => formatSerial('{counter:2}', '2026-1-1', 1)).toThrow();
    expect(() => formatSerial('{counter:2}', '2026-01-01', 0)).toThrow();
  });
});
