// The hand-written SQL a developer would write for each report of the lending template
// (examples/lending-crm/app/reports, installed with the app), answering the same question over
// the same rows: not soft-deleted, months in Asia/Shanghai, a related record missing reads as
// null. Plus one widget the template does not have (the funnel by channel *and* month, across two
// forms), with its definition. Used by bench/report.bench.ts; not a benchmark itself.

/** The baseline of one report: the SQL, its columns in the report's order (dimensions, measures). */
export interface Baseline {
  readonly title: string;
  readonly sql: string;
}

// Group on the truncated value, format the few groups afterwards (formatting every row is slow).
const month = (column: string) => `date_trunc('month', ${column} AT TIME ZONE 'Asia/Shanghai')`;
// A date column truncated as a plain timestamp: `date_trunc('month', date)` would first cast it
// to timestamptz in the session's time zone, per row — slower, and not what a careful developer
// (or the engine) writes.
const dateMonth = (column: string) => `date_trunc('month', ${column}::timestamp)`;

/** Baselines by template report key. */
export const TEMPLATE_BASELINES: Readonly<Record<string, Baseline>> = {
  conversion_funnel: {
    title: 'conversion funnel by channel: customers → disbursed (two forms)',
    sql: `
      WITH c AS (SELECT channel, count(*) AS n FROM customer WHERE deleted_at IS NULL GROUP BY 1),
      a AS (
        SELECT cu.channel, count(*) AS n,
          count(*) FILTER (WHERE a.status IN ('approved', 'signed', 'disbursed')) AS approved,
          count(*) FILTER (WHERE a.status IN ('signed', 'disbursed')) AS signed,
          count(*) FILTER (WHERE a.status = 'disbursed') AS disbursed
        FROM loan_application a
        LEFT JOIN customer cu ON cu.id = a.customer AND cu.deleted_at IS NULL
        WHERE a.deleted_at IS NULL GROUP BY 1
      )
      SELECT coalesce(c.channel, a.channel), coalesce(c.n, 0), coalesce(a.n, 0),
        coalesce(a.approved, 0), coalesce(a.signed, 0), coalesce(a.disbursed, 0)
      FROM c FULL JOIN a ON a.channel = c.channel`,
  },
  conversion_by_month: {
    title: 'applications and disbursed per month',
    sql: `
      SELECT to_char(m, 'YYYY-MM-DD'), n, disbursed FROM (
        SELECT ${month('created_at')} AS m, count(*) AS n,
          count(*) FILTER (WHERE status = 'disbursed') AS disbursed
        FROM loan_application WHERE deleted_at IS NULL GROUP BY 1) g`,
  },
  acquisition_cost: {
    title: 'acquisition cost per channel: spend ÷ customers, ÷ disbursed loans (three forms)',
    sql: `
      WITH s AS (SELECT channel, sum(spend) AS spend FROM channel_spend WHERE deleted_at IS NULL GROUP BY 1),
      c AS (SELECT channel, count(*) AS n FROM customer WHERE deleted_at IS NULL GROUP BY 1),
      a AS (
        SELECT cu.channel, count(*) FILTER (WHERE a.status = 'disbursed') AS loans
        FROM loan_application a
        LEFT JOIN customer cu ON cu.id = a.customer AND cu.deleted_at IS NULL
        WHERE a.deleted_at IS NULL GROUP BY 1
      )
      SELECT coalesce(s.channel, c.channel, a.channel), s.spend, coalesce(c.n, 0),
        coalesce(a.loans, 0), s.spend / nullif(c.n, 0), s.spend / nullif(a.loans, 0)
      FROM s FULL JOIN c ON c.channel = s.channel
      FULL JOIN a ON a.channel = coalesce(s.channel, c.channel)`,
  },
  overdue_by_bucket: {
    title: 'open overdue cases and principal by bucket',
    sql: `
      SELECT bucket, count(*), sum(overdue_principal) FROM collection_case
      WHERE deleted_at IS NULL AND status IN ('open', 'promised') GROUP BY 1`,
  },
  overdue_vintage: {
    title: 'overdue rate by signing month (vintage): overdue ÷ principal',
    sql: `
      SELECT to_char(m, 'YYYY-MM-DD'), principal, overdue, overdue / nullif(principal, 0) FROM (
        SELECT ${dateMonth('signed_on')} AS m, sum(principal) AS principal,
          sum(principal) FILTER (WHERE status = 'overdue') AS overdue
        FROM contract WHERE deleted_at IS NULL GROUP BY 1) g`,
  },
  disbursement_volume: {
    title: 'disbursement volume by month and product (relation to product)',
    sql: `
      SELECT to_char(m, 'YYYY-MM-DD'), name, amount FROM (
        SELECT ${dateMonth('a.disbursed_on')} AS m, p.name, sum(a.amount) AS amount
        FROM loan_application a
        LEFT JOIN product p ON p.id = a.product AND p.deleted_at IS NULL
        WHERE a.deleted_at IS NULL AND a.status = 'disbursed'
        GROUP BY 1, 2) g`,
  },
  approval_speed: {
    title: 'average hours from submission to decision, per month',
    sql: `
      SELECT to_char(m, 'YYYY-MM-DD'), hours, n FROM (
        SELECT ${month('submitted_at')} AS m,
          avg(date_part('epoch', decided_at - submitted_at)) / 3600 AS hours, count(*) AS n
        FROM loan_application WHERE deleted_at IS NULL AND decided_at IS NOT NULL GROUP BY 1) g`,
  },
  sales_ranking: {
    title: 'sales ranking: disbursed amount and conversion per salesperson',
    sql: `
      SELECT owner::text, sum(amount) FILTER (WHERE status = 'disbursed'), count(*),
        count(*) FILTER (WHERE status = 'disbursed'),
        (count(*) FILTER (WHERE status = 'disbursed'))::numeric / nullif(count(*), 0)
      FROM loan_application WHERE deleted_at IS NULL
      GROUP BY owner ORDER BY 2 DESC NULLS LAST`,
  },
  collections: {
    title: 'collections per month: recovered, promises, kept promises',
    sql: `
      SELECT to_char(m, 'YYYY-MM-DD'), recovered, promises, kept FROM (
        SELECT ${dateMonth('overdue_since')} AS m, sum(recovered_amount) AS recovered,
          count(*) FILTER (WHERE promise_date IS NOT NULL) AS promises,
          count(*) FILTER (WHERE promise_kept) AS kept
        FROM collection_case WHERE deleted_at IS NULL GROUP BY 1) g`,
  },
};

/** A widget the template does not have: the funnel by channel and month, across two forms. */
export const FUNNEL_BY_MONTH = {
  key: 'funnel_by_month',
  title: 'conversion funnel by channel and month (two forms; not in the template)',
  definition: {
    version: 1,
    chart: { type: 'funnel', version: 1 },
    sources: [
      { key: 'c', dataset: 'customer' },
      { key: 'a', dataset: 'loan_application' },
    ],
    dimensions: [
      { key: 'channel', field: { c: 'channel', a: 'customer.channel' } },
      { key: 'month', field: { c: 'created_at', a: 'submitted_at' }, bucket: 'month' },
    ],
    measures: [
      { key: 'customers', op: 'count', source: 'c' },
      { key: 'applications', op: 'count', source: 'a' },
      {
        key: 'approved',
        op: 'count',
        source: 'a',
        filter: { in: [{ var: 'status' }, ['approved', 'signed', 'disbursed']] },
      },
      {
        key: 'signed',
        op: 'count',
        source: 'a',
        filter: { in: [{ var: 'status' }, ['signed', 'disbursed']] },
      },
      {
        key: 'disbursed',
        op: 'count',
        source: 'a',
        filter: { '==': [{ var: 'status' }, 'disbursed'] },
      },
    ],
  },
  baseline: {
    title: 'conversion funnel by channel and month (two forms; not in the template)',
    sql: `
      WITH c AS (
        SELECT channel, date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai') AS m, count(*) AS n
        FROM customer WHERE deleted_at IS NULL GROUP BY 1, 2
      ), a AS (
        SELECT cu.channel, date_trunc('month', a.submitted_at AT TIME ZONE 'Asia/Shanghai') AS m,
          count(*) AS n,
          count(*) FILTER (WHERE a.status IN ('approved', 'signed', 'disbursed')) AS approved,
          count(*) FILTER (WHERE a.status IN ('signed', 'disbursed')) AS signed,
          count(*) FILTER (WHERE a.status = 'disbursed') AS disbursed
        FROM loan_application a
        LEFT JOIN customer cu ON cu.id = a.customer AND cu.deleted_at IS NULL
        WHERE a.deleted_at IS NULL GROUP BY 1, 2
      )
      SELECT coalesce(c.channel, a.channel), to_char(coalesce(c.m, a.m), 'YYYY-MM-DD'),
        coalesce(c.n, 0), coalesce(a.n, 0), coalesce(a.approved, 0), coalesce(a.signed, 0),
        coalesce(a.disbursed, 0)
      FROM c FULL JOIN a ON a.channel = c.channel AND a.m = c.m`,
  } satisfies Baseline,
} as const;
