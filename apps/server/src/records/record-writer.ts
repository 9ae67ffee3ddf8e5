import { randomUUID } from 'node:crypto';
import { prepareRecordWrite, recordInvalidError } from '@joinery/forms';
import type { LogicContext } from '@joinery/rules';
import { JoineryError, type Locale } from '@joinery/shared';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { withoutMaskedEchoes } from '../access/masked-echoes.ts';
import type { StatementCredential } from '../auth/authenticate.ts';
import { guardSql } from '../auth/credential-cache.ts';
import { afterRecordWrite } from '../automation/automation-hooks.ts';
import { DEFAULT_UTC_OFFSET_MINUTES } from '../clock/clock.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../database/pg-errors.ts';
import { executePrepared } from '../database/prepared.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import type { ColumnField } from '../metadata/form-table.ts';
import type { RecomputeClock } from './recompute-computed.ts';
import { checkRecordFiles } from './record-files.ts';
import { attachRelated, type Queryable } from './record-reader.ts';
import { columnWrites, type RecordBody, rowToRecord, toColumnValue } from './record-values.ts';
import { refreshRelatedRollups, relationTargets } from './related-rollups.ts';
import { sealChanges } from './sensitive-history.ts';
import { nextSerial, serialDate, serialStatement } from './serial-numbers.ts';

/** Who writes, when, in which language errors are wanted. */
export interface WriteContext {
  readonly userId: string;
  readonly locale: Locale;
  readonly now: Date;
  /** `$user` for rules and formulas. */
  readonly user: Readonly<Record<string, unknown>>;
  /**
   * Minutes east of UTC of the day `today` counts in (the clock's `utcOffsetMinutes`);
   * `DEFAULT_UTC_OFFSET_MINUTES` (Beijing) when absent.
   */
  readonly utcOffsetMinutes?: number;
}

/** The rule context of a write: who, when, and which calendar day it is. */
export function ruleContext(context: WriteContext): LogicContext {
  return {
    user: context.user,
    now: context.now,
    utcOffsetMinutes: context.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES,
  };
}

/** The clock of a write's derived values (rollups and the formulas that read them). */
export function writeClock(context: WriteContext): RecomputeClock {
  return {
    now: context.now,
    utcOffsetMinutes: context.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES,
  };
}

/** One field's change, as the history keeps it. */
export interface FieldChange {
  readonly from: unknown;
  readonly to: unknown;
}

function table(form: PublishedForm) {
  return sql.id(form.table.schema, form.table.table);
}

/** The system columns and the live field columns: what `rowToRecord` reads of a row. */
function returnedColumns(form: PublishedForm) {
  const names = ['id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner'];
  names.push('version', 'deleted_at', ...liveColumns(form).map((column) => column.column));
  return sql.join(names.map((name) => sql.id(name)));
}

function liveColumns(form: PublishedForm): ColumnField[] {
  return form.table.columns.filter((column) => !column.field.deleted);
}

/**
 * Writes records of one form inside a caller's transaction: validation, linkage and formulas by
 * the form engine (`prepareRecordWrite`, the same code the browser previews with), serial
 * numbers, child and junction tables, the change history and rollups of related forms. Database
 * refusals (a duplicate unique value, a dangling reference) become catalogue errors.
 */
export class RecordWriter {
  constructor(
    private readonly trx: Queryable,
    private readonly forms: FormRegistry,
    private readonly form: PublishedForm,
    private readonly context: WriteContext,
  ) {}

  /** Validated values of a create (linkage, formulas), its files checked. */
  private async prepareCreate(input: unknown): Promise<Record<string, unknown>> {
    const { form, context } = this;
    const prepared = prepareRecordWrite(form.definition, {
      mode: 'create',
      input,
      context: ruleContext(context),
    });
    if (!prepared.ok) throw recordInvalidError(prepared.problems, context.locale);
    const values: Record<string, unknown> = { ...prepared.values };
    await checkRecordFiles(this.trx, form, context.userId, values, null);
    return values;
  }

  /** Creates one record; returns it as stored (computed fields included). */
  async create(input: unknown): Promise<RecordBody> {
    const { form, context } = this;
    const values = await this.prepareCreate(input);
    for (const column of liveColumns(form)) {
      if (column.field.type !== 'serial') continue;
      values[column.field.key] = await nextSerial(
        this.trx,
        form.formId,
        column.field.id,
        String(column.field.config?.pattern ?? '{counter:6}'),
        serialDate(context),
      );
    }
    const names = [sql.id('created_by'), sql.id('updated_by'), sql.id('owner')];
    const params: unknown[] = [context.userId, context.userId, context.userId];
    for (const column of liveColumns(form)) {
      if (!Object.hasOwn(values, column.field.key)) continue;
      for (const [name, param] of columnWrites(column, values[column.field.key])) {
        names.push(sql.id(name));
        params.push(param);
      }
    }
    const inserted = await this.guard(() =>
      sql<Record<string, unknown>>`
        insert into ${table(form)} (${sql.join(names)})
        values (${sql.join(params)}) returning *`.execute(this.trx),
    );
    const row = inserted.rows[0] as Record<string, unknown>;
    const record = rowToRecord(row, form.table.columns);
    Object.assign(record.values, await this.writeChildren(record.id, values, true));
    const changes: Record<string, FieldChange> = {};
    for (const [key, value] of Object.entries(record.values)) {
      if (value !== null) changes[key] = { from: null, to: value };
    }
    await this.history(record.id, 'create', record.version, changes);
    await this.refreshRollups(record.values);
    await attachRelated(this.trx, this.forms, form, [record], this.lookupKeys());
    return (
      (await afterRecordWrite(this.trx, this.forms, {
        kind: 'created',
        form,
        context,
        old: null,
        record,
      })) ?? record
    );
  }

  /**
   * `create` as ONE statement, for a caller running no transaction, of a form with no child
   * rows and no rollups elsewhere to refresh: serial counter, record and history go in a single
   * INSERT with data-modifying CTEs, atomic on its own. Nothing is written when `unless` (SQL)
   * holds as the statement runs — automation rules that watch the form need the write's
   * transaction — and the answer is then undefined: the caller creates with `create` in one.
   * Nor when `credential`'s guard fails (it is told whether the guard held).
   */
  async createInOneStatement(
    input: unknown,
    unless: RawBuilder<SqlBool> = sql<SqlBool>`false`,
    credential?: StatementCredential,
  ): Promise<RecordBody | undefined> {
    const { form, context } = this;
    const values = await this.prepareCreate(input);
    const free = credential?.guard
      ? sql<SqlBool>`not (${unless}) and ${guardSql(credential.guard)}`
      : sql<SqlBool>`not (${unless})`;
    const id = randomUUID();
    const ctes: RawBuilder<unknown>[] = [];
    const names = [sql.id('id'), sql.id('created_by'), sql.id('updated_by'), sql.id('owner')];
    const params: unknown[] = [id, context.userId, context.userId, context.userId];
    const changes: Record<string, FieldChange> = {};
    const serialChanges: RawBuilder<unknown>[] = [];
    for (const column of liveColumns(form)) {
      if (column.field.type === 'serial') {
        const name = `jny_serial_${ctes.length}`;
        ctes.push(
          sql`${sql.id(name)} as (${serialStatement(form.formId, column.field.id, String(column.field.config?.pattern ?? '{counter:6}'), serialDate(context), free)})`,
        );
        names.push(sql.id(column.column));
        params.push(sql`(select v from ${sql.id(name)})`);
        serialChanges.push(
          sql`jsonb_build_object(${column.field.key}::text, jsonb_build_object('from', null, 'to', (select v from ${sql.id(name)})))`,
        );
        continue;
      }
      // Every live column, a value left out as NULL (what omitting the column stores: field
      // columns have no defaults), so the statement's text is the same for every create.
      const value = Object.hasOwn(values, column.field.key) ? values[column.field.key] : null;
      for (const [name, param] of columnWrites(column, value)) {
        names.push(sql.id(name));
        params.push(param);
      }
      if (value !== null && value !== undefined)
        changes[column.field.key] = { from: null, to: value };
    }
    const sealed = sealChanges(form, changes);
    const history = sql.join([sql`${JSON.stringify(sealed)}::jsonb`, ...serialChanges], sql` || `);
    // A prepared statement (parsed and planned once per connection: planning this statement
    // cost more than running it). Its text names the form version and the columns it returns,
    // so a publish that changes the table never meets a plan prepared for the old one.
    const [row] = await this.guard(() =>
      executePrepared<Record<string, unknown>>(
        this.trx,
        sql`
        with ${sql.join([
          ...ctes,
          sql`jny_record as (insert into ${table(form)} (${sql.join(names)})
            select ${sql.join(params)} where ${free} returning ${returnedColumns(form)})`,
          sql`jny_history as (insert into joinery.record_history
            (form_id, record_id, action, record_version, changes, changed_by)
            select ${form.formId}::uuid, r.id, 'create', r.version, ${history}, ${context.userId}::uuid
            from jny_record r)`,
        ])}
        select * from jny_record /* ${sql.raw(`form version ${form.version}`)} */`,
      ),
    );
    credential?.held(row !== undefined);
    if (row === undefined) return undefined;
    const record = rowToRecord(row, form.table.columns);
    await attachRelated(this.trx, this.forms, form, [record], this.lookupKeys());
    return record;
  }

  /**
   * Updates the given fields of a live record whose version is `version` (else 409: someone
   * else changed it since it was read). Locks the row for the rest of the transaction. Personal
   * data sent back exactly as its mask is no change (`withoutMaskedEchoes`).
   */
  async update(id: string, version: number, input: unknown): Promise<RecordBody> {
    const { form, context } = this;
    const before = await this.lock(id, false);
    if (before.version !== version) {
      throw new JoineryError('JNY_RECORD_VERSION_CONFLICT', {
        id,
        current: before.version,
        sent: version,
      });
    }
    await attachRelated(this.trx, this.forms, form, [before]);
    const prepared = prepareRecordWrite(form.definition, {
      mode: 'update',
      // A form saved with personal data still masked leaves that data as it was.
      input: withoutMaskedEchoes(form, input, before.values),
      before: before.values,
      context: ruleContext(context),
    });
    if (!prepared.ok) throw recordInvalidError(prepared.problems, context.locale);
    const next: Record<string, unknown> = { ...prepared.values };
    await checkRecordFiles(this.trx, form, context.userId, next, before.values);
    const changes: Record<string, FieldChange> = {};
    for (const [key, value] of Object.entries(next)) {
      const previous = before.values[key] ?? null;
      if (JSON.stringify(stripIds(previous)) !== JSON.stringify(stripIds(value ?? null))) {
        changes[key] = { from: previous, to: value ?? null };
      }
    }
    const sets = [
      sql`version = version + 1`,
      sql`updated_at = now()`,
      sql`updated_by = ${context.userId}`,
    ];
    for (const column of liveColumns(form)) {
      if (!Object.hasOwn(changes, column.field.key)) continue;
      for (const [name, param] of columnWrites(column, next[column.field.key])) {
        sets.push(sql`${sql.id(name)} = ${param}`);
      }
    }
    const updated = await this.guard(() =>
      sql<Record<string, unknown>>`
        update ${table(form)} set ${sql.join(sets)} where id = ${id} returning *`.execute(this.trx),
    );
    const record = rowToRecord(updated.rows[0] as Record<string, unknown>, form.table.columns);
    const changedChildren = Object.fromEntries(
      Object.entries(next).filter(([key]) => Object.hasOwn(changes, key)),
    );
    await this.writeChildren(id, changedChildren, false);
    await attachRelated(this.trx, this.forms, form, [record]);
    await this.history(id, 'update', record.version, changes);
    await this.refreshRollups(before.values, record.values);
    return (
      (await afterRecordWrite(this.trx, this.forms, {
        kind: 'updated',
        form,
        context,
        old: before,
        record,
      })) ?? record
    );
  }

  /** Soft-deletes (`deleted`) or restores a record; `version`, when given, must match. */
  async setDeleted(id: string, deleted: boolean, version?: number): Promise<RecordBody> {
    const { form } = this;
    const before = await this.lock(id, !deleted);
    if (version !== undefined && before.version !== version) {
      throw new JoineryError('JNY_RECORD_VERSION_CONFLICT', {
        id,
        current: before.version,
        sent: version,
      });
    }
    const updated = await sql<Record<string, unknown>>`
      update ${table(form)}
      set deleted_at = ${deleted ? sql`now()` : null}, version = version + 1,
          updated_at = now(), updated_by = ${this.context.userId}
      where id = ${id} returning *`.execute(this.trx);
    const record = rowToRecord(updated.rows[0] as Record<string, unknown>, form.table.columns);
    await this.history(id, deleted ? 'delete' : 'restore', record.version, {
      deleted_at: { from: before.deletedAt, to: record.deletedAt },
    });
    await this.refreshRollups(record.values);
    await attachRelated(this.trx, this.forms, form, [record]);
    const kind = deleted ? 'deleted' : 'restored';
    return (
      (await afterRecordWrite(this.trx, this.forms, {
        kind,
        form,
        context: this.context,
        old: before,
        record,
      })) ?? record
    );
  }

  /** Reads and locks a record; `deleted` says which state it must be in. */
  private async lock(id: string, deleted: boolean): Promise<RecordBody> {
    const found = await sql<Record<string, unknown>>`
      select * from ${table(this.form)} where id = ${id} for update`.execute(this.trx);
    const row = found.rows[0];
    if (!row || (!deleted && row.deleted_at !== null)) {
      throw new JoineryError('JNY_RECORD_NOT_FOUND', { id });
    }
    if (deleted && row.deleted_at === null)
      throw new JoineryError('JNY_RECORD_NOT_DELETED', { id });
    return rowToRecord(row, this.form.table.columns);
  }

  private lookupKeys(): ReadonlySet<string> {
    return new Set(
      this.form.definition.fields.filter((f) => f.type === 'lookup').map((f) => f.key),
    );
  }

  /**
   * Replaces the rows of every subform and many-relation present in `values`; returns them as
   * stored (subform rows with their ids).
   */
  private async writeChildren(
    id: string,
    values: Readonly<Record<string, unknown>>,
    fresh: boolean,
  ): Promise<Record<string, unknown>> {
    const { schema } = this.form.table;
    const stored: Record<string, unknown> = {};
    for (const subform of this.form.table.subforms) {
      if (subform.field.deleted || !Object.hasOwn(values, subform.field.key)) continue;
      const child = sql.id(schema, subform.table);
      if (!fresh) await sql`delete from ${child} where parent_id = ${id}`.execute(this.trx);
      const rows = (values[subform.field.key] as Record<string, unknown>[] | null) ?? [];
      const columns = subform.columns.filter((column) => !column.field.deleted);
      const kept: Record<string, unknown>[] = [];
      for (const [index, row] of rows.entries()) {
        const names = [sql.id('parent_id'), sql.id('row_order')];
        const params: unknown[] = [id, index];
        if (typeof row.id === 'string') {
          names.push(sql.id('id'));
          params.push(row.id);
        }
        for (const column of columns) {
          if (!Object.hasOwn(row, column.field.key)) continue;
          names.push(sql.id(column.column));
          params.push(toColumnValue(column, row[column.field.key]));
        }
        const inserted = await this.guard(() =>
          sql<{ id: string }>`insert into ${child} (${sql.join(names)})
            values (${sql.join(params)}) returning id::text`.execute(this.trx),
        );
        kept.push({ ...row, id: inserted.rows[0]?.id });
      }
      stored[subform.field.key] = kept.length > 0 ? kept : null;
    }
    for (const junction of this.form.table.junctions) {
      if (junction.field.deleted || !Object.hasOwn(values, junction.field.key)) continue;
      const link = sql.id(schema, junction.table);
      if (!fresh) await sql`delete from ${link} where source_id = ${id}`.execute(this.trx);
      const targets = (values[junction.field.key] as string[] | null) ?? [];
      stored[junction.field.key] = targets.length > 0 ? targets : null;
      if (targets.length === 0) continue;
      await this.guard(
        () =>
          sql`insert into ${link} (source_id, target_id, row_order)
          select ${id}, t.id, t.n - 1 from unnest(${targets}::uuid[]) with ordinality as t(id, n)`.execute(
            this.trx,
          ),
        junction.field.key,
      );
    }
    return stored;
  }

  private async history(
    recordId: string,
    action: 'create' | 'update' | 'delete' | 'restore',
    version: number,
    changes: Readonly<Record<string, FieldChange>>,
  ): Promise<void> {
    await sql`insert into joinery.record_history
      (form_id, record_id, action, record_version, changes, changed_by)
      values (${this.form.formId}, ${recordId}, ${action}, ${version},
              ${JSON.stringify(sealChanges(this.form, changes))}, ${this.context.userId})`.execute(
      this.trx,
    );
  }

  /** Recomputes rollups (and the formulas behind them) on the records these values relate to. */
  private async refreshRollups(...values: readonly Readonly<Record<string, unknown>>[]) {
    await refreshRelatedRollups(
      this.trx,
      this.forms,
      this.form,
      relationTargets(this.form, ...values),
      writeClock(this.context),
    );
  }

  /** Turns database refusals into catalogue errors naming the field. */
  private async guard<T>(run: () => Promise<T>, fieldKey?: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const detail =
        typeof error === 'object' && error !== null && 'detail' in error
          ? String(error.detail)
          : '';
      const column = fieldOfColumn(this.form, /Key \(([^)]+)\)/.exec(detail)?.[1] ?? '');
      const field = fieldKey ?? (this.form.fields.has(column) ? column : column || 'unknown');
      if (isUniqueViolation(error)) throw new JoineryError('JNY_RECORD_DUPLICATE', { field });
      if (isForeignKeyViolation(error)) {
        throw new JoineryError('JNY_RECORD_REFERENCE_INVALID', { field });
      }
      throw error;
    }
  }
}

/** The field a column belongs to: a blind-index column names its sensitive field. */
function fieldOfColumn(form: PublishedForm, column: string): string {
  return form.table.columns.find((c) => c.sensitive?.indexColumn === column)?.field.key ?? column;
}

/** Subform rows carry ids the server assigns; a change compares their values only. */
function stripIds(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => {
    if (typeof item !== 'object' || item === null) return item;
    const { id: _id, ...rest } = item as Record<string, unknown>;
    return rest;
  });
}
