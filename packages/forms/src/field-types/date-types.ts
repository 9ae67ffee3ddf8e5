import { readOptionalString } from './config-reader.ts';
import { dateFromDb, dateTimeFromDb, normaliseDate, normaliseDateTime } from './date-value.ts';
import { defineFieldType } from './define-field-type.ts';

/** Date: `YYYY-MM-DD` string, `date` column. */
export const dateField = defineFieldType({
  type: 'date',
  version: 1,
  label: { 'zh-CN': '日期', en: 'Date' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { display: { type: 'string', maxLength: 40 } },
  },
  readConfig: (raw) => ({ display: readOptionalString(raw, 'display') }),
  storage: 'column',
  input: true,
  validations: ['required', 'min', 'max', 'unique'],
  columnType: () => 'date',
  valueSchema: () => ({ type: 'string', format: 'date' }),
  normalise: (value) => normaliseDate(value),
  fromDb: (value) => dateFromDb(value),
  filterable: true,
  sortable: true,
  ruleType: () => 'date',
});

/** Date-time: ISO 8601 with an offset in, UTC ISO 8601 out; `timestamptz` column. */
export const dateTimeField = defineFieldType({
  type: 'datetime',
  version: 1,
  label: { 'zh-CN': '日期时间', en: 'Date and time' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { display: { type: 'string', maxLength: 40 } },
  },
  readConfig: (raw) => ({ display: readOptionalString(raw, 'display') }),
  storage: 'column',
  input: true,
  validations: ['required', 'min', 'max'],
  columnType: () => 'timestamptz(3)',
  valueSchema: () => ({ type: 'string', format: 'date-time' }),
  normalise: (value) => normaliseDateTime(value),
  fromDb: (value) => dateTimeFromDb(value),
  filterable: true,
  sortable: true,
  ruleType: () => 'datetime',
});
