import type { LocalizedText } from '@joinery/shared';
import type { FieldDefinition, FieldValidations } from '../schema/app-definition.ts';

/** A JSON schema document, as ajv takes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * How a value looks to the rule engine and to SQL filters. Mapped onto `@joinery/rules`'s
 * SQL schema by `formSqlSchema`.
 */
export type RuleValueType =
  | 'text'
  | 'number'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'text[]'
  | 'uuid'
  | 'uuid[]'
  | 'json';

/**
 * Where a field's value lives: a column of the form's table, a child table (subform rows), a
 * junction table (many-relation), or nowhere (lookups, read through a relation).
 */
export type FieldStorage = 'column' | 'child-table' | 'junction-table' | 'none';

/** The validations that mean something for a type; others are refused at definition time. */
export type ValidationName = Exclude<keyof FieldValidations, 'patternMessage'>;

/**
 * The outcome of normalising one input value. A failure names the broken rule (a key of the
 * record messages, e.g. `format`) and the parameters its message needs.
 */
export type Normalised =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly rule: string;
      readonly params?: Readonly<Record<string, unknown>>;
    };

/**
 * What a field type implements, with its settings already read into `C` by `readConfig` (which
 * runs only on configs that passed `configSchema`).
 */
export interface FieldTypeSpec<C> {
  readonly type: string;
  readonly version: number;
  readonly label: LocalizedText;
  /** JSON schema of `field.config`; checked when a definition is parsed. */
  readonly configSchema: JsonSchema;
  readonly readConfig: (raw: Readonly<Record<string, unknown>>) => C;
  /** Where values live; a function when it depends on the settings (one or many relation). */
  readonly storage: FieldStorage | ((config: C) => FieldStorage);
  /** False for values Joinery computes (formula, rollup, serial) or reads (lookup). */
  readonly input: boolean;
  readonly validations: readonly ValidationName[];
  /** The Postgres column type, for `column` storage. */
  readonly columnType?: (config: C) => string;
  /** JSON schema of a normalised value (not null); used for API output schemas. */
  readonly valueSchema: (config: C) => JsonSchema;
  /** Turns accepted input into the canonical value, or says which rule it breaks. Never throws. */
  readonly normalise: (value: unknown, config: C) => Normalised;
  /** Turns what `pg` returns for the column back into the canonical value. */
  readonly fromDb?: (value: unknown, config: C) => unknown;
  readonly filterable: boolean;
  readonly sortable: boolean;
  /** True when a field of this type may be `sensitive` (stored encrypted): text-like values only. */
  readonly encryptable?: boolean;
  readonly ruleType: (config: C) => RuleValueType;
}

/** A field type bound to one field's settings: what the validator and the publisher use. */
export interface BoundFieldType {
  readonly type: FieldType;
  readonly field: FieldDefinition;
  readonly storage: FieldStorage;
  readonly columnType: string | null;
  readonly valueSchema: JsonSchema;
  readonly ruleType: RuleValueType;
  normalise(value: unknown): Normalised;
  fromDb(value: unknown): unknown;
}

/** A registered field type, independent of any field. */
export interface FieldType {
  readonly type: string;
  readonly version: number;
  readonly label: LocalizedText;
  readonly configSchema: JsonSchema;
  readonly input: boolean;
  readonly validations: readonly ValidationName[];
  readonly filterable: boolean;
  readonly sortable: boolean;
  readonly encryptable: boolean;
  /** Reads the field's config (assumed valid against `configSchema`) and binds the type to it. */
  bind(field: FieldDefinition): BoundFieldType;
}

/**
 * Declares a field type (STYLE rule 10). The returned object erases the config type, so one
 * registry holds all types, while each implementation stays fully typed.
 */
export function defineFieldType<C>(spec: FieldTypeSpec<C>): FieldType {
  const type: FieldType = Object.freeze({
    type: spec.type,
    version: spec.version,
    label: spec.label,
    configSchema: spec.configSchema,
    input: spec.input,
    validations: Object.freeze([...spec.validations]),
    filterable: spec.filterable,
    sortable: spec.sortable,
    encryptable: spec.encryptable ?? false,
    bind(field: FieldDefinition): BoundFieldType {
      const config = spec.readConfig(field.config ?? {});
      const storage = typeof spec.storage === 'function' ? spec.storage(config) : spec.storage;
      return Object.freeze({
        type,
        field,
        storage,
        columnType: storage === 'column' && spec.columnType ? spec.columnType(config) : null,
        valueSchema: spec.valueSchema(config),
        ruleType: spec.ruleType(config),
        normalise: (value: unknown) => spec.normalise(value, config),
        fromDb: (value: unknown) =>
          value === null || value === undefined
            ? null
            : spec.fromDb
              ? spec.fromDb(value, config)
              : value,
      });
    },
  });
  return type;
}
