import { formatSerial, serialCounterScope } from '@joinery/forms';
import { sql } from 'kysely';
import type pg from 'pg';
import { copyIn } from '../../apps/copy-queue.ts';
import { copyText } from '../../apps/copy-text.ts';
import type { PublishedForm } from '../../metadata/form-registry.ts';
import type { ColumnField } from '../../metadata/form-table.ts';
import type { Queryable } from '../record-reader.ts';
import { columnWrites } from '../record-values.ts';
import { serialDate } from '../serial-numbers.ts';

const ROW_BY_ROW_TYPES = new Set(['subform', 'attachment', 'image']);

/**
 * True when the imported fields all live in the form's own columns: no subform rows, no
 * many-relation links and no file references to check, so rows can go in by the batch.
 */
export function bulkInsertable(form: PublishedForm, importedKeys: ReadonlySet<string>): boolean {
  return [...importedKeys].every((key) => {
    const field = form.fields.get(key)?.definition;
    return field && !ROW_BY_ROW_TYPES.has(field.type) && field.config?.multiple !== true;
  });
}

/** Who imports and when: the record's creator, updater and owner, and the serials' date. */
export interface BulkContext {
  readonly userId: string;
  readonly now: Date;
  /** The business day's offset (`serialDate`). */
  readonly utcOffsetMinutes?: number;
}

/**
 * Validated rows of one batch as `COPY … FROM STDIN` text lines, encoded as each row is
 * validated (one string per row, no per-row object kept), with the spreadsheet row numbers
 * and the one-relation targets the batch points to (for rollups elsewhere).
 */
export interface CopyBatch {
  readonly ids: string[];
  readonly lines: string[];
  readonly rows: number[];
  /** Relation field key → record ids the batch points to. */
  readonly targets: Map<string, Set<string>>;
}

/** An empty batch. */
export function copyBatch(): CopyBatch {
  return { ids: [], lines: [], rows: [], targets: new Map() };
}

type Encoder = (values: Readonly<Record<string, unknown>>) => string;

/**
 * How the validated rows of a form go into its table by COPY: the columns in order (system
 * columns, field columns — a sensitive field as its ciphertext and its blind index, sealed by
 * the field's codec exactly as `columnWrites` does for an API create — then serial fields,
 * whose numbers are reserved per batch) and one text encoder per field column, planned once
 * per import. Each value is written as the text `pg` would send as a parameter: JSON for `jsonb`,
 * an array literal for arrays, the string of anything else; `\N` for null (field columns have
 * no defaults, so that is what leaving the column out would store).
 */
export class CopyLayout {
  readonly #form: PublishedForm;
  readonly #encoders: Encoder[] = [];
  readonly #serials: ColumnField[] = [];
  readonly #relations: string[] = [];
  readonly #prefix: string;
  readonly #userId: string;
  readonly #jobId: string;
  /** `COPY <table> (…) FROM STDIN`: identifiers from the published schema, quoted. */
  readonly tableStatement: string;

  constructor(form: PublishedForm, userId: string, jobId: string) {
    this.#form = form;
    this.#userId = userId;
    this.#jobId = jobId;
    const names = ['id', 'created_by', 'updated_by', 'owner'];
    for (const column of form.table.columns) {
      const { field } = column;
      if (field.deleted) continue;
      if (field.type === 'relation') this.#relations.push(field.key);
      if (field.type === 'serial') {
        this.#serials.push(column);
        continue;
      }
      names.push(
        ...(column.sensitive ? [column.column, column.sensitive.indexColumn] : [column.column]),
      );
      this.#encoders.push(fieldEncoder(column));
    }
    names.push(...this.#serials.map((column) => column.column));
    this.tableStatement = `COPY ${quote(form.table.schema)}.${quote(form.table.table)} (${names.map(quote).join(', ')}) FROM STDIN`;
    const user = copyText(userId);
    this.#prefix = `\t${user}\t${user}\t${user}`;
  }

  /** Adds one validated row (stored values by field key) to `batch`. */
  add(batch: CopyBatch, id: string, row: number, values: Readonly<Record<string, unknown>>): void {
    let line = id + this.#prefix;
    for (const encode of this.#encoders) line += `\t${encode(values)}`;
    batch.ids.push(id);
    batch.lines.push(line);
    batch.rows.push(row);
    for (const key of this.#relations) {
      const target = values[key];
      if (typeof target !== 'string') continue;
      let ids = batch.targets.get(key);
      if (!ids) {
        ids = new Set();
        batch.targets.set(key, ids);
      }
      ids.add(target);
    }
  }

  /**
   * Loads `lines` (of `batch`) into the table with ONE COPY on `client` — the connection of the
   * caller's transaction — and writes their history as ONE entry (action `import`, version 1:
   * each record's first version holds the imported values) listing the records and naming the
   * import job; the records' history reads it as each record's own. Serial numbers are reserved
   * as one block per serial field from the counter row, in the same transaction.
   */
  async load(
    client: pg.PoolClient,
    trx: Queryable,
    lines: readonly string[],
    ids: readonly string[],
    context: BulkContext,
  ): Promise<void> {
    if (lines.length === 0) return;
    let text = '';
    if (this.#serials.length === 0) text = `${lines.join('\n')}\n`;
    else {
      const serials = await reserveSerials(trx, this.#form, this.#serials, lines.length, context);
      for (let i = 0; i < lines.length; i += 1) {
        text += lines[i];
        for (const numbers of serials) text += `\t${copyText(numbers[i] ?? '')}`;
        text += '\n';
      }
    }
    await copyIn(client, { statement: this.tableStatement, text });
    await sql`insert into joinery.record_history
        (form_id, action, record_version, changes, changed_by, record_ids, import_job_id)
      values (${this.#form.formId}, 'import', 1, '{}', ${this.#userId}, ${ids}::uuid[],
              ${this.#jobId})`.execute(trx);
  }
}

/** A name from the published schema (already validated by the form engine), double-quoted. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function fieldEncoder(column: ColumnField): Encoder {
  const key = column.field.key;
  if (column.sensitive) {
    return (values) => {
      const value = values[key];
      if (value === null || value === undefined) return '\\N\t\\N';
      // columnWrites seals as an API create does: ciphertext, then the blind index.
      const [[, stored], [, index]] = columnWrites(column, value) as [
        [string, string],
        [string, string],
      ];
      return `${copyText(stored)}\t${copyText(index)}`;
    };
  }
  // A jsonb column takes JSON text even for an array (as `toColumnValue` sends it to pg).
  if (column.columnType === 'jsonb') {
    return (values) => {
      const value = values[key];
      return value === null || value === undefined ? '\\N' : copyText(JSON.stringify(value));
    };
  }
  return (values) => copyText(values[key]);
}

/** Reserves `count` consecutive numbers of every serial field with one counter update each. */
async function reserveSerials(
  trx: Queryable,
  form: PublishedForm,
  columns: readonly ColumnField[],
  count: number,
  context: BulkContext,
): Promise<string[][]> {
  const reserved: string[][] = [];
  for (const column of columns) {
    const pattern = String(column.field.config?.pattern ?? '{counter:6}');
    const date = serialDate(context);
    const scope = serialCounterScope(pattern, date);
    const result = await sql<{ value: string | number }>`
      insert into joinery.serial_counters (form_id, field_id, scope, value)
      values (${form.formId}, ${column.field.id}, ${scope}, ${count})
      on conflict (form_id, field_id, scope)
      do update set value = joinery.serial_counters.value + ${count}
      returning value`.execute(trx);
    const last = Number(result.rows[0]?.value ?? count);
    reserved.push(
      Array.from({ length: count }, (_, i) => formatSerial(pattern, date, last - count + 1 + i)),
    );
  }
  return reserved;
}
