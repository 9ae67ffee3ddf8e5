import type { Readable } from 'node:stream';
import { isJoineryError, JoineryError } from '@joinery/shared';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

/** The import file formats. */
export type ImportFormat = 'csv' | 'xlsx';

/** Limits that keep a hostile file from exhausting the server. */
export const IMPORT_LIMITS = Object.freeze({
  maxRows: 1_000_000,
  maxColumns: 200,
  maxCellLength: 10_000,
});

function tooLarge(reason: string): JoineryError {
  return new JoineryError('JNY_IMPORT_TOO_LARGE', { reason });
}

/** Checks one row against the limits; the row number is the spreadsheet's (header = 1). */
function checkRow(cells: readonly unknown[], rowNumber: number): void {
  if (cells.length > IMPORT_LIMITS.maxColumns) {
    throw tooLarge(`row ${rowNumber} has more than ${IMPORT_LIMITS.maxColumns} columns`);
  }
  for (const cell of cells) {
    if (typeof cell === 'string' && cell.length > IMPORT_LIMITS.maxCellLength) {
      throw tooLarge(`row ${rowNumber} has a cell over ${IMPORT_LIMITS.maxCellLength} characters`);
    }
  }
  if (rowNumber > IMPORT_LIMITS.maxRows + 1) {
    throw tooLarge(`more than ${IMPORT_LIMITS.maxRows} rows`);
  }
}

/**
 * The rows of an import file, header first, streamed with back-pressure (papaparse's Node
 * stream for CSV, exceljs's streaming reader for the first XLSX sheet), never read whole. A
 * file that cannot be parsed is `JNY_IMPORT_FILE_INVALID`; one over the limits
 * `JNY_IMPORT_TOO_LARGE`.
 */
export async function* importRows(
  source: Readable,
  format: ImportFormat,
): AsyncGenerator<unknown[]> {
  let rowNumber = 0;
  try {
    if (format === 'csv') {
      for await (const cells of csvRows(source)) {
        rowNumber += 1;
        if (rowNumber === 1 && typeof cells[0] === 'string') {
          cells[0] = cells[0].replace(/^\uFEFF/, '');
        }
        checkRow(cells, rowNumber);
        if (cells.some((cell) => cell.includes('\u0000'))) {
          throw new JoineryError('JNY_IMPORT_FILE_INVALID', {
            reason: 'binary data in a CSV file',
          });
        }
        yield cells;
      }
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      entries: 'emit',
    });
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        rowNumber += 1;
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        const cells = Array.from(values, (value) => value ?? null);
        checkRow(cells, rowNumber);
        yield cells;
      }
      return; // the first sheet only
    }
  } catch (error) {
    if (isJoineryError(error)) throw error;
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unreadable';
    throw new JoineryError('JNY_IMPORT_FILE_INVALID', { reason });
  }
}

/**
 * CSV rows from papaparse's stream reader in chunk mode (its `NODE_STREAM_INPUT` duplex is two
 * orders of magnitude slower), with back-pressure: parsing and reading pause while a few chunks
 * wait.
 */
async function* csvRows(source: Readable): AsyncGenerator<string[]> {
  const queue: string[][][] = [];
  let done = false;
  let failure: Error | null = null;
  let paused: Papa.Parser | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  source.setEncoding('utf8');
  source.on('error', (error) => {
    failure = error;
    signal();
  });
  // papaparse reads any object with Node's readable-stream interface in its browser typings.
  Papa.parse(source as unknown as File, {
    skipEmptyLines: 'greedy',
    chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
      queue.push(results.data);
      if (queue.length >= 4) {
        // The parser's pause leaves the file flowing into papaparse's own queue of text
        // chunks: pausing the source too keeps memory flat however large the file.
        parser.pause();
        source.pause();
        paused = parser;
      }
      signal();
    },
    complete: () => {
      done = true;
      signal();
    },
    error: (error: Error) => {
      failure = error;
      signal();
    },
  });
  while (true) {
    const rows = queue.shift();
    if (rows) {
      if (paused && queue.length < 2) {
        const parser: Papa.Parser = paused;
        paused = null;
        source.resume();
        parser.resume();
      }
      yield* rows;
      continue;
    }
    if (failure) throw failure;
    if (done) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}
