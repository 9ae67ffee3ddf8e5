/** A mainland China mobile number: 11 digits, `1`, then 3–9, then 9 digits. */
export const CN_MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/**
 * Normalises a mainland mobile number as people type it — spaces and hyphens removed, an
 * optional `+86`/`0086`/`86` country prefix dropped — or returns null when it is not one.
 */
export function normaliseCnMobile(input: string): string | null {
  let digits = input.replace(/[\s-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return CN_MOBILE_PATTERN.test(digits) ? digits : null;
}
