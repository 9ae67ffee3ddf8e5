import type { LocalizedText } from '@joinery/shared';

/** A JSON-logic expression (jsonlogic.com), evaluated by `@joinery/rules`. */
export type JsonLogic = unknown;

/**
 * An app: a named group of forms that share one Postgres schema, `app_<key>`.
 * This is the JSON format analysts produce (through the designer or the API); see docs/forms.md.
 */
export interface AppDefinition {
  readonly key: string;
  readonly label: LocalizedText;
  readonly description?: LocalizedText;
  readonly forms: readonly FormDefinition[];
}

/**
 * One version of a form. A published version is a real table `app_<app>.<key>`; `version`
 * grows by one at each publication and a published version never changes.
 */
export interface FormDefinition {
  readonly key: string;
  readonly label: LocalizedText;
  readonly version: number;
  readonly description?: LocalizedText;
  readonly sections?: readonly SectionDefinition[];
  readonly fields: readonly FieldDefinition[];
}

/** A titled group of fields in the form's layout. */
export interface SectionDefinition {
  readonly key: string;
  readonly label: LocalizedText;
}

/**
 * One field. `id` is stable for the life of the field (a rename changes `key`, never `id`), so
 * the publisher can tell a rename from a drop and an add. `type` and `typeVersion` name a field
 * type from the registry; `config` holds that type's settings (options, currency, formula…).
 */
export interface FieldDefinition {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  /** The version of the field type; saved forms keep theirs so they never change meaning. */
  readonly typeVersion?: number;
  readonly label: LocalizedText;
  readonly help?: LocalizedText;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly validations?: FieldValidations;
  readonly layout?: FieldLayout;
  readonly rules?: FieldRules;
  /** The fields of a subform's rows (type `subform` only); they become the child table. */
  readonly fields?: readonly FieldDefinition[];
  /**
   * Stored encrypted at rest (AES-256-GCM) with a keyed hash beside it for equality search.
   * Only text-like types allow it (their type says `encryptable`); an encrypted field can be
   * searched for equal values but never sorted, range-compared, searched by substring or
   * grouped in reports.
   */
  readonly sensitive?: boolean;
  /**
   * A deleted field is hidden everywhere and takes no input, but its column and data stay
   * until a publish with an explicit purge of its id.
   */
  readonly deleted?: boolean;
}

/** Declarative checks on a field's value; which ones apply depends on the field type. */
export interface FieldValidations {
  readonly required?: boolean;
  /** Bounds for numbers, money, percent (decimal strings allowed), dates and date-times. */
  readonly min?: number | string;
  readonly max?: number | string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A regular expression for text; refused at definition time when it could backtrack badly. */
  readonly pattern?: string;
  readonly patternMessage?: LocalizedText;
  /** Enforced by the server through a unique index the publish plan creates. */
  readonly unique?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** Hints for the designer and the generated form; no effect on storage. */
export interface FieldLayout {
  readonly section?: string;
  readonly order?: number;
  /** Width in a 24-column grid. */
  readonly span?: number;
}

/** Linkage: JSON-logic over the record (`{"var":"amount"}`) and the context (`$user`, `$now`). */
export interface FieldRules {
  readonly visibleWhen?: JsonLogic;
  readonly requiredWhen?: JsonLogic;
  readonly readOnlyWhen?: JsonLogic;
  /** A computed default: filled when the record has no value for the field. */
  readonly defaultValue?: JsonLogic;
}
