import type { LocalizedText } from '@joinery/shared';
import type { BoundFieldType, FieldType } from '../field-types/define-field-type.ts';
import type { FieldTypeRegistry } from '../field-types/field-type-registry.ts';
import type { FieldDefinition } from '../schema/app-definition.ts';
import { compareValues } from '../schema/check-field.ts';

/** A rule broken by a normalised value. */
export interface BrokenRule {
  readonly rule: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** A field ready to validate: its bound type and its declared checks, compiled once. */
export interface CompiledField {
  readonly key: string;
  readonly label: LocalizedText;
  readonly definition: FieldDefinition;
  readonly type: FieldType;
  readonly bound: BoundFieldType;
  readonly required: boolean;
  /** Checks a normalised, non-null value against min/max, lengths, pattern and item counts. */
  check(value: unknown): BrokenRule | null;
}

/** Compiles one field's declared validations (bounds normalised, pattern compiled, once). */
export function compileField(field: FieldDefinition, registry: FieldTypeRegistry): CompiledField {
  const type = registry.get(
    field.type,
    field.typeVersion ?? registry.latest(field.type)?.version ?? 1,
  );
  const bound = type.bind(field);
  const validations = field.validations ?? {};
  const bounds = (['min', 'max'] as const).flatMap((name) => {
    const raw = validations[name];
    if (raw === undefined) return [];
    const normalised = bound.normalise(raw);
    return normalised.ok && normalised.value !== null
      ? [{ name, limit: normalised.value, raw }]
      : [];
  });
  const pattern = validations.pattern === undefined ? null : new RegExp(validations.pattern, 'u');
  const { minLength, maxLength, minItems, maxItems } = validations;
  return Object.freeze({
    key: field.key,
    label: field.label,
    definition: field,
    type,
    bound,
    required: validations.required === true,
    check(value: unknown): BrokenRule | null {
      if (typeof value === 'string' && bound.ruleType === 'text') {
        const length = [...value].length;
        if (maxLength !== undefined && length > maxLength) {
          return { rule: 'maxLength', params: { limit: maxLength, actual: length } };
        }
        if (minLength !== undefined && length < minLength)
          return { rule: 'minLength', params: { limit: minLength } };
        if (pattern && !pattern.test(value)) return { rule: 'pattern' };
      }
      for (const { name, limit, raw } of bounds) {
        const order = compareValues(value, limit);
        if ((name === 'min' && order < 0) || (name === 'max' && order > 0)) {
          return { rule: name, params: { limit: raw } };
        }
      }
      if (Array.isArray(value)) {
        if (maxItems !== undefined && value.length > maxItems)
          return { rule: 'maxItems', params: { limit: maxItems } };
        if (minItems !== undefined && value.length < minItems)
          return { rule: 'minItems', params: { limit: minItems } };
      }
      return null;
    },
  });
}
