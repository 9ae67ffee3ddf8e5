import type { LocalizedText } from '@joinery/shared';
import { isRecord } from './config-reader.ts';
import { defineFieldType } from './define-field-type.ts';

/** One choice of a select field: a stable `value` (stored) and a label (shown). */
export interface SelectOption {
  readonly value: string;
  readonly label: LocalizedText;
  readonly color?: string;
}

/** Option values are stored as text and compared by rules, so they follow a plain pattern. */
export const OPTION_VALUE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

const optionsSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 500,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['value', 'label'],
    properties: {
      value: { type: 'string', pattern: OPTION_VALUE_PATTERN },
      label: { $ref: 'localized' },
      color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
    },
  },
};

function readOptions(raw: Readonly<Record<string, unknown>>): readonly string[] {
  const options = raw.options;
  if (!Array.isArray(options)) return [];
  return options.flatMap((option) =>
    isRecord(option) && typeof option.value === 'string' ? [option.value] : [],
  );
}

/** Single select: one option value, `text` column. */
export const selectField = defineFieldType({
  type: 'select',
  version: 1,
  label: { 'zh-CN': '单选', en: 'Single select' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['options'],
    properties: { options: optionsSchema, display: { enum: ['dropdown', 'radio'] } },
  },
  readConfig: (raw) => ({ options: readOptions(raw) }),
  storage: 'column',
  input: true,
  validations: ['required'],
  columnType: () => 'text',
  valueSchema: (config) => ({ type: 'string', enum: [...config.options] }),
  normalise: (value, config) => {
    if (typeof value !== 'string')
      return { ok: false, rule: 'type', params: { expected: 'option' } };
    if (!config.options.includes(value)) return { ok: false, rule: 'options' };
    return { ok: true, value };
  },
  filterable: true,
  sortable: true,
  ruleType: () => 'text',
});

/** Multi select: a list of distinct option values, kept in option order; `text[]` column. */
export const multiSelectField = defineFieldType({
  type: 'multiselect',
  version: 1,
  label: { 'zh-CN': '多选', en: 'Multi select' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['options'],
    properties: { options: optionsSchema, display: { enum: ['dropdown', 'checkbox'] } },
  },
  readConfig: (raw) => ({ options: readOptions(raw) }),
  storage: 'column',
  input: true,
  validations: ['required', 'minItems', 'maxItems'],
  columnType: () => 'text[]',
  valueSchema: (config) => ({
    type: 'array',
    uniqueItems: true,
    items: { type: 'string', enum: [...config.options] },
  }),
  normalise: (value, config) => {
    if (!Array.isArray(value) || value.length > config.options.length + 1) {
      return { ok: false, rule: 'type', params: { expected: 'options' } };
    }
    for (const item of value) {
      if (typeof item !== 'string')
        return { ok: false, rule: 'type', params: { expected: 'options' } };
      if (!config.options.includes(item)) return { ok: false, rule: 'options', params: { item } };
    }
    const chosen = config.options.filter((option) => value.includes(option));
    return { ok: true, value: chosen.length === 0 ? null : chosen };
  },
  filterable: true,
  sortable: false,
  ruleType: () => 'text[]',
});

/** Checkbox: a boolean, `boolean` column. Only `true`/`false` are accepted — no "yes" strings. */
export const checkboxField = defineFieldType({
  type: 'checkbox',
  version: 1,
  label: { 'zh-CN': '复选框', en: 'Checkbox' },
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required'],
  columnType: () => 'boolean',
  valueSchema: () => ({ type: 'boolean' }),
  normalise: (value) =>
    typeof value === 'boolean'
      ? { ok: true, value }
      : { ok: false, rule: 'type', params: { expected: 'boolean' } },
  filterable: true,
  sortable: true,
  ruleType: () => 'boolean',
});
