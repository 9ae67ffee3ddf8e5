import type { DemoRow, SerialUse } from './demo-data.ts';
import { fakeNationalId } from './fake-identity.ts';

/** What settling a block needs to know of it: serial numbers used per form and day, ID numbers. */
export interface BlockSummary {
  /** `form|YYYY-MM-DD` → serial numbers the block used that day (from 1). */
  readonly serials: readonly (readonly [string, number])[];
  /** The customers' ID numbers, in row order. */
  readonly idNumbers: readonly string[];
}

/** How to make a block unique among those before it (see {@link DemoSequence.settle}). */
export interface BlockFix {
  /** `form|YYYY-MM-DD` → numbers taken that day by the blocks before. */
  readonly serialOffsets: readonly (readonly [string, number])[];
  /** Index among the block's customers → its ID number instead of the drawn one. */
  readonly idNumbers: readonly (readonly [number, string])[];
}

const SERIAL_FORMS = new Set(['loan_application', 'contract']);

/** The serial numbers and ID numbers of a block's rows, for {@link DemoSequence.settle}. */
export function blockSummary(rows: readonly DemoRow[]): BlockSummary {
  const serials = new Map<string, number>();
  const idNumbers: string[] = [];
  for (const { table, row } of rows) {
    if (table === 'customer') idNumbers.push(String(row.id_number));
    if (!SERIAL_FORMS.has(table)) continue;
    const key = serialKey(table, String(row.serial_no));
    serials.set(key, (serials.get(key) ?? 0) + 1);
  }
  return { serials: [...serials], idNumbers };
}

/**
 * Settles blocks generated apart, in block order: a block's serial numbers continue after those
 * of the blocks before it (per form and day), and an ID number already given to an earlier
 * customer is replaced by the next free sequence number of the same region and birth date (as the
 * generator does within a block). The outcome depends only on the blocks, not on where or when
 * they were generated. `serials` ends with the counts per form and day (see {@link serialUses}).
 */
export class DemoSequence {
  readonly #ids = new Set<string>();

  constructor(readonly serials: Map<string, number> = new Map()) {}

  settle(summary: BlockSummary): BlockFix {
    const serialOffsets: [string, number][] = [];
    for (const [key, count] of summary.serials) {
      const taken = this.serials.get(key) ?? 0;
      if (taken > 0) serialOffsets.push([key, taken]);
      this.serials.set(key, taken + count);
    }
    const idNumbers: [number, string][] = [];
    for (const [index, drawn] of summary.idNumbers.entries()) {
      let id = drawn;
      const birth = `${drawn.slice(6, 10)}-${drawn.slice(10, 12)}-${drawn.slice(12, 14)}`;
      for (let seq = 0; this.#ids.has(id); seq++)
        id = fakeNationalId(drawn.slice(0, 6), birth, seq);
      if (id !== drawn) idNumbers.push([index, id]);
      this.#ids.add(id);
    }
    return { serialOffsets, idNumbers };
  }
}

/** Applies a block's fix to its rows, in place. */
export function settleBlock(rows: DemoRow[], fix: BlockFix): void {
  const offsets = new Map(fix.serialOffsets);
  const ids = new Map(fix.idNumbers);
  if (offsets.size === 0 && ids.size === 0) return;
  let customer = 0;
  for (const [index, item] of rows.entries()) {
    if (item.table === 'customer') {
      const id = ids.get(customer++);
      if (id !== undefined) {
        rows[index] = {
          table: item.table,
          row: { ...item.row, id_number: id, gender: genderOf(id) },
        };
      }
      continue;
    }
    if (!SERIAL_FORMS.has(item.table)) continue;
    const serial = String(item.row.serial_no);
    const offset = offsets.get(serialKey(item.table, serial));
    if (offset === undefined) continue;
    const [prefix, day, number] = serial.split('-') as [string, string, string];
    const renumbered = `${prefix}-${day}-${String(Number(number) + offset).padStart(4, '0')}`;
    rows[index] = { table: item.table, row: { ...item.row, serial_no: renumbered } };
  }
}

/** The gender an ID number gives (its 17th digit: odd for men). */
export function genderOf(idNumber: string): 'male' | 'female' {
  return Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
}

/** The counters the generated serial numbers used, per form and day. */
export function serialUses(serials: ReadonlyMap<string, number>): SerialUse[] {
  return [...serials].map(([key, count]) => {
    const [form, date] = key.split('|') as [SerialUse['form'], string];
    return { form, date, count };
  });
}

/** `form|YYYY-MM-DD` of a serial number `XX-YYYYMMDD-NNNN`. */
function serialKey(form: string, serial: string): string {
  const day = serial.slice(3, 11);
  return `${form}|${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
}
