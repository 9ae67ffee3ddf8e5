import {
  compileFormValidator,
  type FieldDefinition,
  type FormDefinition,
  type FormValidator,
  subformDefinition,
} from '@joinery/forms';
import type { Locale, LocalizedText } from '@joinery/shared';

/** How a list filters a field: decides the operators and the value input. */
export type FilterKind =
  | 'text'
  /** Encrypted personal data: equality only, which the server answers through its keyed hash. */
  | 'exact'
  | 'choice'
  | 'choices'
  | 'number'
  | 'decimal'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'reference';

/** One choice of a select field, as its definition lists it. */
export interface FieldOption {
  readonly value: string;
  readonly label: LocalizedText;
}

/** A field as the runtime pages need it: what to show, how to sort and filter it. */
export interface RuntimeField {
  readonly key: string;
  readonly label: LocalizedText;
  readonly type: string;
  readonly definition: FieldDefinition;
  /** Takes input (false for formula, rollup, lookup, serial). */
  readonly input: boolean;
  /** The server sorts by it (a sortable type stored in a column). */
  readonly sortable: boolean;
  /** The list's filter builder offers it; null when the server cannot filter by it. */
  readonly filterKind: FilterKind | null;
  readonly options: readonly FieldOption[];
  /** A subform's row fields (empty for other types). */
  readonly rows: readonly RuntimeField[];
}

/** A field's text in the UI language. */
export function localized(text: LocalizedText | undefined, locale: Locale): string {
  return text ? text[locale] || text['zh-CN'] : '';
}

const KIND_BY_RULE_TYPE: Readonly<Record<string, FilterKind>> = {
  text: 'text',
  number: 'number',
  decimal: 'decimal',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  'text[]': 'choices',
  uuid: 'reference',
};

/** The options of a select or multi-select definition (`config.options`). */
export function fieldOptions(field: FieldDefinition): FieldOption[] {
  const raw = field.config?.options;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((option: unknown) => {
    if (typeof option !== 'object' || option === null) return [];
    const { value, label } = option as { value?: unknown; label?: unknown };
    if (typeof value !== 'string') return [];
    const text =
      typeof label === 'object' && label !== null
        ? (label as LocalizedText)
        : { 'zh-CN': value, en: value };
    return [{ value, label: text }];
  });
}

/**
 * The live fields of a form, in their layout order, with what the list and form pages need to
 * know about each. Sortable and filterable are read from the same field-type registry the
 * server uses, so the UI never offers what the server would refuse.
 */
export function runtimeFields(form: FormDefinition): RuntimeField[] {
  const validator: FormValidator = compileFormValidator(form);
  const fields: RuntimeField[] = [];
  for (const [key, compiled] of validator.fields) {
    const { definition, type, bound } = compiled;
    const stored = bound.storage === 'column';
    let filterKind: FilterKind | null =
      stored && type.filterable ? (KIND_BY_RULE_TYPE[bound.ruleType] ?? null) : null;
    if (filterKind === 'text' && definition.type === 'select') filterKind = 'choice';
    if (filterKind !== null && definition.sensitive === true) filterKind = 'exact';
    fields.push({
      key,
      label: definition.label,
      type: definition.type,
      definition,
      input: type.input,
      // The server refuses to sort by encrypted values (their order would leak them).
      sortable: stored && type.sortable && definition.sensitive !== true,
      filterKind,
      options: fieldOptions(definition),
      rows: definition.type === 'subform' ? runtimeFields(subformDefinition(form, definition)) : [],
    });
  }
  return fields.sort(
    (a, b) => (a.definition.layout?.order ?? 0) - (b.definition.layout?.order ?? 0),
  );
}

/**
 * `fields` with sorting and filtering turned off for the keys in `masked` (personal data the
 * user sees masked), since the server refuses both on them.
 */
export function unqueryable(
  fields: readonly RuntimeField[],
  masked: ReadonlySet<string>,
): RuntimeField[] {
  return fields.map((field) =>
    masked.has(field.key) ? { ...field, sortable: false, filterKind: null } : field,
  );
}
