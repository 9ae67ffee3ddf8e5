// Benchmark `import`: 100,000 CSV rows imported through Joinery's import API (upload streamed,
// every row mapped and validated like an API create, batched inserts with history, one
// transaction) against `psql \copy` of the same file into a twin table with the same columns,
// defaults and indexes. Also samples the process's RSS during the import (the server runs in
// this process, so the figure is server + HTTP client; goal < 300 MB).
// Run with `node bench/run.mjs import [--rows N]`.
import { spawnSync } from 'node:child_process';
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { flag, ratioLine, since, startJoinery } from './records-setup.ts';

const ROWS = flag('rows', 100_000);
const label = (text: string) => ({ 'zh-CN': text, en: text });
const form = {
  key: 'customer',
  label: label('Customer'),
  fields: [
    {
      id: 'f1',
      key: 'name',
      type: 'text',
      label: label('Name'),
      validations: { required: true, maxLength: 50 },
    },
    { id: 'f2', key: 'mobile', type: 'mobile', label: label('Mobile') },
    { id: 'f3', key: 'city', type: 'text', label: label('City') },
    { id: 'f4', key: 'amount', type: 'money', label: label('Amount') },
    { id: 'f5', key: 'signed_on', type: 'date', label: label('Signed on') },
    {
      id: 'f6',
      key: 'grade',
      type: 'select',
      label: label('Grade'),
      config: { options: ['A', 'B', 'C', 'D'].map((value) => ({ value, label: label(value) })) },
    },
    { id: 'f7', key: 'active', type: 'checkbox', label: label('Active') },
  ],
};
const columns = form.fields.map((field) => field.key);

const dir = await mkdtemp(join(tmpdir(), 'joinery-import-bench-'));
const file = join(dir, 'customers.csv');
const cities = ['杭州', '上海', '北京', '深圳', 'Chengdu'];
const lines: string[] = [columns.join(',')];
const out = createWriteStream(file);
for (let i = 0; i < ROWS; i += 1) {
  lines.push(
    [
      `客户 ${i}`,
      `139${String(i).padStart(8, '0')}`,
      cities[i % cities.length],
      `${(i % 100000) + 1}.${String(i % 100).padStart(2, '0')}`,
      `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      'ABCD'[i % 4],
      i % 3 === 0 ? 'true' : 'false',
    ].join(','),
  );
  if (lines.length >= 10_000) {
    out.write(`${lines.join('\n')}\n`);
    lines.length = 0;
  }
}
out.end(`${lines.join('\n')}\n`);
await finished(out);

const joinery = await startJoinery();
await joinery.call('POST', '/api/apps', { key: 'bench', label: label('Bench') });
await joinery.call('PUT', '/api/apps/bench/forms/customer/draft', form);
const published = await joinery.call('POST', '/api/apps/bench/forms/customer/publish');
if (published.status !== 200) throw new Error(JSON.stringify(published.json));
await joinery.database.pool.query(
  'create table app_bench.customer_copy (like app_bench.customer including defaults including indexes)',
);

// Baseline: psql \copy of the same file (client-side COPY, like a DBA would load it).
let start = performance.now();
const copy = spawnSync(
  '/usr/bin/psql',
  [
    joinery.databaseUrl,
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    `\\copy app_bench.customer_copy (${columns.join(', ')}) from '${file}' with (format csv, header true)`,
  ],
  { encoding: 'utf8' },
);
const baselineMs = since(start);
if (copy.status !== 0) throw new Error(copy.stderr);

// Joinery: the import API with the file streamed from disk.
globalThis.gc?.();
const before = process.memoryUsage();
let peak = before.rss;
let heapPeak = before.heapUsed;
let externalPeak = before.external;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peak = Math.max(peak, now.rss);
  heapPeak = Math.max(heapPeak, now.heapUsed);
  externalPeak = Math.max(externalPeak, now.external);
}, 25);
const rssBefore = before.rss;
start = performance.now();
const body = new FormData();
body.append('file', await openAsBlob(file, { type: 'text/csv' }), 'customers.csv');
const response = await fetch(`${joinery.url}/api/apps/bench/forms/customer/imports?wait=true`, {
  method: 'POST',
  headers: joinery.headers,
  body,
});
const job = (await response.json()) as { status: string; insertedRows: number };
const joineryMs = since(start);
clearInterval(sampler);
if (response.status !== 200 || job.insertedRows !== ROWS) {
  throw new Error(`import answered ${response.status}: ${JSON.stringify(job).slice(0, 500)}`);
}
const counted = await joinery.database.pool.query(
  'select (select count(*) from app_bench.customer)::int as ours, (select count(*) from app_bench.customer_copy)::int as theirs',
);
console.log(`rows: ${ROWS} (ours ${counted.rows[0].ours}, psql ${counted.rows[0].theirs})`);
console.log(
  `joinery import: ${(joineryMs / 1000).toFixed(2)} s (${Math.round(ROWS / (joineryMs / 1000))} rows/s)`,
);
console.log(`psql \\copy:     ${(baselineMs / 1000).toFixed(2)} s`);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
console.log(
  `process RSS: ${mb(rssBefore)} MB before, peak ${mb(peak)} MB during the import (goal < 300 MB)`,
);
// The JavaScript heap (server and client share it) and buffers outside it: what grows with
// the file would show here, separately from the code and runtime the RSS also holds.
console.log(
  `JS heap: ${mb(before.heapUsed)} MB before, peak ${mb(heapPeak)} MB; external: ${mb(before.external)} MB before, peak ${mb(externalPeak)} MB`,
);
await joinery.close();
await rm(dir, { recursive: true, force: true });
console.log(ratioLine('import', joineryMs / baselineMs, 3));
