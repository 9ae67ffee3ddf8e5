import { describe, expect, it } from 'vitest';
import { compileLogic } from '../index.ts';

const run = (logic: unknown, data: unknown = {}) => compileLogic(logic)(data);

describe('money operators', () => {
  it('adds, subtracts and multiplies without float drift', () => {
    expect(run({ money_add: [0.1, 0.2] })).toBe(0.3);
    expect(run({ '+': [0.1, 0.2] })).not.toBe(0.3);
    expect(run({ money_sub: ['100.10', 0.2] })).toBe(99.9);
    expect(run({ money_mul: [1.1, 1.1] })).toBe(1.21);
    expect(run({ money_mul: [19.99, 3, '1.5'] })).toBe(89.955);
    expect(run({ money_add: [{ var: 'a' }, { var: 'b' }] }, { a: '1000.01', b: null })).toBe(
      1000.01,
    );
  });

  it('divides to 34 digits and refuses division by zero', () => {
    expect(run({ money_div: [10, 4] })).toBe(2.5);
    expect(run({ money_div: [1, 0] })).toBeNull();
    expect(run({ round: [{ money_div: [100, 3] }, 2] })).toBe(33.33);
  });

  it('rounds half-up', () => {
    expect(run({ round: [1.005, 2] })).toBe(1.01);
    expect(run({ round: [2.5] })).toBe(3);
    expect(run({ round: [-2.5] })).toBe(-3);
    expect(run({ round: ['2.345', 2] })).toBe(2.35);
    expect(run({ round: [2.5, -1] })).toBeNull();
  });

  it('gives null for non-numeric operands', () => {
    expect(run({ money_add: [1, 'abc'] })).toBeNull();
    expect(run({ money_add: [1, [2]] })).toBeNull();
    expect(run({ money_mul: [1, Number.NaN] })).toBeNull();
  });
});
