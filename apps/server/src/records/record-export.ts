import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { valueToCell } from './record-cells.ts';
import type { ListOptions, ReadContext, RecordService } from './record-service.ts';
import type { RecordBody } from './record-values.ts';

const PAGE = 500;

/**
 * Exports every record a list query selects (same filter, sort and search), streamed page by
 * page through the keyset cursor, so memory stays flat however many records match. The first
 * row holds field keys (import maps them back); then `id` and the live fields, lists joined by
 * `;`, subform rows and files as JSON. CSV starts with a BOM so Excel reads UTF-8.
 */
export function exportRecords(
  records: RecordService,
  form: PublishedForm,
  options: ListOptions,
  format: 'csv' | 'xlsx',
  context: ReadContext,
  onError: (error: unknown) => void,
  present: (items: RecordBody[]) => Promise<RecordBody[]>,
  readable: (key: string) => boolean,
): Readable {
  const fields = [...form.fields.values()].filter((f) => readable(f.key));
  const header = ['id', ...fields.map((f) => f.key)];
  const out = new PassThrough();
  const pages = async function* () {
    let cursor: string | undefined;
    do {
      const page = await records.list(
        form,
        { ...options, limit: PAGE, count: false, ...(cursor && { cursor }) },
        context,
      );
      yield (await present(page.items)).map((record) => [
        record.id,
        ...fields.map((f) => valueToCell(f, record.values[f.key])),
      ]);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
  const write = async () => {
    if (format === 'csv') {
      out.write(`\uFEFF${Papa.unparse([header])}\r\n`);
      for await (const rows of pages()) {
        if (rows.length === 0) continue;
        if (!out.write(`${Papa.unparse(rows)}\r\n`)) {
          await new Promise((resolve) => out.once('drain', resolve));
        }
      }
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(form.formKey);
    sheet.addRow(header).commit();
    for await (const rows of pages()) {
      for (const row of rows) sheet.addRow(row).commit();
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
