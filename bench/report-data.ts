// Data of the report benchmark: the lending template installed with its own generator (small
// size: products, demo staff, a few hundred realistic rows), then grown inside Postgres to N loan
// applications with `INSERT … SELECT generate_series` — rows shaped like the generator's (same
// option values, 18 months of history, statuses in the same proportions, contracts,
// disbursements and collection cases following from the statuses) on the template's own tables
// and indexes. Not a benchmark itself (no `.bench.ts`).
//
// Why not the generator all the way: it builds every row in Node (faker, exact repayment
// schedules) and took 64 s for 30,000 applications on this shared 2-core machine, so about
// 35 minutes for 1,000,000; the SQL growth takes a minute or two and the queries only read
// columns both fill the same way.
import type { Database } from '../apps/server/src/database/connect.ts';

/** Counts of the grown tables. */
export interface GrownRows {
  readonly customers: number;
  readonly applications: number;
  readonly contracts: number;
  readonly disbursements: number;
  readonly collectionCases: number;
}

const CHANNELS = ['online_ads', 'referral', 'partner', 'offline_store', 'telemarketing'];

/**
 * Grows the seeded lending app to `applications` loan applications (and 0.4 customer per
 * application). Runs as a few set-based statements in one transaction, then `ANALYZE`.
 */
export async function growLending(
  pool: Database['pool'],
  applications: number,
  asOf: string,
): Promise<GrownRows> {
  const client = await pool.connect();
  const customers = Math.round(applications * 0.4);
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL search_path TO app_lending');
    const owners = await client.query<{ id: string }>(
      `SELECT u.id FROM joinery.users u WHERE u.username LIKE 'sales%' ORDER BY u.username`,
    );
    const ownerIds = owners.rows.map((row) => row.id);
    if (ownerIds.length === 0) throw new Error('no demo sales users');
    // Customers: channel shares 35/15/20/15/15 %, created over the 18 months before asOf.
    await client.query(
      `INSERT INTO customer (id, created_at, updated_at, version, name, mobile, id_number, city,
         channel, grade, risk_level, monthly_income, credit_score, overdue_count, blacklisted, owner)
       SELECT gen_random_uuid(), ts, ts, 1, '客户' || i, '139' || lpad(i::text, 8, '0'),
         '9' || lpad(i::text, 17, '0'),
         (ARRAY['北京','上海','广州','深圳','杭州','成都','武汉','南京'])[1 + i % 8],
         CASE WHEN r < 0.35 THEN 'online_ads' WHEN r < 0.5 THEN 'referral' WHEN r < 0.7 THEN 'partner'
              WHEN r < 0.85 THEN 'offline_store' ELSE 'telemarketing' END,
         (ARRAY['A','B','C','D'])[1 + (i * 7) % 4], (ARRAY['low','medium','high'])[1 + (i * 3) % 3],
         round((5000 + random() * 45000)::numeric, 2), 450 + (i * 13) % 400, 0, false,
         ($3::uuid[])[1 + i % cardinality($3::uuid[])]
       FROM (SELECT i, random() AS r,
               $2::timestamptz - (random() * interval '548 days') AS ts
             FROM generate_series(1, $1::int) AS i) s`,
      [customers, `${asOf}T00:00:00+08:00`, ownerIds],
    );
    // Applications: a random customer each (owned by the customer's salesperson), submitted
    // after the customer was created; statuses as the generator spreads them.
    await client.query(
      `CREATE TEMP TABLE jny_bench_customers ON COMMIT DROP AS
       SELECT row_number() OVER () AS n, id, created_at, owner FROM customer`,
    );
    await client.query('CREATE INDEX ON jny_bench_customers (n)');
    const products = await client.query<{ id: string }>('SELECT id FROM product ORDER BY name');
    await client.query(
      `INSERT INTO loan_application (id, created_at, updated_at, version, serial_no, customer,
         product, amount, term, repayment_method, purpose, cash, monthly_income, monthly_debt,
         credit_score, status, risk_flag, submitted_at, decided_at, signed_on, disbursed_on, owner)
       SELECT gen_random_uuid(), sub, sub, 1, 'LB-' || lpad(i::text, 9, '0'), c.id,
         ($3::uuid[])[1 + i % cardinality($3::uuid[])],
         round((5000 + r2 * r2 * 295000)::numeric, 2), (ARRAY[3,6,12,24,36])[1 + i % 5],
         (ARRAY['equal_instalment','equal_principal','interest_first'])[1 + i % 3],
         (ARRAY['consumption','education','medical','car','renovation','business'])[1 + i % 6],
         i % 10 = 0, round((5000 + r2 * 40000)::numeric, 2), round((r2 * 8000)::numeric, 2),
         450 + i % 400, st, false, sub,
         CASE WHEN st IN ('approved','signed','disbursed','rejected')
              THEN sub + (interval '1 hour' * (2 + r3 * 120)) END,
         CASE WHEN st IN ('signed','disbursed') THEN (sub + interval '3 days')::date END,
         CASE WHEN st = 'disbursed' THEN (sub + interval '5 days')::date END,
         c.owner
       FROM (SELECT i, random() AS r, random() AS r2, random() AS r3,
               1 + floor(random() * $2::int)::int AS n FROM generate_series(1, $1::int) AS i) g
       JOIN jny_bench_customers c ON c.n = g.n
       CROSS JOIN LATERAL (SELECT c.created_at + (random() * ($4::timestamptz - c.created_at)) AS sub) s
       CROSS JOIN LATERAL (SELECT CASE
           WHEN s.sub > $4::timestamptz - interval '10 days' AND g.r < 0.5 THEN 'in_review'
           WHEN g.r < 0.03 THEN 'draft' WHEN g.r < 0.06 THEN 'withdrawn'
           WHEN g.r < 0.08 THEN 'returned' WHEN g.r < 0.38 THEN 'rejected'
           WHEN g.r < 0.45 THEN 'approved' WHEN g.r < 0.50 THEN 'signed'
           ELSE 'disbursed' END AS st) t`,
      [applications, customers, products.rows.map((row) => row.id), `${asOf}T00:00:00+08:00`],
    );
    // Contracts and disbursements follow from signed and disbursed applications.
    await client.query(
      `INSERT INTO contract (id, created_at, updated_at, version, serial_no, application, customer,
         principal, apr, term, repayment_method, signed_on, status, owner)
       SELECT gen_random_uuid(), a.submitted_at, a.submitted_at, 1, 'HB-' || a.serial_no, a.id,
         a.customer, a.amount, 0.0720 + (a.credit_score % 10) / 100.0, a.term, a.repayment_method,
         a.signed_on, CASE WHEN a.credit_score % 13 = 0 THEN 'overdue' ELSE 'active' END, a.owner
       FROM loan_application a
       WHERE a.status IN ('signed','disbursed') AND a.serial_no LIKE 'LB-%'`,
    );
    await client.query(
      `INSERT INTO disbursement (id, created_at, updated_at, version, application, contract,
         amount, disbursed_on, owner)
       SELECT gen_random_uuid(), a.submitted_at, a.submitted_at, 1, a.id, k.id, a.amount,
         a.disbursed_on, a.owner
       FROM loan_application a JOIN contract k ON k.application = a.id
       WHERE a.status = 'disbursed' AND a.serial_no LIKE 'LB-%'`,
    );
    // Collection cases: the overdue contracts, M1/M2/M3+ by overdue days.
    await client.query(
      `INSERT INTO collection_case (id, created_at, updated_at, version, contract, customer,
         overdue_since, overdue_days, bucket, overdue_principal, overdue_amount, promise_date,
         promise_amount, recovered_amount, promise_kept, status, owner)
       SELECT gen_random_uuid(), k.created_at, k.created_at, 1, k.id, k.customer,
         $1::date - d, d, CASE WHEN d > 60 THEN 'M3+' WHEN d > 30 THEN 'M2' ELSE 'M1' END,
         round(k.principal * (0.05 + (d % 20) / 100.0), 2),
         round(k.principal * (0.06 + (d % 20) / 100.0), 2),
         CASE WHEN d % 3 = 0 THEN $1::date - d + 10 END,
         CASE WHEN d % 3 = 0 THEN round(k.principal * 0.05, 2) END,
         CASE WHEN d % 4 = 0 THEN round(k.principal * 0.03, 2) ELSE 0 END,
         d % 6 = 0, (ARRAY['open','promised','recovered','written_off'])[1 + d % 4], k.owner
       FROM (SELECT k.*, 1 + (abs(hashtext(k.id::text)) % 120) AS d FROM contract k
             WHERE k.status = 'overdue' AND k.serial_no LIKE 'HB-LB-%') k`,
      [asOf],
    );
    await client.query(
      `INSERT INTO channel_spend (id, created_at, updated_at, version, channel, month, spend)
       SELECT gen_random_uuid(), now(), now(), 1, c, m::date, round((50000 + random() * 500000)::numeric, 2)
       FROM unnest($1::text[]) AS c,
            generate_series(date_trunc('month', $2::date - interval '18 months'), $2::date, interval '1 month') AS m`,
      [CHANNELS, asOf],
    );
    const counted = await client.query<{ [key: string]: string }>(
      `SELECT (SELECT count(*) FROM customer) AS customers,
              (SELECT count(*) FROM loan_application) AS applications,
              (SELECT count(*) FROM contract) AS contracts,
              (SELECT count(*) FROM disbursement) AS disbursements,
              (SELECT count(*) FROM collection_case) AS collection_cases`,
    );
    await client.query('COMMIT');
    for (const table of [
      'customer',
      'loan_application',
      'contract',
      'disbursement',
      'collection_case',
      'channel_spend',
    ]) {
      await client.query(`ANALYZE app_lending.${table}`);
    }
    const row = counted.rows[0] ?? {};
    return {
      customers: Number(row.customers),
      applications: Number(row.applications),
      contracts: Number(row.contracts),
      disbursements: Number(row.disbursements),
      collectionCases: Number(row.collection_cases),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
