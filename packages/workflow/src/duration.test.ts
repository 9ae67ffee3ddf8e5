import { describe, expect, it } from 'vitest';
import { addDuration, isIsoDuration, isIsoInstant, millisBetween, toInstant } from './duration.ts';

describe('durations', () => {
  it('accepts ISO durations and refuses the rest', () => {
    expect(isIsoDuration('P2D')).toBe(true);
    expect(isIsoDuration('PT4H')).toBe(true);
    expect(isIsoDuration('P1DT12H30M')).toBe(true);
    expect(isIsoDuration('P')).toBe(false);
    expect(isIsoDuration('PT')).toBe(false);
    expect(isIsoDuration('2 days')).toBe(false);
  });
  it('adds and subtracts from an instant in UTC', () => {
    expect(addDuration('2026-11-23T09:00:00.000Z', 'P1DT2H')).toBe('2026-11-24T11:00:00.000Z');
    expect(addDuration('2026-11-23T09:00:00.000Z', 'PT30M', -1)).toBe('2026-11-23T08:30:00.000Z');
  });
  it('measures and normalises instants', () => {
    expect(millisBetween('2026-11-23T09:00:00Z', '2026-11-23T09:01:00Z')).toBe(60_000);
    expect(toInstant('2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
    expect(isIsoInstant('2026-12-01T10:00:00Z')).toBe(true);
    expect(isIsoInstant('tomorrow')).toBe(false);
  });
});

describe('duration arithmetic', () => {
  it('handles weeks, long hour counts and calendar months', () => {
    expect(addDuration('2026-11-23T09:00:00Z', 'P1W')).toBe('2026-11-30T09:00:00.000Z');
    expect(addDuration('2026-11-23T09:00:00Z', 'PT36H')).toBe('2026-11-24T21:00:00.000Z');
    expect(addDuration('2026-01-31T00:00:00Z', 'P1M')).toBe('2026-02-28T00:00:00.000Z');
    expect(addDuration('2026-11-23T00:00:00Z', 'P1Y2M3DT4H5M6S')).toBe('2028-01-26T04:05:06.000Z');
  });
});
