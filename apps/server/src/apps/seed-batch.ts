import type { DemoTable } from '@joinery/lending-crm';
import type { CopyChunk } from './copy-queue.ts';
import { copyText } from './copy-text.ts';
import type { SeedTable } from './seed-table.ts';

const HISTORY_COPY =
  'COPY joinery.record_history (form_id, record_id, action, record_version, changes, changed_by, changed_at) FROM STDIN';

interface Created {
  readonly formId: string;
  readonly recordId: string;
  /** The changes as JSON members (see `EncodedRow.history`). */
  readonly changes: string;
  /** Subform key → its rows as JSON objects. */
  readonly children: Map<string, string[]>;
  readonly by: unknown;
  readonly at: unknown;
}

/**
 * The rows of one batch of customers, as COPY text per table, with the change history a create
 * through the records API writes for each record: one `create` entry at version 1 whose changes
 * hold every non-null field value (sensitive ones sealed, subform rows with their ids), by the
 * record's creator at its creation time. Subform rows come after their parent record, inside
 * the same batch, and join its entry.
 */
export class SeedBatch {
  readonly #lines = new Map<DemoTable, string[]>();
  readonly #created: Created[] = [];
  readonly #withSubforms = new Map<string, Created>();
  #rows = 0;

  /**
   * `now` stands for the creation time of rows the generator gives none (the table's default
   * would be the load's own time).
   */
  constructor(
    private readonly tables: ReadonlyMap<DemoTable, SeedTable>,
    private readonly now: string,
  ) {}

  /** Rows added so far, history entries included. */
  get rows(): number {
    return this.#rows + this.#created.length;
  }

  add(name: DemoTable, row: Readonly<Record<string, unknown>>): void {
    const table = this.tables.get(name);
    if (!table) throw new Error(`the demo table ${name} has no layout`);
    const encoded = table.encode(row);
    let lines = this.#lines.get(name);
    if (!lines) {
      lines = [];
      this.#lines.set(name, lines);
    }
    lines.push(encoded.line);
    this.#rows++;
    const id = String(row.id);
    if (table.subform) {
      const parent = this.#withSubforms.get(String(row.parent_id));
      if (!parent) throw new Error(`a ${name} row came before its parent record`);
      const key = table.subform.field.key;
      const list = parent.children.get(key) ?? [];
      if (list.length === 0) parent.children.set(key, list);
      list.push(encoded.history);
      return;
    }
    const created: Created = {
      formId: table.form.formId,
      recordId: id,
      changes: encoded.history,
      children: new Map(),
      by: row.created_by ?? null,
      at: row.created_at ?? this.now,
    };
    this.#created.push(created);
    if (table.form.table.subforms.length > 0) this.#withSubforms.set(id, created);
  }

  /** The COPY statements of the batch: tables in the given order, then the history. */
  chunks(order: readonly DemoTable[]): CopyChunk[] {
    const chunks: CopyChunk[] = [];
    for (const name of order) {
      const chunk = this.tables.get(name)?.chunk(this.#lines.get(name) ?? []);
      if (chunk) chunks.push(chunk);
    }
    if (this.#created.length === 0) return chunks;
    const text = this.#created
      .map((c) =>
        [
          c.formId,
          c.recordId,
          'create',
          '1',
          copyText(changesJson(c)),
          copyText(c.by),
          copyText(c.at),
        ].join('\t'),
      )
      .join('\n');
    chunks.push({ statement: HISTORY_COPY, text: `${text}\n` });
    return chunks;
  }

  /** Rows per table in this batch (history as `record_history`). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, lines] of this.#lines) counts[name] = lines.length;
    if (this.#created.length > 0) counts.record_history = this.#created.length;
    return counts;
  }
}

function changesJson(created: Created): string {
  const members = created.changes === '' ? [] : [created.changes];
  for (const [key, rows] of created.children) {
    members.push(`${JSON.stringify(key)}:{"from":null,"to":[${rows.join(',')}]}`);
  }
  return `{${members.join(',')}}`;
}
