import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { compileLogic, RULE_LIMITS } from './index.ts';
import { HOT_AFTER_CALLS, tieredLogic } from './tiered-logic.ts';

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return isJoineryError(error) ? [error.code, error.params] : error;
  }
  throw new Error('expected an error');
}

describe('tieredLogic', () => {
  it('runs cold until the hotAfter-th call, then builds the hot function once', () => {
    const calls: string[] = [];
    let builds = 0;
    const evaluate = tieredLogic(
      (data) => calls.push(`cold ${data}`),
      () => {
        builds += 1;
        return (data) => calls.push(`hot ${data}`);
      },
      3,
    );
    expect(builds).toBe(0);
    for (let n = 1; n <= 5; n += 1) evaluate(n);
    expect(calls).toEqual(['cold 1', 'cold 2', 'hot 3', 'hot 4', 'hot 5']);
    expect(builds).toBe(1);
  });

  it('passes only the data on for a rule that reads no context', () => {
    const received: unknown[] = [];
    const record = (data: unknown, context: unknown) => received.push([data, context]);
    const evaluate = tieredLogic(record, () => record, 2, false);
    for (let n = 1; n <= 3; n += 1) evaluate(n, { user: { id: 1 } });
    expect(received).toEqual([
      [1, undefined],
      [2, undefined],
      [3, undefined],
    ]);
    expect(evaluate.length).toBe(1);
  });

  it('switches by default after a few dozen calls', () => {
    expect(HOT_AFTER_CALLS).toBeGreaterThan(1);
    expect(HOT_AFTER_CALLS).toBeLessThanOrEqual(1_000);
  });
});

describe('compileLogic with the default (tiered) backend', () => {
  it('reads the context the same way before and after the switch', () => {
    const logic = { if: [{ '==': [{ var: 'owner' }, { var: '$user.id' }] }, 'mine', 'theirs'] };
    const tiered = compileLogic(logic, { hotAfter: 3 });
    const closures = compileLogic(logic, { backend: 'closures' });
    for (let call = 0; call < 6; call += 1) {
      const context = { user: { id: call % 2 } };
      expect(tiered({ owner: 1 }, context)).toBe(closures({ owner: 1 }, context));
      expect(tiered({ owner: 1 })).toBe('theirs');
    }
  });

  it('throws the same catalogue errors before and after the switch', () => {
    const big = Array.from({ length: RULE_LIMITS.maxSteps + 1 }, (_, index) => index);
    const logic = { reduce: [{ var: 'rows' }, { '+': [{ var: 'accumulator' }, 1] }, 0] };
    const tiered = compileLogic(logic, { hotAfter: 2 });
    const expected = errorOf(() => compileLogic(logic, { backend: 'closures' })({ rows: big }));
    expect(expected).toEqual(['JNY_RULE_BUDGET_EXCEEDED', { limit: RULE_LIMITS.maxSteps }]);
    for (let call = 0; call < 4; call += 1) {
      expect(errorOf(() => tiered({ rows: big }))).toEqual(expected);
      expect(tiered({ rows: [1, 2] })).toBe(2);
    }
    expect(errorOf(() => compileLogic(logic, { backend: 'generated' })({ rows: big }))).toEqual(
      expected,
    );
  });

  it('turns a JavaScript failure of either tier into a catalogue error', () => {
    // An object without a prototype has no primitive value: comparing it throws a TypeError.
    const data = { a: Object.create(null) };
    const logic = { '<': [{ var: 'a' }, 1] };
    const expected = errorOf(() => compileLogic(logic, { backend: 'closures' })(data));
    expect(expected).toEqual(['JNY_RULE_EVALUATION_FAILED', { reason: expect.any(String) }]);
    const tiered = compileLogic(logic, { hotAfter: 2 });
    for (let call = 0; call < 3; call += 1) expect(errorOf(() => tiered(data))).toEqual(expected);
    expect(errorOf(() => compileLogic(logic, { backend: 'generated' })(data))).toEqual(expected);
  });
});
