/** How far a seed is: customers done of the total, rows written (history included). */
export interface SeedProgress {
  readonly customers: number;
  readonly total: number;
  readonly rows: number;
}

/** What a seed reports: loading progress, then the steps after the rows. */
export type SeedEvent =
  | ({ readonly kind: 'rows' } & SeedProgress)
  | { readonly kind: 'step'; readonly message: string };

/** Where the report goes: a terminal gets a bar redrawn in place, anything else plain lines. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const PLAIN_EVERY_MS = 5_000;
const WIDTH = 30;

/**
 * A seed's progress on stderr: on a terminal a bar with customers, rows, rows/s and the time
 * left, redrawn in place; otherwise (a log, CI) a plain line at most every 5 seconds and at the
 * end. Rates are averaged since the last step (the one before the rows, so installing the
 * template does not count); the time left assumes the same rate of customers.
 */
export function progressReporter(
  output: ProgressOutput = process.stderr,
  now: () => number = Date.now,
): (event: SeedEvent) => void {
  let started = now();
  let printedAt = Number.NEGATIVE_INFINITY;
  let barOpen = false;
  return (event) => {
    const at = now();
    if (event.kind === 'step') {
      output.write(`${barOpen ? '\n' : ''}seed: ${event.message}\n`);
      barOpen = false;
      started = at;
      return;
    }
    const done = event.customers >= event.total;
    const text = describe(event, Math.max(at - started, 1));
    if (output.isTTY) {
      const filled = Math.round((event.customers / event.total) * WIDTH);
      output.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${text}${done ? '\n' : ''}`,
      );
      barOpen = !done;
      return;
    }
    if (!done && at - printedAt < PLAIN_EVERY_MS) return;
    printedAt = at;
    output.write(`seed: ${text}\n`);
  };
}

function describe(progress: SeedProgress, elapsedMs: number): string {
  const { customers, total, rows } = progress;
  const percent = Math.floor((customers / total) * 100);
  const rate = Math.round((rows * 1000) / elapsedMs);
  const left = customers > 0 ? (elapsedMs * (total - customers)) / customers : Number.NaN;
  const eta = customers >= total ? `done in ${duration(elapsedMs)}` : `ETA ${duration(left)}`;
  return `${percent}% ${customers.toLocaleString('en')}/${total.toLocaleString('en')} customers, ${rows.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s, ${eta}`;
}

/** `1h02m`, `4m05s` or `12s`. */
function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
