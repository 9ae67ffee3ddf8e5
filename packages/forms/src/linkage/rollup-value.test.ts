import { describe, expect, it } from 'vitest';
import { rollupValue } from './rollup-value.ts';

const rows = [{ x: '0.10' }, { x: '0.20' }, { x: null }, { x: 'abc' }, { x: 3 }, {}];

describe('rollupValue', () => {
  it('aggregates exactly, skipping empty and non-numeric values', () => {
    expect(rollupValue('sum', rows, 'x')).toBe('3.3');
    expect(rollupValue('min', rows, 'x')).toBe('0.1');
    expect(rollupValue('max', rows, 'x')).toBe('3');
    expect(rollupValue('avg', rows, 'x')).toBe('1.1');
    expect(rollupValue('count', rows, 'x')).toBe('4');
    expect(rollupValue('count', rows, null)).toBe('6');
  });

  it('answers null over nothing, like SQL', () => {
    expect(rollupValue('sum', [], 'x')).toBeNull();
    expect(rollupValue('avg', [{ x: null }], 'x')).toBeNull();
    expect(rollupValue('count', [], null)).toBe('0');
  });
});
