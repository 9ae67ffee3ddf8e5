import { readBoolean, readNumber, readString } from './config-reader.ts';
import { defineFieldType } from './define-field-type.ts';
import { normaliseUuid, normaliseUuidList, uuidSchema } from './uuid-value.ts';

/** The most rows a subform value may carry in one request. */
export const SUBFORM_MAX_ROWS = 1000;

/**
 * Subform: rows of a child table `app_<app>.<form>__<field>` (columns `id`, `parent_id` with a
 * cascading foreign key, `row_order`, then the row fields in `field.fields`). The value is a
 * list of row objects; each row is checked by the subform's own compiled validator.
 */
export const subformField = defineFieldType({
  type: 'subform',
  version: 1,
  label: { 'zh-CN': '子表单', en: 'Subform' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { maxRows: { type: 'integer', minimum: 1, maximum: SUBFORM_MAX_ROWS } },
  },
  readConfig: (raw) => ({ maxRows: readNumber(raw, 'maxRows', 200) }),
  storage: 'child-table',
  input: true,
  validations: ['required', 'minItems', 'maxItems'],
  valueSchema: () => ({ type: 'array', items: { type: 'object' } }),
  normalise: (value, config) => {
    if (!Array.isArray(value)) return { ok: false, rule: 'type', params: { expected: 'rows' } };
    if (value.length > config.maxRows) {
      return { ok: false, rule: 'maxItems', params: { limit: config.maxRows } };
    }
    return { ok: true, value: value.length === 0 ? null : value };
  },
  filterable: false,
  sortable: false,
  ruleType: () => 'json',
});

/** The settings of a relation field. */
export interface RelationConfig {
  readonly form: string;
  readonly multiple: boolean;
  readonly maxItems: number;
}

/**
 * Relation to another form of the same app. One: a `uuid` column with a foreign key to the
 * target table's `id`. Many: a junction table `<form>__<field>` (`source_id`, `target_id`,
 * both foreign keys) and a list of record ids as the value.
 */
export const relationField = defineFieldType<RelationConfig>({
  type: 'relation',
  version: 1,
  label: { 'zh-CN': '关联', en: 'Relation' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['form'],
    properties: {
      form: { $ref: 'key' },
      multiple: { type: 'boolean' },
      maxItems: { type: 'integer', minimum: 1, maximum: 1000 },
      displayField: { $ref: 'key' },
    },
  },
  readConfig: (raw) => ({
    form: readString(raw, 'form', ''),
    multiple: readBoolean(raw, 'multiple', false),
    maxItems: readNumber(raw, 'maxItems', 100),
  }),
  storage: (config) => (config.multiple ? 'junction-table' : 'column'),
  input: true,
  validations: ['required', 'minItems', 'maxItems'],
  columnType: () => 'uuid',
  valueSchema: (config) => (config.multiple ? { type: 'array', items: uuidSchema } : uuidSchema),
  normalise: (value, config) =>
    config.multiple ? normaliseUuidList(value, config.maxItems) : normaliseUuid(value),
  fromDb: (value) => (Array.isArray(value) ? value.map(String) : String(value)),
  filterable: true,
  sortable: false,
  ruleType: (config) => (config.multiple ? 'uuid[]' : 'uuid'),
});
