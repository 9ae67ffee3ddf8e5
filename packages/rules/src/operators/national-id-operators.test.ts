import { describe, expect, it } from 'vitest';
import { nationalIdCheckCharacter } from '../cn-national-id.ts';
import { compileLogic } from '../index.ts';

// 11010519491231002X is the standard's own worked example (GB 11643-1999).
const example = '11010519491231002X';
const male = `11010119900307${'001'}${nationalIdCheckCharacter('11010119900307001')}`;
const run = (logic: unknown, context = {}) => compileLogic(logic)({}, context);

describe('national ID helpers', () => {
  it('checks the check character and the birth date', () => {
    expect(run({ cn_id_valid: example })).toBe(true);
    expect(run({ cn_id_valid: example.toLowerCase() })).toBe(true);
    expect(run({ cn_id_valid: '110105194912310021' })).toBe(false);
    expect(run({ cn_id_valid: male })).toBe(true);
    expect(run({ cn_id_valid: '110101199002300011' })).toBe(false);
    expect(run({ cn_id_valid: '110105491231002' })).toBe(false);
    expect(run({ cn_id_valid: 12345 })).toBe(false);
  });

  it('reads the birth date and gender', () => {
    expect(run({ cn_id_birth_date: example })).toBe('1949-12-31');
    expect(run({ cn_id_gender: example })).toBe('female');
    expect(run({ cn_id_gender: male })).toBe('male');
    expect(run({ cn_id_birth_date: '110105491231002' })).toBe('1949-12-31');
    expect(run({ cn_id_birth_date: 'nope' })).toBeNull();
  });

  it('computes the age in whole years', () => {
    expect(run({ cn_id_age: [male, '2026-03-06'] })).toBe(35);
    expect(run({ cn_id_age: [male, '2026-03-07'] })).toBe(36);
    expect(run({ cn_id_age: male }, { now: new Date('2026-03-07T00:00:00Z') })).toBe(36);
    expect(run({ cn_id_age: 'x' })).toBeNull();
  });
});
