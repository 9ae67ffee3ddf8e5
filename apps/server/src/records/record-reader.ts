import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { ALIAS } from './record-query.ts';
import { childRowToValues, type RecordBody } from './record-values.ts';

/** Anything kysely can run a raw query on: the pool or a transaction. */
export type Queryable = Kysely<JoineryDatabase>;

/**
 * Fills in what does not live in the form's own row: subform rows (child tables), the ids of
 * many-relations (junction tables) and lookups (a field of the record a relation points to).
 * One query per subform, junction and lookup for the whole page of records, never one per record.
 * Lookups are read as the system sees them: for the runtime's own use (formulas, rules, write
 * history). What a viewer reads is filled by {@link attachRows} and {@link holdLookups} instead,
 * and its lookups by the record guard's `present`, under the viewer's rights on the related form.
 */
export async function attachRelated(
  db: Queryable,
  forms: FormRegistry,
  form: PublishedForm,
  records: RecordBody[],
  only?: ReadonlySet<string>,
): Promise<void> {
  await attachRows(db, form, records, only);
  await attachLookups(db, forms, form, records, only);
}

/**
 * Marks the lookups of `records` (all, or those in `only`) as held but not read yet (null): the
 * record guard's `present` reads the lookups a record holds, under the viewer's rights, in one
 * query per lookup field for the page — so a viewer's read reads each lookup once, checked.
 */
export function holdLookups(
  form: PublishedForm,
  records: RecordBody[],
  only?: ReadonlySet<string>,
): void {
  for (const { field } of lookupsOf(form, only)) {
    for (const record of records) record.values[field.key] = null;
  }
}

/**
 * The lookups of `form` that can show a value (all, or those in `only`): through a relation to
 * one record of another form. A lookup through a many-relation shows nothing and is left out.
 */
function lookupsOf(form: PublishedForm, only: ReadonlySet<string> | undefined) {
  return form.definition.fields.flatMap((field) => {
    if (field.deleted || field.type !== 'lookup' || (only && !only.has(field.key))) return [];
    const relationKey = String(field.config?.relation ?? '');
    const relation = form.definition.fields.find((f) => f.key === relationKey);
    const targetKey = String(relation?.config?.form ?? '');
    if (!relation || relation.config?.multiple === true || !targetKey) return [];
    return [{ field, relationKey, targetKey, targetFieldKey: String(field.config?.field ?? '') }];
  });
}

/**
 * Fills in the subform rows and many-relation ids of a page of records (all, or those in
 * `only`): one query per subform and junction for the page.
 */
export async function attachRows(
  db: Queryable,
  form: PublishedForm,
  records: RecordBody[],
  only?: ReadonlySet<string>,
): Promise<void> {
  const wanted = (key: string) => (only ? only.has(key) : true);
  const subforms = form.table.subforms.filter((s) => !s.field.deleted && wanted(s.field.key));
  const junctions = form.table.junctions.filter((j) => !j.field.deleted && wanted(j.field.key));
  if (records.length === 0 || subforms.length + junctions.length === 0) return;
  const ids = records.map((record) => record.id);
  const byId = new Map(records.map((record) => [record.id, record]));
  for (const subform of subforms) {
    const rows = await sql<Record<string, unknown>>`
      select * from ${sql.id(form.table.schema, subform.table)}
      where parent_id = any(${ids}::uuid[]) order by parent_id, row_order`.execute(db);
    for (const record of records) record.values[subform.field.key] = null;
    for (const row of rows.rows) {
      const record = byId.get(String(row.parent_id));
      if (!record) continue;
      const list = (record.values[subform.field.key] as unknown[] | null) ?? [];
      list.push(childRowToValues(row, subform.columns));
      record.values[subform.field.key] = list;
    }
  }
  for (const junction of junctions) {
    const rows = await sql<{ source_id: string; targets: string[] }>`
      select source_id::text, array_agg(target_id::text order by row_order) as targets
      from ${sql.id(form.table.schema, junction.table)}
      where source_id = any(${ids}::uuid[]) group by source_id`.execute(db);
    for (const record of records) record.values[junction.field.key] = null;
    for (const row of rows.rows) {
      const record = byId.get(row.source_id);
      if (record) record.values[junction.field.key] = row.targets;
    }
  }
}

/**
 * Which related records a lookup may show a field of, decided by the access layer for one viewer
 * (see `lookupRights`): `false` none (the value is null), `true` every one, or a condition over
 * the related form's table under the list alias (`ALIAS`) that the lookup query applies.
 */
export type LookupGate = (lookupKey: string) => RawBuilder<SqlBool> | boolean;

/**
 * Fills in the lookups of a page of records (all, or those in `only`): one query per lookup
 * field, joining the related table through the relation's foreign key. With a `gate`, only
 * related rows it lets through are read; every other lookup value is null.
 */
export async function attachLookups(
  db: Queryable,
  forms: FormRegistry,
  form: PublishedForm,
  records: RecordBody[],
  only?: ReadonlySet<string>,
  gate?: LookupGate,
): Promise<void> {
  if (records.length === 0) return;
  const ids = records.map((record) => record.id);
  const byId = new Map(records.map((record) => [record.id, record]));
  for (const { field, relationKey, targetKey, targetFieldKey } of lookupsOf(form, only)) {
    for (const record of records) record.values[field.key] = null;
    const rows = gate ? gate(field.key) : true;
    if (rows === false) continue;
    const target = await forms.get(form.appKey, targetKey, db);
    const targetColumn = target.table.columns.find(
      (column) => column.field.key === targetFieldKey && !column.field.deleted,
    );
    const relationColumn = form.table.columns.find((column) => column.field.key === relationKey);
    if (!targetColumn || !relationColumn) continue;
    // Identifiers come from published metadata; `rows` is the rule engine's parameterised SQL.
    const found = await sql<{ id: string; value: unknown }>`
      select s.id::text as id, ${sql.ref(`${ALIAS}.${targetColumn.column}`)} as value
      from ${sql.id(form.table.schema, form.table.table)} s
      join ${sql.id(target.table.schema, target.table.table)} ${sql.id(ALIAS)}
        on ${sql.ref(`${ALIAS}.id`)} = s.${sql.id(relationColumn.column)}
      where s.id = any(${ids}::uuid[]) and ${rows === true ? sql`true` : rows}`.execute(db);
    for (const row of found.rows) {
      const record = byId.get(row.id);
      if (record) record.values[field.key] = targetColumn.bound.fromDb(row.value);
    }
  }
}
