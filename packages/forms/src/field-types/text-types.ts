import { readNumber } from './config-reader.ts';
import { defineFieldType } from './define-field-type.ts';
import { normaliseText } from './text-value.ts';

/** The hard cap of a single-line text, whatever the field's own `maxLength` says. */
export const SINGLE_LINE_MAX = 1000;
/** The hard cap of a multi-line text. */
export const MULTI_LINE_MAX = 50_000;

const textConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { placeholder: { $ref: 'localized' } },
};

/** Single-line text: `text` column, trimmed, no line breaks, at most 1,000 characters. */
export const textField = defineFieldType({
  type: 'text',
  version: 1,
  label: { 'zh-CN': '单行文本', en: 'Single-line text' },
  configSchema: textConfigSchema,
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required', 'minLength', 'maxLength', 'pattern', 'unique'],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', maxLength: SINGLE_LINE_MAX }),
  normalise: (value) => normaliseText(value, { maxLength: SINGLE_LINE_MAX, multiline: false }),
  filterable: true,
  sortable: true,
  encryptable: true,
  ruleType: () => 'text',
});

/** Multi-line text: `text` column, line breaks allowed, at most 50,000 characters. */
export const textareaField = defineFieldType({
  type: 'textarea',
  version: 1,
  label: { 'zh-CN': '多行文本', en: 'Multi-line text' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      placeholder: { $ref: 'localized' },
      rows: { type: 'integer', minimum: 1, maximum: 40 },
    },
  },
  readConfig: (raw) => ({ rows: readNumber(raw, 'rows', 4) }),
  storage: 'column',
  input: true,
  validations: ['required', 'minLength', 'maxLength', 'pattern'],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', maxLength: MULTI_LINE_MAX }),
  normalise: (value) => normaliseText(value, { maxLength: MULTI_LINE_MAX, multiline: true }),
  filterable: true,
  sortable: false,
  ruleType: () => 'text',
});
