import type { SqlField, SqlFieldType, SqlRelation, SqlSchema } from '@joinery/rules';
import type { RuleValueType } from '../field-types/define-field-type.ts';
import { type FieldTypeRegistry, fieldTypes } from '../field-types/field-type-registry.ts';
import type { FormDefinition } from '../schema/app-definition.ts';
import { formTableName } from './table-names.ts';

/** System columns a filter may use, and their rule types. */
const SYSTEM_SQL_FIELDS: Readonly<Record<string, SqlFieldType>> = {
  created_at: 'datetime',
  updated_at: 'datetime',
  version: 'number',
  deleted_at: 'datetime',
};

/**
 * The rule type of a field for `logicToSql`, or null when it cannot be filtered in SQL yet.
 * Money is `money` (a JavaScript number in memory, per `@joinery/rules`); percent and rollups
 * are `number`. UUID columns (id, owner, user, department, one-relation) are left out until the
 * rule engine has a `uuid` type: comparing a `uuid` column with an arbitrary text parameter
 * would fail in Postgres instead of answering false.
 */
export function sqlFieldType(
  ruleType: RuleValueType,
  fieldType: string,
  resultType?: unknown,
): SqlFieldType | null {
  switch (ruleType) {
    case 'text':
    case 'number':
    case 'boolean':
    case 'date':
    case 'datetime':
    case 'text[]':
      return ruleType;
    case 'decimal':
      return fieldType === 'money' || resultType === 'money' ? 'money' : 'number';
    default:
      return null;
  }
}

/** Options of `formSqlSchema`. */
export interface FormSqlSchemaOptions {
  /** The app's other forms: one-relations to them become `relations` (`customer.grade`). */
  readonly forms?: readonly FormDefinition[];
  /** The alias the query gives the form's table. */
  readonly alias?: string;
  readonly registry?: FieldTypeRegistry;
}

function fieldsOf(form: FormDefinition, registry: FieldTypeRegistry): Record<string, SqlField> {
  const fields: Record<string, SqlField> = {};
  for (const [key, type] of Object.entries(SYSTEM_SQL_FIELDS)) fields[key] = { column: key, type };
  for (const field of form.fields) {
    // A sensitive column holds ciphertext: comparing, grouping or summing it means nothing.
    if (field.deleted || field.sensitive) continue;
    const fieldType = registry.get(field.type, field.typeVersion ?? 1);
    const bound = fieldType.bind(field);
    if (bound.storage !== 'column' || !fieldType.filterable) continue;
    const type = sqlFieldType(bound.ruleType, field.type, field.config?.resultType);
    if (type) fields[field.key] = { column: field.key, type };
  }
  return fields;
}

/**
 * The schema `logicToSql` translates filters, permission scopes and report conditions over:
 * every live, filterable, column-stored field that is not sensitive, by key (the column has the key's name), the
 * system timestamps and version, and one-relations to the other forms given. Table names are
 * unqualified: the server runs these queries with `search_path` set to the app schema
 * (`app_<app>`), since `logicToSql` quotes a table as a single identifier.
 */
export function formSqlSchema(form: FormDefinition, options: FormSqlSchemaOptions = {}): SqlSchema {
  const registry = options.registry ?? fieldTypes;
  const relations: Record<string, SqlRelation> = {};
  for (const field of form.fields) {
    if (field.deleted || field.type !== 'relation' || field.config?.multiple === true) continue;
    const target = options.forms?.find((candidate) => candidate.key === field.config?.form);
    if (!target) continue;
    relations[field.key] = {
      table: formTableName(target.key),
      foreignKey: field.key,
      targetKey: 'id',
      fields: fieldsOf(target, registry),
    };
  }
  const schema: SqlSchema = {
    table: formTableName(form.key),
    fields: fieldsOf(form, registry),
    relations,
    ...(options.alias === undefined ? {} : { alias: options.alias }),
  };
  return schema;
}
