import type { RuleValueType } from '@joinery/forms';
import {
  logicToSql,
  type SqlField,
  type SqlFieldType,
  type SqlRelation,
  type SqlSchema,
} from '@joinery/rules';
import { JoineryError } from '@joinery/shared';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { RuleContext } from '../clock/rule-context.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import type { ColumnField } from '../metadata/form-table.ts';
import { SYSTEM_COLUMNS } from './record-values.ts';
import {
  blindIndexFilter,
  blindIndexOf,
  encryptedQueryError,
  type SensitivePath,
} from './sensitive-filter.ts';

/** The alias of the form's table in list queries. */
export const ALIAS = 't';

const RULE_TO_SQL: Partial<Record<RuleValueType, SqlFieldType>> = {
  text: 'text',
  number: 'number',
  decimal: 'money',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  'text[]': 'text[]',
  uuid: 'uuid',
};

/** One sort key: a column (a field's or a system one) and its direction. */
export interface SortKey {
  readonly key: string;
  readonly column: string;
  readonly desc: boolean;
  readonly notNull: boolean;
  readonly field: ColumnField | null;
}

function invalid(parameter: string, reason: string): JoineryError {
  return new JoineryError('JNY_RECORD_QUERY_INVALID', { parameter, reason });
}

/**
 * What list filters may reference: filterable live fields, the system columns and, through
 * each one-relation, the related form's fields (`customer.city`). Related tables are named
 * unqualified (the rule engine quotes a table as one identifier): a query using them runs with
 * `search_path` set to the app's schema (`usesRelation`).
 */
export function filterSchema(
  form: PublishedForm,
  related: readonly PublishedForm[] = [],
): SqlSchema {
  const relations: Record<string, SqlRelation> = {};
  for (const column of form.table.columns) {
    const target = related.find((other) => other.formKey === column.field.config?.form);
    if (column.field.deleted || column.field.type !== 'relation' || !target) continue;
    relations[column.field.key] = {
      table: target.table.table,
      foreignKey: column.column,
      targetKey: 'id',
      fields: fieldsOf(target),
    };
  }
  return { table: form.table.table, alias: ALIAS, fields: fieldsOf(form), relations };
}

/** True when a filter reads a field through a relation of the form. */
export function usesRelation(form: PublishedForm, filter: string | undefined): boolean {
  if (!filter) return false;
  return form.table.columns.some(
    (column) => column.field.type === 'relation' && filter.includes(`"${column.field.key}.`),
  );
}

function fieldsOf(form: PublishedForm): Record<string, SqlField> {
  const fields: Record<string, SqlField> = {};
  for (const [key, system] of Object.entries(SYSTEM_COLUMNS)) {
    fields[key] = {
      column: system.column,
      type: system.type === 'number' ? 'number' : system.type,
    };
  }
  for (const column of form.table.columns) {
    if (column.field.deleted || !column.bound.type.filterable) continue;
    if (column.sensitive) {
      // Only the keyed hash is comparable; `blindIndexFilter` rewrites equality onto it.
      const { indexColumn } = column.sensitive;
      fields[indexColumn] = { column: indexColumn, type: 'text' };
      continue;
    }
    const type = RULE_TO_SQL[column.bound.ruleType];
    if (type) fields[column.field.key] = { column: column.column, type };
  }
  return fields;
}

/** The sensitive fields a filter may name, through the form's relations too. */
function sensitivePaths(
  form: PublishedForm,
  related: readonly PublishedForm[],
): Map<string, SensitivePath> {
  const paths = new Map<string, SensitivePath>();
  const add = (prefix: string, of: PublishedForm) => {
    for (const column of of.table.columns) {
      if (column.field.deleted || !column.sensitive) continue;
      paths.set(`${prefix}${column.field.key}`, {
        column,
        indexPath: `${prefix}${column.sensitive.indexColumn}`,
      });
    }
  };
  add('', form);
  for (const column of form.table.columns) {
    const target = related.find((other) => other.formKey === column.field.config?.form);
    if (!column.field.deleted && column.field.type === 'relation' && target) {
      add(`${column.field.key}.`, target);
    }
  }
  return paths;
}

/**
 * The JSON-logic `filter` parameter as a SQL condition, through the rule engine's translator
 * (values become parameters; field names are only looked up in `filterSchema`). Malformed JSON
 * or an expression with no SQL form answers 400 with the reason.
 */
export function filterCondition(
  form: PublishedForm,
  filter: string | undefined,
  context: RuleContext,
  related: readonly PublishedForm[] = [],
): RawBuilder<SqlBool> | null {
  if (filter === undefined || filter === '') return null;
  let logic: unknown;
  try {
    logic = JSON.parse(filter);
  } catch {
    throw invalid('filter', 'not JSON');
  }
  const sealed = blindIndexFilter(logic, sensitivePaths(form, related));
  return logicToSql(sealed, filterSchema(form, related), context);
}

/**
 * Parses `sort` (`-amount,created_at`: a minus for descending): only sortable live fields and
 * the system columns, at most 5 keys, each once. The record id always ends the order, so
 * pages are stable and a keyset cursor is exact.
 */
export function parseSort(form: PublishedForm, sort: string | undefined): SortKey[] {
  const text = sort === undefined || sort === '' ? '-created_at' : sort;
  const parts = text.split(',');
  if (parts.length > 5) throw invalid('sort', 'at most 5 keys');
  const keys: SortKey[] = [];
  for (const part of parts) {
    const desc = part.startsWith('-');
    const key = desc ? part.slice(1) : part;
    if (keys.some((k) => k.key === key)) throw invalid('sort', `${key.slice(0, 64)} appears twice`);
    const system = Object.hasOwn(SYSTEM_COLUMNS, key) ? SYSTEM_COLUMNS[key] : undefined;
    if (system) {
      keys.push({ key, column: system.column, desc, notNull: system.notNull, field: null });
      continue;
    }
    const column = form.table.columns.find((c) => c.field.key === key && !c.field.deleted);
    if (column?.sensitive) throw encryptedQueryError(key);
    if (!column?.bound.type.sortable) {
      throw invalid('sort', `${key.slice(0, 64)} is not a sortable field`);
    }
    keys.push({ key, column: column.column, desc, notNull: false, field: column });
  }
  if (!keys.some((k) => k.key === 'id')) {
    const last = keys[keys.length - 1];
    keys.push({ key: 'id', column: 'id', desc: last?.desc ?? false, notNull: true, field: null });
  }
  return keys;
}

/** `ORDER BY` for the sort keys (Postgres's defaults: NULLs last ascending, first descending). */
export function orderBy(keys: readonly SortKey[]): RawBuilder<unknown> {
  return sql.join(keys.map((k) => (k.desc ? sql`${col(k)} desc` : sql`${col(k)} asc`)));
}

function col(key: SortKey): RawBuilder<unknown> {
  return sql.ref(`${ALIAS}.${key.column}`);
}

/** The cursor of the row after which the next page starts: its sort values, opaque to clients. */
export function encodeCursor(keys: readonly SortKey[], row: Readonly<Record<string, unknown>>) {
  const values = keys.map((k) => {
    const value = row[k.column];
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return k.field ? k.field.bound.fromDb(value) : value.toISOString();
    return k.field ? k.field.bound.fromDb(value) : value;
  });
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(keys: readonly SortKey[], cursor: string): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor', 'not a cursor of this list');
  }
  if (
    !Array.isArray(values) ||
    values.length !== keys.length ||
    values.some((v) => v !== null && !['string', 'number', 'boolean'].includes(typeof v))
  ) {
    throw invalid('cursor', 'not a cursor of this list');
  }
  return values;
}

/**
 * The keyset condition "after the cursor row" for the sort keys. When every key is NOT NULL
 * and all go the same way it is one row comparison `(a, id) < ($1, $2)`, which an index on
 * those columns answers directly; otherwise the general form, NULL-aware.
 */
export function afterCursor(keys: readonly SortKey[], cursor: string): RawBuilder<SqlBool> {
  const values = decodeCursor(keys, cursor);
  const first = keys[0];
  if (
    first &&
    keys.every((k) => k.notNull && k.desc === first.desc) &&
    values.every((v) => v !== null)
  ) {
    const columns = sql.join(keys.map(col));
    const params = sql.join(values);
    return first.desc ? sql`(${columns}) < (${params})` : sql`(${columns}) > (${params})`;
  }
  const branches: RawBuilder<SqlBool>[] = [];
  keys.forEach((key, index) => {
    const equal = keys.slice(0, index).map((k, j) => equals(k, values[j]));
    branches.push(
      sql.join([...equal, after(key, values[index])], sql` and `) as RawBuilder<SqlBool>,
    );
  });
  return sql<SqlBool>`(${sql.join(
    branches.map((b) => sql`(${b})`),
    sql` or `,
  )})`;
}

function equals(key: SortKey, value: unknown): RawBuilder<SqlBool> {
  return value === null ? sql`${col(key)} is null` : sql`${col(key)} = ${value}`;
}

function after(key: SortKey, value: unknown): RawBuilder<SqlBool> {
  // Ascending puts NULLs last; descending puts them first.
  if (key.desc) return value === null ? sql`${col(key)} is not null` : sql`${col(key)} < ${value}`;
  return value === null ? sql`false` : sql`(${col(key)} > ${value} or ${col(key)} is null)`;
}

/**
 * Text search: a case-insensitive substring of any live text field the reader may search
 * (`searchable`: readable and not shown masked to them), or the whole value of a sensitive one
 * (through its blind index).
 */
export function searchCondition(
  form: PublishedForm,
  q: string | undefined,
  searchable: (field: string) => boolean,
): RawBuilder<SqlBool> | null {
  if (q === undefined || q.trim() === '') return null;
  const live = form.table.columns.filter(
    (c) =>
      !c.field.deleted &&
      c.bound.ruleType === 'text' &&
      c.bound.type.filterable &&
      searchable(c.field.key),
  );
  const pattern = `%${q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  // Encrypted fields cannot be searched by substring; a whole value still finds its record.
  const conditions = live.map((c) =>
    c.sensitive
      ? sql<SqlBool>`${sql.ref(`${ALIAS}.${c.sensitive.indexColumn}`)} = ${blindIndexOf(c, q.trim())}`
      : sql<SqlBool>`${sql.ref(`${ALIAS}.${c.column}`)} ilike ${pattern}`,
  );
  if (conditions.length === 0) return sql`false`;
  return sql<SqlBool>`(${sql.join(conditions, sql` or `)})`;
}

/** Parses a comma-separated list of field keys, each a live field of the form. */
export function parseFieldList(
  form: PublishedForm,
  parameter: 'fields' | 'expand',
  text: string | undefined,
): Set<string> | undefined {
  if (text === undefined || text === '') return undefined;
  const keys = new Set(text.split(','));
  if (keys.size > 200) throw invalid(parameter, 'too many fields');
  for (const key of keys) {
    const field = form.fields.get(key);
    if (!field) throw invalid(parameter, `${key.slice(0, 64)} is not a field of the form`);
    if (parameter === 'expand' && field.definition.type !== 'relation') {
      throw invalid(parameter, `${key.slice(0, 64)} is not a relation`);
    }
  }
  return keys;
}
