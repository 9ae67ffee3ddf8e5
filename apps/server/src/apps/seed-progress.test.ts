import { describe, expect, it } from 'vitest';
import { progressReporter } from './seed-progress.ts';

function capture(isTTY: boolean) {
  const written: string[] = [];
  let now = 0;
  const report = progressReporter({ isTTY, write: (text) => written.push(text) }, () => now);
  return { written, report, at: (ms: number) => (now = ms) };
}

describe('the seed progress reporter', () => {
  it('redraws a bar in place on a terminal, with rows/s and the time left', () => {
    const { written, report, at } = capture(true);
    at(5_000);
    report({ kind: 'step', message: 'loading 4,000 customers' });
    at(15_000);
    report({ kind: 'rows', customers: 1_000, total: 4_000, rows: 50_000 });
    expect(written.at(-1)).toBe(
      '\r[########......................] 25% 1,000/4,000 customers, 50,000 rows, 5,000 rows/s, ETA 30s',
    );
    at(45_000);
    report({ kind: 'rows', customers: 4_000, total: 4_000, rows: 200_000 });
    expect(written.at(-1)).toBe(
      '\r[##############################] 100% 4,000/4,000 customers, 200,000 rows, 5,000 rows/s, done in 40s\n',
    );
    report({ kind: 'step', message: 'building indexes' });
    expect(written.at(-1)).toBe('seed: building indexes\n');
  });

  it('ends an open bar before a step line', () => {
    const { written, report, at } = capture(true);
    at(1_000);
    report({ kind: 'rows', customers: 1, total: 2, rows: 10 });
    report({ kind: 'step', message: 'stopping' });
    expect(written.at(-1)).toBe('\nseed: stopping\n');
  });

  it('writes plain lines at most every 5 seconds elsewhere, and always the last', () => {
    const { written, report, at } = capture(false);
    at(1_000);
    report({ kind: 'rows', customers: 1_000, total: 400_000, rows: 60_000 });
    at(3_000);
    report({ kind: 'rows', customers: 2_000, total: 400_000, rows: 120_000 });
    at(7_000);
    report({ kind: 'rows', customers: 3_000, total: 400_000, rows: 180_000 });
    at(7_500);
    report({ kind: 'rows', customers: 400_000, total: 400_000, rows: 24_000_000 });
    expect(written).toEqual([
      'seed: 0% 1,000/400,000 customers, 60,000 rows, 60,000 rows/s, ETA 6m39s\n',
      'seed: 0% 3,000/400,000 customers, 180,000 rows, 25,714 rows/s, ETA 15m26s\n',
      'seed: 100% 400,000/400,000 customers, 24,000,000 rows, 3,200,000 rows/s, done in 8s\n',
    ]);
  });
});
