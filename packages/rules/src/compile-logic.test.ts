import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { compileLogic, RULE_LIMITS, readsEnv, truthy } from './index.ts';

/** The catalogue error thrown by `run`, for assertions on code and params. */
function errorOf(run: () => unknown): { code: string; params: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    if (isJoineryError(error)) return { code: error.code, params: { ...error.params } };
    throw error;
  }
  throw new Error('expected a JoineryError');
}

describe('compileLogic', () => {
  it('compiles once and evaluates against many records', () => {
    const rule = compileLogic({ and: [{ '>': [{ var: 'amount' }, 1000] }, { var: 'active' }] });
    expect(rule({ amount: 5000, active: true })).toBe(true);
    expect(rule({ amount: 10, active: true })).toBe(false);
    expect(rule({ amount: 5000, active: false })).toBe(false);
  });

  it('reads the context roots $user, $now, $old and $new', () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const context = { user: { id: 7 }, now, old: { grade: 'B' }, new: { grade: 'A' } };
    expect(compileLogic({ var: '$user.id' })({}, context)).toBe(7);
    expect(compileLogic({ var: '$now' })({}, context)).toBe('2026-01-02T03:04:05.000Z');
    expect(compileLogic({ var: '$old.grade' })({}, context)).toBe('B');
    expect(compileLogic({ var: '$new.grade' })({}, context)).toBe('A');
    expect(compileLogic({ var: ['$user.missing', 'none'] })({}, context)).toBe('none');
    expect(compileLogic({ var: '$old.grade' })({}, { old: null })).toBeNull();
    expect(compileLogic({ var: { cat: ['$user', '.id'] } })({}, context)).toBe(7);
  });

  it('tells whether an expression reads the context or the clock (readsEnv)', () => {
    expect(readsEnv({ '==': [{ var: 'status' }, 'approved'] })).toBe(false);
    expect(
      readsEnv({ and: [{ '>=': [{ var: 'amount' }, 5] }, { in: [{ var: 'a' }, ['x']] }] }),
    ).toBe(false);
    expect(readsEnv({ '==': [{ var: 'owner' }, { var: '$user.id' }] })).toBe(true);
    expect(readsEnv({ '<=': [{ var: 'created_at' }, { var: '$now' }] })).toBe(true);
    expect(readsEnv({ '==': [{ var: 'day' }, { today: [] }] })).toBe(true);
    expect(() => readsEnv({ no_such_operator: [] })).toThrow();
  });

  it('treats other $ names as data fields', () => {
    expect(compileLogic({ var: '$price' })({ $price: 3 })).toBe(3);
  });

  it('folds constant sub-trees at compile time', () => {
    const rule = compileLogic({ '+': [1, { '*': [2, 3] }] });
    expect(rule(null)).toBe(7);
    expect(compileLogic({ merge: [[1], [2]] })(null)).toEqual([1, 2]);
  });

  it('implements JSON-logic truthiness', () => {
    expect(truthy([])).toBe(false);
    expect(truthy([0])).toBe(true);
    expect(truthy('0')).toBe(true);
    expect(truthy('')).toBe(false);
    expect(truthy(0)).toBe(false);
    expect(truthy({})).toBe(true);
  });
});

describe('compile-time errors carry the path of the bad node', () => {
  it('refuses unknown operators', () => {
    expect(errorOf(() => compileLogic({ and: [true, { nope: [1] }] }))).toEqual({
      code: 'JNY_RULE_UNKNOWN_OPERATOR',
      params: { operator: 'nope', path: '/and/1/nope' },
    });
  });

  it('refuses wrong argument counts', () => {
    expect(errorOf(() => compileLogic({ and: [true, { '>': [1] }] }))).toMatchObject({
      code: 'JNY_RULE_ARITY',
      params: { operator: '>', path: '/and/1/>' },
    });
  });

  it('refuses objects that are not a single operation', () => {
    expect(errorOf(() => compileLogic({ or: [{ a: 1, b: 2 }] }))).toMatchObject({
      code: 'JNY_RULE_MALFORMED',
      params: { path: '/or/0' },
    });
    expect(errorOf(() => compileLogic({}))).toMatchObject({ code: 'JNY_RULE_MALFORMED' });
  });

  it('escapes the JSON pointer', () => {
    expect(errorOf(() => compileLogic({ if: [{ 'a/b': 1 }] }))).toMatchObject({
      params: { path: '/if/0/a~1b' },
    });
  });

  it('refuses dotted method paths json-logic-js would follow', () => {
    expect(errorOf(() => compileLogic({ 'Math.max': [1, 2] })).code).toBe(
      'JNY_RULE_UNKNOWN_OPERATOR',
    );
  });
});

describe('safety', () => {
  it('never reads prototypes, constructors or globals through var', () => {
    for (const path of [
      '__proto__',
      'constructor',
      'constructor.constructor',
      'toString',
      'a.__proto__.polluted',
      'prototype',
      'hasOwnProperty',
    ]) {
      expect(compileLogic({ var: path })({ a: {} })).toBeNull();
    }
    expect(compileLogic({ var: 'length' })('abc')).toBe(3);
    expect(compileLogic({ var: 'toFixed' })(5)).toBeNull();
    expect(compileLogic({ var: { cat: ['const', 'ructor'] } })({})).toBeNull();
    expect(compileLogic({ missing: ['constructor'] })({})).toEqual(['constructor']);
  });

  it('reads only own properties in the closures, for every key', () => {
    const polluted = Object.create({ isAdmin: true }) as Record<string, unknown>;
    expect(compileLogic({ var: 'isAdmin' }, { backend: 'closures' })(polluted)).toBeNull();
  });

  it('keeps the own-property check for inherited names in generated code', () => {
    for (const backend of ['closures', 'generated'] as const) {
      for (const path of ['constructor', '__proto__', 'toString', 'a.constructor', 'valueOf']) {
        expect(compileLogic({ var: path }, { backend })({ a: [] })).toBeNull();
      }
      expect(compileLogic({ var: 'a.length' }, { backend })({ a: [1, 2] })).toBe(2);
      expect(compileLogic({ var: 'a.map' }, { backend })({ a: [1, 2] })).toBeNull();
    }
  });

  it('refuses expressions nested too deeply', () => {
    let deep: unknown = true;
    for (let index = 0; index < 200; index += 1) deep = { '!': [deep] };
    expect(errorOf(() => compileLogic(deep)).code).toBe('JNY_RULE_TOO_DEEP');
    let arrays: unknown = 1;
    for (let index = 0; index < 100_000; index += 1) arrays = [arrays];
    expect(errorOf(() => compileLogic(arrays)).code).toBe('JNY_RULE_TOO_DEEP');
  });

  it('refuses expressions with too many nodes', () => {
    const wide = { or: Array.from({ length: RULE_LIMITS.maxNodes + 1 }, () => 1) };
    expect(errorOf(() => compileLogic(wide)).code).toBe('JNY_RULE_TOO_LARGE');
  });

  it('bounds the iteration work of one evaluation', () => {
    const rows = Array.from({ length: 1_000 }, (_, index) => index);
    const nested = compileLogic({
      map: [{ var: 'rows' }, { map: [{ var: '' }, 1] }],
    });
    const quadratic = compileLogic({
      some: [{ var: 'rows' }, { some: [{ var: '$new.rows' }, false] }],
    });
    expect(errorOf(() => quadratic({ rows }, { new: { rows } })).code).toBe(
      'JNY_RULE_BUDGET_EXCEEDED',
    );
    expect(nested({ rows: [[1, 2]] })).toEqual([[1, 1]]);
  });

  it('bounds values that grow by doubling', () => {
    const items = Array.from({ length: 40 }, () => 0);
    const strings = compileLogic({
      reduce: [{ var: 'items' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'],
    });
    expect(errorOf(() => strings({ items })).code).toBe('JNY_RULE_VALUE_TOO_LARGE');
    const arrays = compileLogic({
      reduce: [{ var: 'items' }, { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]],
    });
    expect(errorOf(() => arrays({ items })).code).toBe('JNY_RULE_VALUE_TOO_LARGE');
  });

  it('turns runtime type errors into catalogue errors', () => {
    const rule = compileLogic({ '+': [{ var: 'x' }] });
    const hostile = { x: { toString: 1, valueOf: 1 } };
    expect(errorOf(() => rule(hostile)).code).toBe('JNY_RULE_EVALUATION_FAILED');
  });

  it('passes log values to the context callback only', () => {
    const seen: unknown[] = [];
    expect(
      compileLogic({ log: { var: 'a' } })({ a: 1 }, { log: (value) => seen.push(value) }),
    ).toBe(1);
    expect(seen).toEqual([1]);
  });
});
