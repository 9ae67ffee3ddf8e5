import type { CellValue, MatrixTable, ResultTable } from './chart-data.ts';
import { distinctTuples, tupleKey } from './table-tools.ts';

/**
 * Pivots the long result into a 2-D table: one row per distinct tuple of `rowKeys`, one column
 * per distinct tuple of `columnKeys` (both in result order, i.e. sorted as the report sorts),
 * and for each the measures in `measureKeys` (null where no group exists).
 */
export function matrix(
  table: ResultTable,
  rowKeys: readonly string[],
  columnKeys: readonly string[],
  measureKeys: readonly string[],
): MatrixTable {
  const position = (key: string) => table.columns.findIndex((column) => column.key === key);
  const rowPositions = rowKeys.map(position);
  const columnPositions = columnKeys.map(position);
  const measurePositions = measureKeys.map(position);
  const rowHeaders = distinctTuples(table.rows, rowPositions);
  const columnHeaders = distinctTuples(table.rows, columnPositions).sort(compareTuples);
  const rowIndex = new Map(rowHeaders.map((tuple, index) => [tupleKey(tuple), index]));
  const columnIndex = new Map(columnHeaders.map((tuple, index) => [tupleKey(tuple), index]));
  const width = columnHeaders.length * measureKeys.length;
  const cells: CellValue[][] = rowHeaders.map(() => new Array<CellValue>(width).fill(null));
  for (const row of table.rows) {
    const r = rowIndex.get(tupleKey(rowPositions.map((p) => row[p] ?? null)));
    const c = columnIndex.get(tupleKey(columnPositions.map((p) => row[p] ?? null)));
    const target = r === undefined ? undefined : cells[r];
    if (!target || c === undefined) continue;
    measurePositions.forEach((p, m) => {
      target[c * measureKeys.length + m] = row[p] ?? null;
    });
  }
  return {
    rowDimensions: rowKeys,
    columnDimensions: columnKeys,
    measures: measureKeys,
    rowHeaders,
    columnHeaders,
    cells,
  };
}

/** Column headers in ascending order (numbers numerically, nulls last), whatever the sort. */
function compareTuples(a: readonly CellValue[], b: readonly CellValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
