import { isJoineryError, JoineryError } from '@joinery/shared';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { StatementCredential } from '../auth/authenticate.ts';
import { guardSql } from '../auth/credential-cache.ts';
import { automationWatchedSql } from '../automation/automation-hooks.ts';
import type { RuleContext } from '../clock/rule-context.ts';
import { selectForApi } from '../database/api-types.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { listFilterCondition } from './filter-cache.ts';
import {
  ALIAS,
  afterCursor,
  encodeCursor,
  orderBy,
  parseFieldList,
  parseSort,
  searchCondition,
  usesRelation,
} from './record-query.ts';
import { attachRows, holdLookups, type Queryable } from './record-reader.ts';
import { type RecordBody, rowToRecord } from './record-values.ts';
import { RecordWriter, type WriteContext } from './record-writer.ts';
import { openChanges } from './sensitive-history.ts';

/** The options of a list (all from the query string, all checked). */
export interface ListOptions {
  readonly filter?: string;
  readonly sort?: string;
  readonly limit?: number;
  readonly cursor?: string;
  readonly count?: boolean;
  readonly q?: string;
  readonly fields?: string;
  readonly expand?: string;
  readonly deleted?: 'exclude' | 'only' | 'include';
}

/** A page of records. */
export interface RecordPage {
  readonly items: RecordBody[];
  readonly nextCursor: string | null;
  readonly total?: number;
}

/**
 * Who reads and when: `$user`, `$now` and `today` in filters (`ruleContext`), and the fields a
 * text search may look into for them (the record guard's `searchable`).
 */
export type ReadContext = RuleContext & {
  readonly user: Readonly<Record<string, unknown>>;
  readonly searchable: (field: string) => boolean;
};

/**
 * The records of published forms: every read and write goes through here, each write in one
 * transaction (a bulk write in one transaction for the whole batch: all or nothing).
 */
export class RecordService {
  readonly #db: Kysely<JoineryDatabase>;
  readonly forms: FormRegistry;
  readonly #utcOffsetMinutes: number | undefined;

  /** `utcOffsetMinutes`: the deployment's calendar for writes whose context names none. */
  constructor(db: Kysely<JoineryDatabase>, forms: FormRegistry, utcOffsetMinutes?: number) {
    this.#db = db;
    this.forms = forms;
    this.#utcOffsetMinutes = utcOffsetMinutes;
  }

  #calendar(context: WriteContext): WriteContext {
    return context.utcOffsetMinutes !== undefined || this.#utcOffsetMinutes === undefined
      ? context
      : { ...context, utcOffsetMinutes: this.#utcOffsetMinutes };
  }

  /** Runs `work` in one transaction with a writer for the form. */
  async write<T>(
    form: PublishedForm,
    context: WriteContext,
    work: (writer: RecordWriter, trx: Queryable) => Promise<T>,
  ): Promise<T> {
    return this.#db
      .transaction()
      .execute((trx) =>
        work(new RecordWriter(trx, this.forms, form, this.#calendar(context)), trx),
      );
  }

  /**
   * Creates one record. When the form has no child rows and no other form rolls it up, the
   * whole create is one statement (no transaction round trips); otherwise one transaction.
   * `credential`: the request's, verified by that one statement (else before the transaction).
   */
  async create(
    form: PublishedForm,
    values: unknown,
    context: WriteContext,
    credential?: StatementCredential,
  ): Promise<RecordBody> {
    if (await this.createsInOneStatement(form)) {
      const writer = new RecordWriter(this.#db, this.forms, form, this.#calendar(context));
      // Writes nothing when automation rules watch the form: they run in the write's transaction.
      const created = await writer.createInOneStatement(
        values,
        automationWatchedSql(this.forms, form),
        credential,
      );
      if (created) return created;
    }
    credential?.requireVerified();
    return this.write(form, context, (writer) => writer.create(values));
  }

  private async createsInOneStatement(form: PublishedForm): Promise<boolean> {
    if (form.table.subforms.some((s) => !s.field.deleted)) return false;
    if (form.table.junctions.some((j) => !j.field.deleted)) return false;
    const all = await this.forms.allOf(form.appKey);
    return !all.some((other) =>
      other.definition.fields.some(
        (field) => !field.deleted && field.type === 'rollup' && field.config?.form === form.formKey,
      ),
    );
  }

  /** Runs one item of a batch; a failure names the item (`records/create/3/amount`). */
  inBatch<T>(item: string, run: () => Promise<T>): Promise<T> {
    return inBatch(item, run);
  }

  /** One record (a soft-deleted one too, with `deletedAt` set). */
  async get(
    form: PublishedForm,
    id: string,
    options: { fields?: string; expand?: string } = {},
  ): Promise<RecordBody> {
    const fields = parseFieldList(form, 'fields', options.fields);
    const expand = parseFieldList(form, 'expand', options.expand);
    const found = await sql<Record<string, unknown>>`
      select * from ${sql.id(form.table.schema, form.table.table)} where id = ${id}`.execute(
      this.#db,
    );
    const row = found.rows[0];
    if (!row) throw new JoineryError('JNY_RECORD_NOT_FOUND', { id });
    const record = rowToRecord(row, form.table.columns);
    await this.finish(form, [record], fields, expand);
    return record;
  }

  /**
   * A filtered, sorted page of records, with the cursor of the next page. `credential`: the
   * request's, verified by the statement reading the page (a page of no rows cannot tell a
   * failed guard from an empty result: it reports the guard failed, and the request is redone).
   */
  async list(
    form: PublishedForm,
    options: ListOptions,
    context: ReadContext,
    credential?: StatementCredential,
  ): Promise<RecordPage> {
    const keys = parseSort(form, options.sort);
    const fields = parseFieldList(form, 'fields', options.fields);
    const expand = parseFieldList(form, 'expand', options.expand);
    const limit = options.limit ?? 50;
    const conditions: RawBuilder<SqlBool>[] = [];
    const deleted = options.deleted ?? 'exclude';
    if (deleted === 'exclude') conditions.push(sql`${sql.ref(`${ALIAS}.deleted_at`)} is null`);
    if (deleted === 'only') conditions.push(sql`${sql.ref(`${ALIAS}.deleted_at`)} is not null`);
    const viaRelation = usesRelation(form, options.filter);
    const related = viaRelation ? await this.forms.allOf(form.appKey) : [];
    const filter = listFilterCondition(form, options.filter, context, related);
    if (filter) conditions.push(filter);
    const search = searchCondition(form, options.q, context.searchable);
    if (search) conditions.push(search);
    const where = (extra: RawBuilder<SqlBool>[]) => {
      const all = [...conditions, ...extra];
      return all.length > 0 ? sql`where ${sql.join(all, sql` and `)}` : sql``;
    };
    const keyset = options.cursor ? [afterCursor(keys, options.cursor)] : [];
    const from = sql`${sql.id(form.table.schema, form.table.table)} as ${sql.id(ALIAS)}`;
    const rows = await this.read(form, viaRelation, (db) =>
      selectForApi(
        db,
        sql<Record<string, unknown>>`
          select ${sql.ref(`${ALIAS}`)}.* from ${from}
          ${where(credential?.guard ? [...keyset, guardSql(credential.guard)] : keyset)}
          order by ${orderBy(keys)} limit ${limit + 1}`,
      ),
    );
    credential?.held(rows.length > 0);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor(keys, last) : null;
    const items = page.map((row) => rowToRecord(row, form.table.columns));
    await this.finish(form, items, fields, expand);
    let total: number | undefined;
    if (options.count) {
      const counted = await this.read(form, viaRelation, (db) =>
        sql<{ n: number }>`select count(*)::int as n from ${from} ${where([])}`.execute(db),
      );
      total = counted.rows[0]?.n ?? 0;
    }
    return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
  }

  /**
   * Runs a list query; one that reads related forms runs in a read-only transaction with
   * `search_path` set to the app's schema (the rule engine names related tables unqualified).
   */
  private async read<T>(
    form: PublishedForm,
    viaRelation: boolean,
    run: (db: Queryable) => Promise<T>,
  ): Promise<T> {
    if (!viaRelation) return dataErrorsAs400(() => run(this.#db));
    return dataErrorsAs400(() =>
      this.#db.transaction().execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        await sql`select set_config('search_path', ${form.table.schema}, true)`.execute(trx);
        return run(trx);
      }),
    );
  }

  /** The change history of a record, oldest first. */
  async history(form: PublishedForm, id: string) {
    // The record's own entries, and the entry of the import batch that created it: that one is
    // found by the batch's list of records alone (its GIN index — the materialized CTE keeps
    // the form's other entries out of that plan), then checked to be of this form.
    const { rows } = await sql<{
      action: string;
      record_version: number;
      changes: unknown;
      changed_by: string | null;
      display_name: string | null;
      changed_at: Date;
    }>`
      with batch as materialized (
        select id, form_id, action, record_version, changes, changed_by, changed_at
        from joinery.record_history where record_ids @> array[${id}]::uuid[])
      select h.action, h.record_version, h.changes, h.changed_by, u.display_name, h.changed_at
      from (
        select id, action, record_version, changes, changed_by, changed_at
        from joinery.record_history where form_id = ${form.formId} and record_id = ${id}
        union all
        select id, action, record_version, changes, changed_by, changed_at
        from batch where form_id = ${form.formId}
      ) h left join joinery.users u on u.id = h.changed_by
      order by h.id limit 1000`.execute(this.#db);
    return rows.map((row) => ({
      action: row.action,
      version: row.record_version,
      changes: openChanges(form, row.changes as Record<string, { from: unknown; to: unknown }>),
      changedBy: row.changed_by,
      changedByName: row.display_name ?? null,
      changedAt: row.changed_at.toISOString(),
    }));
  }

  /**
   * Related values, field selection and expansion of relations for a page of records. Lookups
   * are only held (null): the record guard reads them under the viewer's rights.
   */
  private async finish(
    form: PublishedForm,
    records: RecordBody[],
    fields: ReadonlySet<string> | undefined,
    expand: ReadonlySet<string> | undefined,
  ): Promise<void> {
    await attachRows(this.#db, form, records, fields);
    holdLookups(form, records, fields);
    if (expand) await this.expand(form, records, expand);
    if (fields) {
      for (const record of records) {
        for (const key of Object.keys(record.values)) {
          if (!fields.has(key)) delete record.values[key];
        }
      }
    }
  }

  private async expand(
    form: PublishedForm,
    records: RecordBody[],
    keys: ReadonlySet<string>,
  ): Promise<void> {
    for (const key of keys) {
      const field = form.fields.get(key);
      const targetKey = String(field?.definition.config?.form ?? '');
      if (!field || !targetKey) continue;
      const target = await this.forms.get(form.appKey, targetKey);
      if (!form.table.columns.some((c) => c.field.key === key)) {
        await attachRows(this.#db, form, records, new Set([key]));
      }
      const ids = new Set<string>();
      for (const record of records) {
        const value = record.values[key];
        if (typeof value === 'string') ids.add(value);
        if (Array.isArray(value)) for (const id of value) ids.add(String(id));
      }
      const found =
        ids.size === 0
          ? []
          : (
              await sql<Record<string, unknown>>`
                select * from ${sql.id(target.table.schema, target.table.table)}
                where id = any(${[...ids]}::uuid[])`.execute(this.#db)
            ).rows.map((row) => rowToRecord(row, target.table.columns));
      await attachRows(this.#db, target, found);
      holdLookups(target, found);
      const byId = new Map(found.map((record) => [record.id, record]));
      for (const record of records) {
        const value = record.values[key];
        record.expanded ??= {};
        record.expanded[key] = Array.isArray(value)
          ? value.flatMap((id) => byId.get(String(id)) ?? [])
          : typeof value === 'string'
            ? (byId.get(value) ?? null)
            : null;
      }
    }
  }
}

/** A failure inside a batch names the item: `records/3/amount`. */
async function inBatch<T>(index: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isJoineryError(error) && error.code === 'JNY_RECORD_INVALID') {
      throw new JoineryError(
        error.code,
        error.params,
        error.fields.map((f) => ({ ...f, field: `records/${index}/${f.field}` })),
      );
    }
    if (isJoineryError(error) && error.status < 500) {
      throw new JoineryError('JNY_RECORD_BULK_FAILED', { index }, [
        {
          field: `records/${index}`,
          reason: { 'zh-CN': error.localized('zh-CN'), en: error.localized('en') },
        },
      ]);
    }
    throw error;
  }
}

/** A cursor or filter value Postgres cannot read as its column's type is the client's error. */
async function dataErrorsAs400<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code.startsWith('22')) {
      throw new JoineryError('JNY_RECORD_QUERY_INVALID', {
        parameter: 'filter/cursor',
        reason: 'a value does not fit its field',
      });
    }
    throw error;
  }
}
