import { KEY_PATTERN } from './identifier.ts';

/** The most forms an app and fields a form may hold: a guard against absurd documents. */
export const LIMITS = Object.freeze({ forms: 200, fields: 500, sections: 50, subformFields: 100 });

/** `{ "zh-CN": "…", "en": "…" }`, both required, each 1–200 characters. */
export const localizedSchema = {
  $id: 'localized',
  type: 'object',
  additionalProperties: false,
  required: ['zh-CN', 'en'],
  properties: {
    'zh-CN': { type: 'string', minLength: 1, maxLength: 200 },
    en: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

/** A key that becomes an SQL identifier (reserved and system names are refused separately). */
export const keySchema = { $id: 'key', type: 'string', pattern: KEY_PATTERN } as const;

const helpSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['zh-CN', 'en'],
  properties: {
    'zh-CN': { type: 'string', maxLength: 2000 },
    en: { type: 'string', maxLength: 2000 },
  },
};

const bound = { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 40 }] };

/** JSON schema of a field; `fields` (subform rows) refers back to it. */
const fieldSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'key', 'type', 'label'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    key: { $ref: 'key' },
    type: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' },
    typeVersion: { type: 'integer', minimum: 1, maximum: 1000 },
    label: { $ref: 'localized' },
    help: helpSchema,
    config: { type: 'object' },
    validations: {
      type: 'object',
      additionalProperties: false,
      properties: {
        required: { type: 'boolean' },
        min: bound,
        max: bound,
        minLength: { type: 'integer', minimum: 0, maximum: 100_000 },
        maxLength: { type: 'integer', minimum: 1, maximum: 100_000 },
        pattern: { type: 'string', minLength: 1, maxLength: 200 },
        patternMessage: { $ref: 'localized' },
        unique: { type: 'boolean' },
        minItems: { type: 'integer', minimum: 0, maximum: 1000 },
        maxItems: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
    layout: {
      type: 'object',
      additionalProperties: false,
      properties: {
        section: { $ref: 'key' },
        order: { type: 'integer', minimum: 0, maximum: 100_000 },
        span: { type: 'integer', minimum: 1, maximum: 24 },
      },
    },
    rules: {
      type: 'object',
      additionalProperties: false,
      properties: { visibleWhen: {}, requiredWhen: {}, readOnlyWhen: {}, defaultValue: {} },
    },
    fields: {
      type: 'array',
      minItems: 1,
      maxItems: LIMITS.subformFields,
      items: { $ref: '#/$defs/field' },
    },
    sensitive: { type: 'boolean' },
    deleted: { type: 'boolean' },
  },
};

/** JSON schema of one form version. */
export const formDefinitionSchema = {
  $id: 'form',
  type: 'object',
  additionalProperties: false,
  required: ['key', 'label', 'version', 'fields'],
  properties: {
    key: { $ref: 'key' },
    label: { $ref: 'localized' },
    version: { type: 'integer', minimum: 1 },
    description: helpSchema,
    sections: {
      type: 'array',
      maxItems: LIMITS.sections,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'label'],
        properties: { key: { $ref: 'key' }, label: { $ref: 'localized' } },
      },
    },
    fields: { type: 'array', maxItems: LIMITS.fields, items: { $ref: '#/$defs/field' } },
  },
  $defs: { field: fieldSchema },
} as const;

/** JSON schema of an app document: the format documented in docs/forms.md. */
export const appDefinitionSchema = {
  $id: 'app',
  type: 'object',
  additionalProperties: false,
  required: ['key', 'label', 'forms'],
  properties: {
    key: { $ref: 'key' },
    label: { $ref: 'localized' },
    description: helpSchema,
    forms: { type: 'array', maxItems: LIMITS.forms, items: { $ref: 'form' } },
  },
} as const;
