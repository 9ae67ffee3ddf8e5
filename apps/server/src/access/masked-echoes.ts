import { maskValue } from '@joinery/access';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { type PersonalData, personalDataOf } from './personal-data.ts';

type Values = Readonly<Record<string, unknown>>;

/**
 * A write's `input` without the masks a client echoed back. A form shows personal data masked
 * (`138****1234`) unless the user revealed it; saved untouched, that mask must not overwrite the
 * stored value. So a personal-data field whose sent value is exactly its stored value masked is
 * left out (no change), and in subform rows such a row field keeps the stored row's value (rows
 * matched by id). A new value typed in full is written as sent. `input` is not changed; anything
 * that is not a values object is returned as it is, for the form engine to refuse.
 */
export function withoutMaskedEchoes(form: PublishedForm, input: unknown, stored: Values): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...(input as Values) };
  for (const [key, sent] of Object.entries(out)) {
    const data = personalDataOf(form.fields.get(key)?.definition);
    if (!data) continue;
    if (data.kind === 'value') {
      if (isEcho(sent, stored[key], (value) => maskValue(value, data.rule))) delete out[key];
      continue;
    }
    if (!Array.isArray(sent) || !Array.isArray(stored[key])) continue;
    const storedRows = new Map<unknown, Values>();
    for (const row of stored[key] as unknown[]) {
      if (isObject(row)) storedRows.set(row.id, row);
    }
    out[key] = sent.map((row: unknown) => {
      const before = isObject(row) && row.id !== undefined ? storedRows.get(row.id) : undefined;
      if (!isObject(row) || before === undefined) return row;
      const kept: Record<string, unknown> = { ...row };
      for (const [field, rule] of data.rules) {
        if (isEcho(kept[field], before[field], (value) => maskValue(value, rule))) {
          kept[field] = before[field];
        }
      }
      return kept;
    });
  }
  return out;
}

/** True when `sent` is the mask of a stored value that differs from its mask. */
function isEcho(sent: unknown, stored: unknown, mask: (value: unknown) => unknown): boolean {
  if (typeof sent !== 'string' || stored === null || stored === undefined || stored === '') {
    return false;
  }
  const masked = mask(stored);
  return masked !== stored && sent === masked;
}

function isObject(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * True when a write sent every personal value the record now holds in `key`: showing those back
 * is no look at data the writer did not have. A field sent masked, or rows sent with some values
 * masked, kept the stored values — showing those is a clear read like any other (audited).
 */
export function echoesWrite(
  sent: Values | undefined,
  key: string,
  value: unknown,
  data: PersonalData,
): boolean {
  if (sent === undefined || !Object.hasOwn(sent, key)) return false;
  const written = new Set(personalValues(sent[key], data));
  return personalValues(value, data).every((held) => written.has(held));
}

/** The personal-data values `value` holds (its own, or its rows' personal fields), as text. */
function personalValues(value: unknown, data: PersonalData): string[] {
  if (blank(value)) return [];
  if (data.kind === 'value') return [String(value)];
  if (!Array.isArray(value)) return [];
  return value
    .filter(isObject)
    .flatMap((row) =>
      [...data.rules.keys()]
        .filter((field) => !blank(row[field]))
        .map((field) => String(row[field])),
    );
}

function blank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}
