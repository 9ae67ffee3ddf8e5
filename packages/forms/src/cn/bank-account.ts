/**
 * Normalises a bank account number: spaces and hyphens removed, then 8 to 32 digits. No Luhn
 * check: UnionPay debit cards mostly pass it, but corporate and passbook accounts often do not,
 * so a Luhn failure would refuse real accounts. Returns null when it is not an account number.
 */
export function normaliseBankAccount(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{8,32}$/.test(digits) ? digits : null;
}

/** The Luhn (mod 10) check used by most card numbers; exposed for a per-field option. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
