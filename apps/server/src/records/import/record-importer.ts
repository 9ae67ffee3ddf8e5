import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type CompiledField, prepareRecordWrite, type RecordResult } from '@joinery/forms';
import { isJoineryError, JoineryError, type LocalizedText } from '@joinery/shared';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { automationWatches } from '../../automation/automation-hooks.ts';
import { kyselyOnClient, poolOf } from '../../database/connect.ts';
import type { JoineryDatabase } from '../../database/schema.ts';
import type { FormRegistry, PublishedForm } from '../../metadata/form-registry.ts';
import { cellToValue } from '../record-cells.ts';
import type { Queryable } from '../record-reader.ts';
import { RecordWriter, ruleContext, type WriteContext, writeClock } from '../record-writer.ts';
import { refreshRelatedRollups } from '../related-rollups.ts';
import { bulkInsertable, type CopyBatch, CopyLayout, copyBatch } from './bulk-insert.ts';
import { type ImportFormat, importRows } from './import-rows.ts';

/** How an import treats invalid rows. */
export type ImportMode = 'all-or-nothing' | 'skip-invalid';

/** What the client asked for. */
export interface ImportOptions {
  readonly format: ImportFormat;
  readonly mode: ImportMode;
  readonly dryRun: boolean;
  /** Column header → field key; columns left out map by field key or label. */
  readonly mapping?: Readonly<Record<string, string>>;
}

/** One invalid row: the spreadsheet row number, the field and the reason in both languages. */
export interface ImportProblem {
  readonly row: number;
  readonly field: string;
  readonly message: LocalizedText;
}

/** The outcome, also stored in `joinery.import_jobs`. */
export interface ImportOutcome {
  readonly status: 'succeeded' | 'failed' | 'checked';
  readonly totalRows: number;
  readonly insertedRows: number;
  readonly invalidRows: number;
  readonly problems: readonly ImportProblem[];
}

const BATCH = 1000;
/** Progress is written at most this often (ms), off the import's own path. */
const PROGRESS_EVERY = 500;
const MAX_PROBLEMS = 1000;

class RowsRefused extends Error {}

/** A row written through the records writer: its spreadsheet row number and its input. */
interface RowItem {
  readonly row: number;
  readonly values: Record<string, unknown>;
}

type Fail = (row: number, field: string, message: LocalizedText) => void;

/**
 * Imports a CSV or XLSX file into a form, streamed: each row is mapped to fields, its cells read
 * (`cellToValue`) and validated exactly as an API create (`prepareRecordWrite`: the same
 * validator, linkage and formulas); valid rows are encoded as COPY text as they are validated
 * and loaded in batches by `COPY … FROM STDIN` (`CopyLayout`), with their history, in ONE
 * transaction on one connection; forms whose imported fields need more than their own columns
 * (subforms, files, many-relations) or that automation rules watch go row by row through the
 * records writer instead. All-or-nothing rolls everything back when any row is invalid and reports every
 * invalid row; skip-invalid inserts the others. A dry run only validates. Progress is written
 * to the job row after each batch, outside the transaction, so clients can poll it.
 */
export class RecordImporter {
  constructor(
    private readonly db: Kysely<JoineryDatabase>,
    private readonly forms: FormRegistry,
  ) {}

  async run(
    jobId: string,
    form: PublishedForm,
    source: Readable,
    options: ImportOptions,
    context: WriteContext,
  ): Promise<ImportOutcome> {
    const problems: ImportProblem[] = [];
    let total = 0;
    let inserted = 0;
    let invalid = 0;
    let reported = 0;
    let reporting: Promise<unknown> | null = null;
    const progress = () => {
      const now = Date.now();
      if (reporting || now - reported < PROGRESS_EVERY) return;
      reported = now;
      reporting = this.db
        .updateTable('joinery.import_jobs')
        .set({ processed_rows: total, inserted_rows: inserted, invalid_rows: invalid })
        .where('id', '=', jobId)
        .execute()
        .catch(() => undefined)
        .finally(() => {
          reporting = null;
        });
    };
    const fail = (row: number, field: string, message: LocalizedText) => {
      invalid += 1;
      if (problems.length < MAX_PROBLEMS) problems.push({ row, field, message });
    };
    let outcome: ImportOutcome;
    const pool = poolOf(this.db);
    if (!pool) throw new Error('imports need a database opened by connectTo (COPY runs on pg)');
    // One connection for the whole import: kysely's transaction and the COPY streams share it.
    const client = await pool.connect();
    try {
      await kyselyOnClient(client)
        .transaction()
        .execute(async (trx) => {
          const rows = importRows(source, options.format);
          const header = await rows.next();
          if (header.done)
            throw new JoineryError('JNY_IMPORT_FILE_INVALID', { reason: 'no header row' });
          const columns = mapColumns(form, header.value, options.mapping);
          const fields = [...columns];
          const width = header.value.length;
          const bulk =
            bulkInsertable(form, new Set(fields.map(([, field]) => field.key))) &&
            // Automation rules run on each record write: a watched form is imported row by row.
            !(await automationWatches(trx, this.forms, form));
          const layout = bulk ? new CopyLayout(form, context.userId, jobId) : null;
          const validate = recordValidator(form, context);
          const writable = () =>
            !options.dryRun && (options.mode === 'skip-invalid' || invalid === 0);
          let batch = copyBatch();
          let items: RowItem[] = [];
          // One batch is written while the next is parsed and validated: the database works on
          // its core while this process works on the other.
          let writing: Promise<void> = Promise.resolve();
          const flush = async () => {
            await writing;
            const full = batch;
            const rowItems = items;
            batch = copyBatch();
            items = [];
            writing = (async () => {
              if (writable()) {
                if (layout)
                  inserted += await this.loadBatch(client, trx, form, layout, full, context, fail);
                else inserted += await this.insertRows(trx, form, rowItems, context, fail);
              }
              progress();
            })();
            // Surface a failure at the next await, never as an unhandled rejection.
            writing.catch(() => undefined);
          };
          for await (const cells of rows) {
            total += 1;
            const rowNumber = total + 1;
            if (options.format === 'csv' && cells.length !== width) {
              fail(rowNumber, '', {
                'zh-CN': `有 ${cells.length} 列，表头有 ${width} 列（引号未闭合？）`,
                en: `has ${cells.length} columns, the header has ${width} (an unclosed quote?)`,
              });
              continue;
            }
            const input: Record<string, unknown> = {};
            for (const [index, field] of fields) {
              const value = cellToValue(field, cells[index]);
              if (value !== null) input[field.key] = value;
            }
            const prepared = validate(input);
            if (!prepared.ok) {
              for (const problem of prepared.problems)
                fail(rowNumber, problem.field, problem.message);
              continue;
            }
            // Nothing is encoded (nor sealed) that cannot be written: a dry run, or an
            // all-or-nothing import that already has an invalid row, only validates.
            if (!writable()) continue;
            if (layout) layout.add(batch, randomUUID(), rowNumber, prepared.value);
            else items.push({ row: rowNumber, values: input });
            if (batch.lines.length + items.length >= BATCH) await flush();
          }
          await flush();
          await writing;
          await reporting;
          if (options.dryRun || (options.mode === 'all-or-nothing' && invalid > 0)) {
            throw new RowsRefused();
          }
        });
      outcome = {
        status: 'succeeded',
        totalRows: total,
        insertedRows: inserted,
        invalidRows: invalid,
        problems,
      };
    } catch (error) {
      if (!(error instanceof RowsRefused)) {
        await this.finish(jobId, {
          status: 'failed',
          totalRows: total,
          insertedRows: 0,
          invalidRows: invalid,
          problems,
        });
        throw error;
      }
      outcome = {
        status: options.dryRun ? 'checked' : 'failed',
        totalRows: total,
        insertedRows: 0,
        invalidRows: invalid,
        problems,
      };
    } finally {
      client.release();
    }
    await this.finish(jobId, outcome);
    return outcome;
  }

  /**
   * Loads a batch by COPY in a savepoint; if the database refuses it (a duplicate unique value,
   * a dangling reference), loads it row by row to find and report the rows it refuses.
   */
  private async loadBatch(
    client: pg.PoolClient,
    trx: Queryable,
    form: PublishedForm,
    layout: CopyLayout,
    batch: CopyBatch,
    context: WriteContext,
    fail: Fail,
  ): Promise<number> {
    if (batch.lines.length === 0) return 0;
    await sql`savepoint jny_batch`.execute(trx);
    try {
      await layout.load(client, trx, batch.lines, batch.ids, context);
      await refreshRelatedRollups(trx, this.forms, form, batch.targets, writeClock(context));
      await sql`release savepoint jny_batch`.execute(trx);
      return batch.lines.length;
    } catch (error) {
      await sql`rollback to savepoint jny_batch`.execute(trx);
      if (isJoineryError(error) || !isDataRefusal(error)) throw error;
    }
    let count = 0;
    for (const [i, line] of batch.lines.entries()) {
      const id = batch.ids[i] as string;
      const ok = await this.inSavepoint(trx, form, batch.rows[i] ?? 0, fail, () =>
        layout.load(client, trx, [line], [id], context),
      );
      if (ok) count += 1;
    }
    await refreshRelatedRollups(trx, this.forms, form, batch.targets, writeClock(context));
    return count;
  }

  /** Creates records one by one through the records writer (subforms, files, automation). */
  private async insertRows(
    trx: Queryable,
    form: PublishedForm,
    items: readonly RowItem[],
    context: WriteContext,
    fail: Fail,
  ): Promise<number> {
    let count = 0;
    const writer = new RecordWriter(trx, this.forms, form, context);
    for (const item of items) {
      if (await this.inSavepoint(trx, form, item.row, fail, () => writer.create(item.values)))
        count += 1;
    }
    return count;
  }

  /** Runs one row's write in a savepoint; a refusal is reported as the row's problem. */
  private async inSavepoint(
    trx: Queryable,
    form: PublishedForm,
    row: number,
    fail: Fail,
    write: () => Promise<unknown>,
  ): Promise<boolean> {
    await sql`savepoint jny_row`.execute(trx);
    try {
      await write();
      await sql`release savepoint jny_row`.execute(trx);
      return true;
    } catch (error) {
      await sql`rollback to savepoint jny_row`.execute(trx);
      if (isJoineryError(error) && error.status < 500) {
        const field = String(error.params.field ?? error.fields[0]?.field ?? '');
        fail(row, field, { 'zh-CN': error.localized('zh-CN'), en: error.localized('en') });
      } else if (isDataRefusal(error)) {
        const detail =
          typeof error === 'object' && error !== null && 'detail' in error
            ? String(error.detail)
            : '';
        const field = fieldOfColumn(form, /Key \(([^)]+)\)/.exec(detail)?.[1] ?? '');
        fail(row, field, {
          'zh-CN': `数据库拒绝了该行（${field || '约束'}）`,
          en: `the database refused the row (${field || 'constraint'})`,
        });
      } else throw error;
      return false;
    }
  }

  private async finish(jobId: string, outcome: ImportOutcome): Promise<void> {
    await this.db
      .updateTable('joinery.import_jobs')
      .set({
        status: outcome.status,
        total_rows: outcome.totalRows,
        processed_rows: outcome.totalRows,
        inserted_rows: outcome.insertedRows,
        invalid_rows: outcome.invalidRows,
        problems: JSON.stringify(outcome.problems),
        finished_at: new Date(),
      })
      .where('id', '=', jobId)
      .execute();
  }
}

/**
 * The row check of an import: the same as an API create. A form without linkage rules or
 * computed fields needs only its compiled validator (what `prepareRecordWrite` would reduce to),
 * which is several times faster per row.
 */
function recordValidator(form: PublishedForm, context: WriteContext) {
  const plain = form.definition.fields.every(
    (field) =>
      field.deleted ||
      (field.rules === undefined && !['formula', 'rollup', 'lookup'].includes(field.type)),
  );
  return (input: Record<string, unknown>): RecordResult => {
    if (plain) return form.validator.validateCreate(input);
    const prepared = prepareRecordWrite(form.definition, {
      mode: 'create',
      input,
      context: ruleContext(context),
    });
    return prepared.ok ? { ok: true, value: prepared.values } : prepared;
  };
}

/** The field a refused column belongs to (a blind index names its sensitive field). */
function fieldOfColumn(form: PublishedForm, column: string): string {
  const found = form.table.columns.find(
    (c) => c.column === column || c.sensitive?.indexColumn === column,
  );
  return found?.field.key ?? column;
}

/** Unique, foreign-key, not-null and check violations: the row's fault, not the server's. */
function isDataRefusal(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code.startsWith('23') || code.startsWith('22');
}

/**
 * Column index → input field. An explicit mapping wins; other columns map when their header is
 * a field's key or label (either language). Columns of computed or unknown fields are ignored,
 * so an export re-imports as is; a mapping naming an unknown column or field is refused.
 */
export function mapColumns(
  form: PublishedForm,
  header: readonly unknown[],
  mapping: Readonly<Record<string, string>> = {},
): Map<number, CompiledField> {
  const invalid = (reason: string) => new JoineryError('JNY_IMPORT_MAPPING_INVALID', { reason });
  const titles = header.map((cell) => String(cell ?? '').trim());
  for (const [column, key] of Object.entries(mapping)) {
    if (!titles.includes(column)) throw invalid(`no column "${column.slice(0, 64)}" in the file`);
    if (!form.validator.inputFields.has(key))
      throw invalid(`"${key.slice(0, 64)}" is not an input field`);
  }
  const columns = new Map<number, CompiledField>();
  const used = new Set<string>();
  titles.forEach((title, index) => {
    const explicit = Object.hasOwn(mapping, title) ? mapping[title] : undefined;
    const field =
      (explicit ? form.validator.inputFields.get(explicit) : undefined) ??
      (explicit === undefined
        ? [...form.validator.inputFields.values()].find(
            (f) => f.key === title || f.label['zh-CN'] === title || f.label.en === title,
          )
        : undefined);
    if (!field) return;
    if (used.has(field.key)) throw invalid(`two columns map to the field ${field.key}`);
    used.add(field.key);
    columns.set(index, field);
  });
  if (columns.size === 0) throw invalid('no column maps to a field of the form');
  return columns;
}
