import { isCalendarDate } from '../field-types/date-value.ts';

const SHAPE = /^[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/**
 * The ISO 7064 MOD 11-2 check character of the first 17 digits of a PRC resident identity
 * number (GB 11643-1999), or null when `first17` is not 17 digits.
 */
export function nationalIdCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? null;
}

/** Why a national ID number is refused, or null when it is valid. */
export type NationalIdProblem = 'format' | 'birthDate' | 'checkDigit';

/**
 * Checks an 18-character PRC identity number: shape, a real birth date (years 1900–2099) and
 * the check character. A lower-case `x` is accepted; `normaliseNationalId` upper-cases it.
 */
export function checkNationalId(id: string): NationalIdProblem | null {
  const upper = id.toUpperCase();
  const match = SHAPE.exec(upper);
  if (!match) return 'format';
  const year = Number(match[1]);
  if (year < 1900 || year > 2099 || !isCalendarDate(year, Number(match[2]), Number(match[3]))) {
    return 'birthDate';
  }
  return nationalIdCheckChar(upper.slice(0, 17)) === upper[17] ? null : 'checkDigit';
}

/** The birth date (`YYYY-MM-DD`) encoded in a valid identity number, else null. */
export function nationalIdBirthDate(id: string): string | null {
  if (checkNationalId(id) !== null) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** The gender encoded in a valid identity number: odd 17th digit male, even female. */
export function nationalIdGender(id: string): 'male' | 'female' | null {
  if (checkNationalId(id) !== null) return null;
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}
