import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkNationalId,
  nationalIdBirthDate,
  nationalIdCheckChar,
  nationalIdGender,
} from './national-id.ts';

describe('PRC national ID numbers', () => {
  it('knows the published example of GB 11643', () => {
    expect(nationalIdCheckChar('11010519491231002')).toBe('X');
    expect(checkNationalId('11010519491231002X')).toBeNull();
    expect(checkNationalId('11010519491231002x')).toBeNull();
    expect(nationalIdBirthDate('11010519491231002X')).toBe('1949-12-31');
    expect(nationalIdGender('11010519491231002X')).toBe('female');
  });

  it('derives nothing from an invalid number', () => {
    expect(nationalIdBirthDate('110105194912310021')).toBeNull();
    expect(nationalIdGender('abc')).toBeNull();
    expect(checkNationalId('010105194912310021')).toBe('format');
    expect(checkNationalId('110105180012310021')).toBe('birthDate');
  });

  it('accepts every number built with its check character and refuses any other last char', () => {
    const first17 = fc
      .tuple(
        fc.integer({ min: 110000, max: 659999 }),
        fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(
        ([region, date, sequence]) =>
          `${region}${date.toISOString().slice(0, 10).replace(/-/g, '')}${String(sequence).padStart(3, '0')}`,
      );
    fc.assert(
      fc.property(first17, fc.constantFrom(...'0123456789X'), (prefix, other) => {
        const check = nationalIdCheckChar(prefix);
        expect(checkNationalId(`${prefix}${check}`)).toBeNull();
        if (other !== check) expect(checkNationalId(`${prefix}${other}`)).toBe('checkDigit');
        expect(nationalIdGender(`${prefix}${check}`)).toBe(
          Number(prefix[16]) % 2 ? 'male' : 'female',
        );
      }),
      { numRuns: 300 },
    );
  });
});
