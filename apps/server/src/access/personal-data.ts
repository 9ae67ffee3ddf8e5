import { type MaskRule, maskValue } from '@joinery/access';
import type { FieldDefinition } from '@joinery/forms';

/** Field types whose values are personal data, shown masked unless the role may unmask them. */
const MASK_BY_TYPE: Readonly<Record<string, MaskRule>> = {
  mobile: 'phone',
  national_id: 'national-id',
  bank_account: 'bank-account',
};

/** How a value of a field of `type` is masked, when that type holds personal data. */
export function maskRuleOfType(type: string | undefined): MaskRule | undefined {
  return type !== undefined && Object.hasOwn(MASK_BY_TYPE, type) ? MASK_BY_TYPE[type] : undefined;
}

/**
 * The personal data a field holds: its own value (a mobile, an ID…), or fields of its subform
 * rows (a guarantor's mobile). Rights on a subform — read, unmask — are the subform field's.
 */
export type PersonalData =
  | { readonly kind: 'value'; readonly rule: MaskRule }
  | { readonly kind: 'rows'; readonly rules: ReadonlyMap<string, MaskRule> };

/** The personal data of `field`, if it holds any. */
export function personalDataOf(field: FieldDefinition | undefined): PersonalData | undefined {
  const rule = maskRuleOfType(field?.type);
  if (rule) return { kind: 'value', rule };
  if (field?.type !== 'subform') return undefined;
  const rules = new Map<string, MaskRule>();
  for (const child of field.fields ?? []) {
    const childRule = child.deleted ? undefined : maskRuleOfType(child.type);
    if (childRule) rules.set(child.key, childRule);
  }
  return rules.size > 0 ? { kind: 'rows', rules } : undefined;
}

/**
 * What personal data `value` (of the field `key`) holds: `key` itself, or `key.<field>` for each
 * row field with a value in some row — the names an unmask audit entry lists.
 */
export function personalDataHeld(key: string, value: unknown, data: PersonalData): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (data.kind === 'value') return [key];
  const rows = rowsOf(value);
  return [...data.rules.keys()]
    .filter((field) => rows.some((row) => !blank(row[field])))
    .map((field) => `${key}.${field}`);
}

/** `value` with its personal data masked (subform rows masked field by field, in place). */
export function maskPersonalData(value: unknown, data: PersonalData): unknown {
  if (data.kind === 'value') return maskValue(value, data.rule);
  for (const row of rowsOf(value)) {
    for (const [field, rule] of data.rules) {
      if (Object.hasOwn(row, field)) row[field] = maskValue(row[field], rule);
    }
  }
  return value;
}

function rowsOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((row): row is Record<string, unknown> => row !== null && typeof row === 'object')
    : [];
}

function blank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/**
 * True when a viewer sees `field` masked: it holds personal data and they may not unmask it.
 * Such a field may not be filtered, sorted, searched, grouped or aggregated on by them — each
 * of those would reveal what the mask hides (`starts with 1101` one digit at a time, or an
 * equality guess for each of the few hidden digits of a phone number).
 */
export function shownMasked(field: FieldDefinition | undefined, canUnmask: boolean): boolean {
  return !canUnmask && personalDataOf(field) !== undefined;
}
