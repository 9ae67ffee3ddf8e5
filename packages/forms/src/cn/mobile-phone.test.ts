import { describe, expect, it } from 'vitest';
import { normaliseBankAccount, passesLuhn } from './bank-account.ts';
import { normaliseCnMobile } from './mobile-phone.ts';

describe('CN mobile numbers and bank accounts', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['0086-13800138000', '13800138000'],
    ['19912345678', '19912345678'],
    ['12800138000', null],
    ['138001380001', null],
    ['1380013800a', null],
  ])('mobile %s → %s', (input, expected) => {
    expect(normaliseCnMobile(input)).toBe(expected);
  });

  it('bank accounts: digits only, 8–32, optional Luhn', () => {
    expect(normaliseBankAccount('6222 0200 1234 5678')).toBe('6222020012345678');
    expect(normaliseBankAccount('1234567')).toBeNull();
    expect(normaliseBankAccount('1'.repeat(33))).toBeNull();
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});
