import { describe, expect, it } from 'vitest';
import { checkPattern } from './safe-pattern.ts';

describe('checkPattern', () => {
  it.each([
    '^[A-Z]{2}\\d{6}$',
    '^\\d{3}-\\d{4}$',
    '^(?:ab)?c$',
    '^[a-z]+@[a-z]+\\.cn$',
    '^(\\d{3})-(\\d{4})$',
  ])('accepts %s', (pattern) => expect(checkPattern(pattern)).toBeNull());

  it.each([
    ['(a+)+$', 'nestedQuantifier'],
    ['(a*)*', 'nestedQuantifier'],
    ['(a|aa)+', 'nestedQuantifier'],
    ['^(\\w+\\s?)*$', 'nestedQuantifier'],
    ['((ab)*c)+', 'nestedQuantifier'],
    ['(x+x+)+y', 'nestedQuantifier'],
    ['(a)\\1', 'backreference'],
    ['[', 'syntax'],
    ['a'.repeat(201), 'length'],
  ])('refuses %s (%s)', (pattern, problem) => {
    expect(checkPattern(pattern)).toBe(problem);
  });
});
