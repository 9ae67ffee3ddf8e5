import { utcDate } from './calendar.ts';

/**
 * Chinese resident identity numbers (GB 11643-1999): 18 characters — 6-digit region, 8-digit
 * birth date, 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character (0–9 or X).
 * The legacy 15-digit form (birth year 19YY, no check character) is read for the birth date and
 * gender but is never "valid" by `isValidNationalId`.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits. */
export function nationalIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index += 1) {
    sum += Number(first17[index]) * (WEIGHTS[index] ?? 0);
  }
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

/** The parts of an identity number whose structure and birth date are sound, else null. */
function parse(value: unknown): { birth: string; sequence: number; checked: boolean } | null {
  if (typeof value !== 'string') return null;
  const id = value.trim().toUpperCase();
  let birth: string;
  let sequence: number;
  let checked = false;
  if (/^\d{17}[\dX]$/.test(id)) {
    birth = id.slice(6, 14);
    sequence = Number(id.slice(14, 17));
    checked = nationalIdCheckCharacter(id) === id[17];
  } else if (/^\d{15}$/.test(id)) {
    birth = `19${id.slice(6, 12)}`;
    sequence = Number(id.slice(12, 15));
  } else {
    return null;
  }
  const year = Number(birth.slice(0, 4));
  if (year < 1800 || utcDate(year, Number(birth.slice(4, 6)), Number(birth.slice(6, 8))) === null) {
    return null;
  }
  return {
    birth: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sequence,
    checked,
  };
}

/** True for an 18-character number with a real birth date and the right check character. */
export function isValidNationalId(value: unknown): boolean {
  return parse(value)?.checked === true;
}

/** Birth date as `YYYY-MM-DD`, or null when the number is malformed. */
export function nationalIdBirthDate(value: unknown): string | null {
  return parse(value)?.birth ?? null;
}

/** `male` for an odd sequence number, `female` for an even one, null when malformed. */
export function nationalIdGender(value: unknown): 'male' | 'female' | null {
  const parsed = parse(value);
  if (!parsed) return null;
  return parsed.sequence % 2 === 1 ? 'male' : 'female';
}
