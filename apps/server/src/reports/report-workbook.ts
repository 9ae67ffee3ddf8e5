import { PassThrough, type Readable } from 'node:stream';
import type { ChartData } from '@joinery/reports';
import ExcelJS from 'exceljs';
import type { UserLabels } from './report-user-labels.ts';

/**
 * A widget's result table as an XLSX workbook, streamed: one sheet, the columns' display names
 * as the header row, then one row per group. Decimal strings (money, ratios) are written as
 * numbers so the sheet can sum them: Excel keeps every number as a double (15 digits) anyway.
 * A user id the result groups by is written as the user's display name (`labels`).
 */
export function reportWorkbook(
  sheetName: string,
  data: ChartData & { readonly labels: UserLabels },
  onError: (error: unknown) => void,
): Readable {
  const out = new PassThrough();
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
    const columns = data.table.columns;
    sheet.addRow(columns.map((column) => column.displayName)).commit();
    for (const row of data.table.rows) {
      sheet
        .addRow(
          row.map((cell, index) => {
            const column = columns[index];
            if (typeof cell !== 'string' || !column) return cell;
            if (column.kind === 'decimal') return Number(cell);
            return data.labels[column.key]?.[cell] ?? cell;
          }),
        )
        .commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
