import { defineFieldType } from './define-field-type.ts';
import { normaliseUuid, uuidSchema } from './uuid-value.ts';

/**
 * User: the UUID of a Joinery user, `uuid` column. That the user exists is the server's check
 * (the engine has no database); the publish plan indexes the column for "my records" lists.
 */
export const userField = defineFieldType({
  type: 'user',
  version: 1,
  label: { 'zh-CN': '成员', en: 'User' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { defaultToCurrentUser: { type: 'boolean' } },
  },
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required'],
  columnType: () => 'uuid',
  valueSchema: () => uuidSchema,
  normalise: (value) => normaliseUuid(value),
  fromDb: (value) => String(value),
  filterable: true,
  sortable: false,
  ruleType: () => 'uuid',
});

/** Department: the UUID of a department, `uuid` column; existence is the server's check. */
export const departmentField = defineFieldType({
  type: 'department',
  version: 1,
  label: { 'zh-CN': '部门', en: 'Department' },
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required'],
  columnType: () => 'uuid',
  valueSchema: () => uuidSchema,
  normalise: (value) => normaliseUuid(value),
  fromDb: (value) => String(value),
  filterable: true,
  sortable: false,
  ruleType: () => 'uuid',
});
