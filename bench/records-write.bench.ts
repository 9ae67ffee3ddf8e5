// Benchmark `records-write`: creating a record through Joinery's HTTP API (authentication,
// validation, linkage, a formula, a serial number, the change history) against a bare fastify
// route doing one raw `pg` INSERT of the same row. Same machine, same database server, same HTTP
// client, alternating rounds. Run with `node bench/run.mjs records-write [--requests N]`.
import {
  authenticationCost,
  Fastify,
  flag,
  percentile,
  ratioLine,
  since,
  startJoinery,
} from './records-setup.ts';

const REQUESTS = flag('requests', 2000);
const ROUNDS = 4;
const label = (text: string) => ({ 'zh-CN': text, en: text });

const form = {
  key: 'loan',
  label: label('Loan'),
  fields: [
    {
      id: 'f1',
      key: 'name',
      type: 'text',
      label: label('Name'),
      validations: { required: true, maxLength: 50 },
    },
    { id: 'f2', key: 'mobile', type: 'mobile', label: label('Mobile') },
    {
      id: 'f3',
      key: 'amount',
      type: 'money',
      label: label('Amount'),
      validations: { required: true, min: '1000' },
    },
    { id: 'f4', key: 'term', type: 'number', label: label('Term'), config: { decimals: 0 } },
    { id: 'f5', key: 'signed_on', type: 'date', label: label('Signed on') },
    {
      id: 'f6',
      key: 'status',
      type: 'select',
      label: label('Status'),
      config: { options: ['draft', 'approved'].map((value) => ({ value, label: label(value) })) },
    },
    {
      id: 'f7',
      key: 'monthly',
      type: 'formula',
      label: label('Monthly'),
      config: { resultType: 'money', logic: { '/': [{ var: 'amount' }, { var: 'term' }] } },
    },
    {
      id: 'f8',
      key: 'no',
      type: 'serial',
      label: label('No'),
      config: { pattern: 'LN-{YYYYMMDD}-{counter:6}' },
    },
  ],
};
const values = (i: number) => ({
  name: `borrower ${i}`,
  mobile: `138${String(i).padStart(8, '0')}`,
  amount: `${10000 + (i % 1000)}.00`,
  term: 12,
  signed_on: '2026-11-23',
  status: i % 2 ? 'draft' : 'approved',
});

const joinery = await startJoinery();
await joinery.call('POST', '/api/apps', { key: 'bench', label: label('Bench') });
await joinery.call('PUT', '/api/apps/bench/forms/loan/draft', form);
const published = await joinery.call('POST', '/api/apps/bench/forms/loan/publish');
if (published.status !== 200) throw new Error(JSON.stringify(published.json));
// The baseline writes the same columns (formula and serial precomputed) into a twin table.
await joinery.database.pool.query(
  'create table app_bench.loan_baseline (like app_bench.loan including defaults including indexes)',
);

const baseline = Fastify({ logger: false });
baseline.post('/baseline', async (request) => {
  const v = request.body as Record<string, string | number>;
  const result = await joinery.database.pool.query(
    `insert into app_bench.loan_baseline (name, mobile, amount, term, signed_on, status, monthly, no)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
    [v.name, v.mobile, v.amount, v.term, v.signed_on, v.status, v.monthly, v.no],
  );
  return result.rows[0];
});
const baselineUrl = await baseline.listen({ port: 0, host: '127.0.0.1' });

async function run(
  url: string,
  headers: Record<string, string>,
  body: (i: number) => unknown,
  offset: number,
) {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS / ROUNDS; i += 1) {
    const start = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body(offset + i)),
    });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`${url} answered ${response.status}`);
    times.push(since(start));
  }
  return times;
}

const joineryBody = (i: number) => ({ values: values(i) });
const baselineBody = (i: number) => ({
  ...values(i),
  monthly: '833.33',
  no: `LN-20261123-${String(i).padStart(6, '0')}`,
});
const recordsUrl = `${joinery.url}/api/apps/bench/forms/loan/records`;
await run(recordsUrl, joinery.headers, joineryBody, 1_000_000); // warm-up
await run(`${baselineUrl}/baseline`, {}, baselineBody, 1_000_000);
const ours: number[] = [];
const theirs: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  ours.push(...(await run(recordsUrl, joinery.headers, joineryBody, round * REQUESTS)));
  theirs.push(...(await run(`${baselineUrl}/baseline`, {}, baselineBody, round * REQUESTS)));
}
const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
console.log(
  `requests: ${ours.length} each, sequential over HTTP (keep-alive), ${ROUNDS} alternating rounds`,
);
console.log(
  `joinery:  mean ${mean(ours).toFixed(3)} ms, p50 ${percentile(ours, 50).toFixed(3)} ms, p95 ${percentile(ours, 95).toFixed(3)} ms`,
);
console.log(
  `baseline: mean ${mean(theirs).toFixed(3)} ms, p50 ${percentile(theirs, 50).toFixed(3)} ms, p95 ${percentile(theirs, 95).toFixed(3)} ms`,
);
console.log(await authenticationCost(joinery, '/api/apps/bench/forms/loan'));
await baseline.close();
await joinery.close();
console.log(ratioLine('records-write', mean(ours) / mean(theirs), 2));
