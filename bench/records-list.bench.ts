// Benchmark `records-list`: a filtered, sorted, paginated list through Joinery's records API
// (authentication, the JSON-logic filter translated by the rule engine, keyset cursor, row
// conversion) against a bare fastify route running the hand-written SQL on the same table and
// the same index. First pages and cursor pages alternate. Reports p50 and p95; the ratio is of
// the p50s. Run with `node bench/run.mjs records-list [--rows N] [--requests N]`.
import {
  authenticationCost,
  Fastify,
  flag,
  percentile,
  ratioLine,
  since,
  startJoinery,
} from './records-setup.ts';

const ROWS = flag('rows', 1_000_000);
const REQUESTS = flag('requests', 400);
const label = (text: string) => ({ 'zh-CN': text, en: text });
const form = {
  key: 'loan',
  label: label('Loan'),
  fields: [
    { id: 'f1', key: 'name', type: 'text', label: label('Name') },
    { id: 'f2', key: 'amount', type: 'money', label: label('Amount') },
    { id: 'f3', key: 'term', type: 'number', label: label('Term') },
    { id: 'f4', key: 'signed_on', type: 'date', label: label('Signed on') },
    {
      id: 'f5',
      key: 'status',
      type: 'select',
      label: label('Status'),
      config: {
        options: ['draft', 'submitted', 'approved', 'rejected'].map((value) => ({
          value,
          label: label(value),
        })),
      },
    },
  ],
};

const joinery = await startJoinery();
await joinery.call('POST', '/api/apps', { key: 'bench', label: label('Bench') });
await joinery.call('PUT', '/api/apps/bench/forms/loan/draft', form);
const published = await joinery.call('POST', '/api/apps/bench/forms/loan/publish');
if (published.status !== 200) throw new Error(JSON.stringify(published.json));
const pool = joinery.database.pool;
let start = performance.now();
await pool.query(
  `insert into app_bench.loan (created_at, updated_at, name, amount, term, signed_on, status)
   select ts, ts, 'borrower ' || i, (1000 + (i::bigint * 7919) % 200000)::numeric(18,2), 1 + i % 36,
          date '2024-01-01' + (i % 700),
          (array['draft','submitted','approved','rejected'])[1 + i % 4]
   from generate_series(1, $1::int) i,
        lateral (select timestamptz '2024-01-01' + i * interval '1 second' as ts) t`,
  [ROWS],
);
// The index both sides use: the table's own (created_at, id) index, made at publish.
await pool.query('analyze app_bench.loan');
console.log(`loaded ${ROWS} rows in ${(since(start) / 1000).toFixed(1)} s`);

const filter = {
  and: [{ '==': [{ var: 'status' }, 'approved'] }, { '>=': [{ var: 'amount' }, 50000] }],
};
const listUrl = `${joinery.url}/api/apps/bench/forms/loan/records?${new URLSearchParams({
  filter: JSON.stringify(filter),
  sort: '-created_at',
  limit: '50',
})}`;

const baseline = Fastify({ logger: false });
baseline.get('/baseline', async (request) => {
  const { cursor } = request.query as { cursor?: string };
  const after = cursor
    ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string])
    : null;
  const params: unknown[] = ['approved', 50000];
  if (after) params.push(after[0], after[1]);
  const result = await pool.query(
    `select * from app_bench.loan
     where deleted_at is null and status = $1 and amount >= $2
     ${after ? 'and (created_at, id) < ($3, $4)' : ''}
     order by created_at desc, id desc limit 51`,
    params,
  );
  const rows = result.rows.slice(0, 50);
  const last = rows[rows.length - 1];
  return {
    items: rows,
    nextCursor:
      result.rows.length > 50 && last
        ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString(
            'base64url',
          )
        : null,
  };
});
const baselineUrl = `${await baseline.listen({ port: 0, host: '127.0.0.1' })}/baseline`;

interface Page {
  items: unknown[];
  nextCursor: string | null;
}
async function get(url: string, headers: Record<string, string>): Promise<Page> {
  const response = await fetch(url, { headers });
  if (response.status !== 200)
    throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Page;
}

/** Times a first page and the four pages after it, each request on its own. */
async function pages(url: string, headers: Record<string, string>, times: number[]) {
  let cursor: string | null = null;
  for (let page = 0; page < 5; page += 1) {
    const target: string = cursor ? `${url}${url.includes('?') ? '&' : '?'}cursor=${cursor}` : url;
    start = performance.now();
    const body = await get(target, headers);
    times.push(since(start));
    if (body.items.length !== 50) throw new Error(`short page from ${url}`);
    cursor = body.nextCursor;
  }
}

const ours: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < 10; i += 1) {
  await pages(listUrl, joinery.headers, []);
  await pages(baselineUrl, {}, []);
}
for (let i = 0; i < REQUESTS / 5; i += 1) {
  await pages(listUrl, joinery.headers, ours);
  await pages(baselineUrl, {}, theirs);
}
const show = (name: string, list: number[]) =>
  console.log(
    `${name} p50 ${percentile(list, 50).toFixed(3)} ms, p95 ${percentile(list, 95).toFixed(3)} ms`,
  );
console.log(
  `${ROWS} rows; ${ours.length} requests each (first page + 4 cursor pages, 50 rows, alternating)`,
);
show('joinery: ', ours);
show('baseline:', theirs);
console.log(
  `p95 ratio ${(percentile(ours, 95) / percentile(theirs, 95)).toFixed(2)} (reported, not the goal line)`,
);
console.log(await authenticationCost(joinery, '/api/apps/bench/forms/loan'));
await baseline.close();
await joinery.close();
console.log(ratioLine('records-list', percentile(ours, 50) / percentile(theirs, 50), 1.3));
