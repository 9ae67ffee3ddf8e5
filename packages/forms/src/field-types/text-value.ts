import type { Normalised } from './define-field-type.ts';

/**
 * Characters a text value may not hold: NUL (Postgres `text` cannot store it, and `pg` would
 * fail with a server error) and the other C0 controls except tab, line feed and carriage return.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the ones refused
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Options of `normaliseText`. */
export interface TextRules {
  readonly maxLength: number;
  readonly multiline: boolean;
}

/**
 * Checks a text input: a string, no control characters, no line breaks unless multi-line,
 * trimmed, at most `maxLength` characters (code points). An empty string becomes null.
 */
export function normaliseText(value: unknown, rules: TextRules): Normalised {
  if (typeof value !== 'string') return { ok: false, rule: 'type', params: { expected: 'text' } };
  if (FORBIDDEN_CONTROL.test(value)) return { ok: false, rule: 'controlCharacters' };
  const trimmed = value.trim();
  if (!rules.multiline && /[\r\n]/.test(trimmed)) return { ok: false, rule: 'singleLine' };
  const length = [...trimmed].length;
  if (length > rules.maxLength) {
    return { ok: false, rule: 'maxLength', params: { limit: rules.maxLength, actual: length } };
  }
  return { ok: true, value: trimmed === '' ? null : trimmed };
}
