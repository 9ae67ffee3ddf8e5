import type { DemoTable } from '@joinery/lending-crm';
import type { PublishedForm } from '../metadata/form-registry.ts';
import type { ColumnField, SubformTable } from '../metadata/form-table.ts';
import type { CopyChunk } from './copy-queue.ts';
import { copyText } from './copy-text.ts';

const RECORD_COLUMNS = new Set([
  'id',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'owner',
  'version',
  'deleted_at',
]);
const CHILD_COLUMNS = new Set(['id', 'parent_id', 'row_order']);

/** A generated row as COPY text, and its field values as JSON for the record's history. */
export interface EncodedRow {
  readonly line: string;
  /**
   * For a record, its create's changes without the braces (`"key":{"from":null,"to":…}`, …);
   * for a subform row, the row as the parent's history lists it (`{"key":…,"id":…}`). Nulls
   * are left out and sensitive values sealed, as the records API writes them.
   */
  readonly history: string;
}

type Encoder = (row: Readonly<Record<string, unknown>>, history: string[]) => string;

/**
 * Where a generated table's rows go, read from the published metadata: the form's table (or a
 * subform's child table) and its columns. The generator's column names are checked against it —
 * only names the metadata knows reach SQL — and a sensitive field is sealed through the field's
 * own codec (ciphertext in its column, the keyed hash in its blind-index column), exactly as a
 * write through the records API stores it. The generator gives values already in the form the
 * API shows (money as `"12.50"`, dates as `YYYY-MM-DD`…), so they go into the history as they
 * are — converting ten million values through their field types would double the load's CPU
 * time; the seed's server test holds the generator to it.
 */
export class SeedTable {
  #columns: readonly string[] | null = null;
  #encoders: readonly Encoder[] = [];

  private constructor(
    readonly name: DemoTable,
    /** The form whose records these are (the parent form for a subform's rows). */
    readonly form: PublishedForm,
    /** Set for a subform's child table. */
    readonly subform: SubformTable | null,
    private readonly fields: ReadonlyMap<string, ColumnField>,
  ) {}

  /** The table `name` among the app's published forms: a form, or `<form>__<subform>`. */
  static of(forms: readonly PublishedForm[], name: DemoTable): SeedTable {
    for (const form of forms) {
      if (form.table.table === name) {
        return new SeedTable(name, form, null, byColumn(form.table.columns));
      }
      const subform = form.table.subforms.find((s) => s.table === name);
      if (subform) return new SeedTable(name, form, subform, byColumn(subform.columns));
    }
    throw new Error(`the demo table ${name} is not a published table of the app`);
  }

  /** The table, quoted (schema and names validated by the form engine). */
  get qualified(): string {
    return `"${this.form.table.schema}"."${this.name}"`;
  }

  /** Encodes one row; the first row fixes the columns, and every row must have the same. */
  encode(row: Readonly<Record<string, unknown>>): EncodedRow {
    if (this.#columns === null) this.#plan(Object.keys(row));
    const history: string[] = [];
    const parts: string[] = [];
    for (const encoder of this.#encoders) parts.push(encoder(row, history));
    if (this.subform) {
      history.push(`"id":${JSON.stringify(row.id)}`);
      return { line: parts.join('\t'), history: `{${history.join(',')}}` };
    }
    return { line: parts.join('\t'), history: history.join(',') };
  }

  /** The COPY of some encoded lines (none when no row came yet). */
  chunk(lines: readonly string[]): CopyChunk | null {
    if (this.#columns === null || lines.length === 0) return null;
    return {
      statement: `COPY ${this.qualified} (${this.#columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`,
      text: `${lines.join('\n')}\n`,
    };
  }

  #plan(keys: readonly string[]): void {
    const system = this.subform ? CHILD_COLUMNS : RECORD_COLUMNS;
    const columns: string[] = [];
    const encoders: Encoder[] = [];
    for (const key of keys) {
      if (system.has(key)) {
        columns.push(key);
        encoders.push((row) => copyText(row[key]));
        continue;
      }
      const column = this.fields.get(key);
      if (!column) throw new Error(`the demo table ${this.name} has no column ${key}`);
      // A record's history names each change; a subform row in it is a plain object.
      const prefix = this.subform
        ? `${JSON.stringify(key)}:`
        : `${JSON.stringify(key)}:{"from":null,"to":`;
      const suffix = this.subform ? '' : '}';
      const sensitive = column.sensitive;
      if (sensitive) {
        columns.push(key, sensitive.indexColumn);
        encoders.push((row, history) => {
          const value = row[key];
          if (value === null || value === undefined) return '\\N\t\\N';
          const sealed = sensitive.codec.seal(String(value));
          history.push(`${prefix}${JSON.stringify(sealed.stored)}${suffix}`);
          return `${copyText(sealed.stored)}\t${copyText(sealed.index)}`;
        });
        continue;
      }
      columns.push(key);
      encoders.push((row, history) => {
        const value = row[key];
        if (value === null || value === undefined) return '\\N';
        history.push(`${prefix}${JSON.stringify(value)}${suffix}`);
        return copyText(value);
      });
    }
    this.#columns = columns;
    this.#encoders = encoders;
  }
}

function byColumn(columns: readonly ColumnField[]): ReadonlyMap<string, ColumnField> {
  return new Map(columns.filter((c) => !c.field.deleted).map((c) => [c.column, c]));
}
