import { describe, expect, it } from 'vitest';
import { compileLogic } from '../index.ts';

const run = (logic: unknown, data: unknown = {}) => compileLogic(logic)(data);

describe('string helpers', () => {
  it('transforms text, keeping null as null', () => {
    expect(run({ lower: 'ABC' })).toBe('abc');
    expect(run({ upper: 'abc' })).toBe('ABC');
    expect(run({ trim: '  a b  ' })).toBe('a b');
    expect(run({ lower: { var: 'x' } })).toBeNull();
  });

  it('measures strings and arrays', () => {
    expect(run({ length: '身份证' })).toBe(3);
    expect(run({ length: [[1, 2, 3]] })).toBe(3);
    expect(run({ length: { var: 'x' } })).toBe(0);
  });

  it('tests prefixes, suffixes and substrings', () => {
    expect(run({ starts_with: ['Joinery', 'Join'] })).toBe(true);
    expect(run({ ends_with: ['Joinery', 'ery'] })).toBe(true);
    expect(run({ contains: ['Joinery', 'ine'] })).toBe(true);
    expect(run({ contains: [{ var: 'x' }, 'a'] })).toBe(false);
    expect(run({ starts_with: ['Joinery', 'join'] })).toBe(false);
  });

  it('matches safe regular expressions like JavaScript does', () => {
    const patterns = [
      '^1[3-9]\\d{9}$',
      '^[A-Z]{2}-\\d+$',
      'a(b|c)*d',
      '^\\s*$',
      'x.y',
      '^(?:ab)+$',
    ];
    const texts = [
      '13812345678',
      '12812345678',
      'AB-12',
      'ab-12',
      'abcbd',
      'ad',
      '',
      '  ',
      'x\ny',
      'xzy',
      'abab',
      'aba',
    ];
    for (const pattern of patterns) {
      for (const text of texts) {
        expect(run({ regex_match: [text, pattern] }), `${pattern} on ${text}`).toBe(
          new RegExp(pattern).test(text),
        );
      }
    }
    expect(run({ regex_match: ['ab-12', '^[a-z]{2}-\\d+$', 'i'] })).toBe(true);
    expect(run({ regex_match: ['AB-12', '^[a-z]{2}-\\d+$', 'i'] })).toBe(true);
    expect(run({ regex_match: [{ var: 'x' }, 'a'] })).toBe(false);
  });

  it('runs catastrophic patterns in linear time', () => {
    const evil = `${'a'.repeat(5_000)}!`;
    const started = Date.now();
    expect(run({ regex_match: [evil, '^(a|a)*$'] })).toBe(false);
    expect(run({ regex_match: [evil, '^\\w*\\w*\\w*\\w*$'] })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses what the safe subset does not support, with the path', () => {
    for (const pattern of ['(a)\\1', '(?=a)', '(?<n>a)', 'a**', '\\bword', 'a{1000}', '(a']) {
      expect(() => compileLogic({ and: [{ regex_match: ['x', pattern] }] }), pattern).toThrow(
        expect.objectContaining({ code: 'JNY_RULE_UNSAFE_PATTERN' }),
      );
    }
    expect(() => compileLogic({ regex_match: ['x', { var: 'p' }] })).toThrow(
      expect.objectContaining({
        code: 'JNY_RULE_UNSAFE_PATTERN',
        params: expect.objectContaining({ path: '/regex_match/1' }),
      }),
    );
    expect(() => compileLogic({ regex_match: ['x', 'a', 'g'] })).toThrow(
      expect.objectContaining({ code: 'JNY_RULE_UNSAFE_PATTERN' }),
    );
    expect(() => run({ regex_match: [{ var: 't' }, 'a'] }, { t: 'b'.repeat(20_000) })).toThrow(
      expect.objectContaining({ code: 'JNY_RULE_VALUE_TOO_LARGE' }),
    );
  });
});
