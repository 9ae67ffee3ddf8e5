// Benchmark `report`: each report of the lending template (its management dashboard), plus a
// funnel by channel and month, as Joinery generates the query (report engine + the server's
// rights of the demo manager: all rows, i.e. "not soft-deleted") vs the hand-written SQL
// answering the same question, on the same database, session, tables and indexes. Each pair is
// checked to return the same numbers, warmed up, then run alternately; the medians are
// compared. The server's whole path (read-only transaction, settings, statement) is shown too.
//
//   node bench/run.mjs report [--rows N] [--runs R]
//
// --rows: loan applications (default 1,000,000; 0.4 customer per application). Uses DATABASE_URL
// if set, else postgres://postgres@127.0.0.1:5432/test, on a throwaway database (dropped after).
// Ends with `report: joinery/baseline = R (goal <= 1.2)`, R the slowest widget's ratio.
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { loadViewer } from '../apps/server/src/access/viewer.ts';
import { seedLending } from '../apps/server/src/apps/seed-lending.ts';
import { SystemClock } from '../apps/server/src/clock/clock.ts';
import { connectTo } from '../apps/server/src/database/connect.ts';
import { migrateToLatest } from '../apps/server/src/database/migrate.ts';
import { FormRegistry } from '../apps/server/src/metadata/form-registry.ts';
import { reportAccess } from '../apps/server/src/reports/report-access.ts';
import { reportCatalog } from '../apps/server/src/reports/report-catalog.ts';
import { ReportStore } from '../apps/server/src/reports/report-store.ts';
import { runReportQuery } from '../apps/server/src/reports/run-report-query.ts';
import { createTestDatabase } from '../packages/postgres/src/index.ts';
import {
  buildReportQuery,
  type PreparedReport,
  prepareReport,
} from '../packages/reports/src/index.ts';
import { growLending } from './report-data.ts';
import { type Baseline, FUNNEL_BY_MONTH, TEMPLATE_BASELINES } from './report-widgets.ts';

const require = createRequire(new URL('../apps/server/package.json', import.meta.url));
const pino = require('pino') as (options: { level: string }) => Parameters<typeof connectTo>[1];
const { runMigrations } = require('graphile-worker') as {
  runMigrations: (options: { pgPool: unknown }) => Promise<void>;
};

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 1_000_000);
const RUNS = arg('runs', 5);
if (!Number.isInteger(ROWS) || ROWS < 1000 || !Number.isInteger(RUNS) || RUNS < 1) {
  console.error('usage: node bench/run.mjs report [--rows N >= 1000] [--runs R >= 1]');
  process.exit(2);
}
const WARMUP = 2;
const AS_OF = '2026-11-23';
const GOAL = 1.2;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Result rows (arrays, in column order) as comparable text: numbers to 9 significant digits, whatever their type. */
function normalise(rows: readonly unknown[][]): string[] {
  const text = rows.map((row) =>
    JSON.stringify(
      row.map((value) => {
        if (value === null || value === undefined) return null;
        if (value instanceof Date) return value.toISOString();
        const number = typeof value === 'number' ? value : Number(value);
        if (typeof value !== 'boolean' && value !== '' && Number.isFinite(number)) {
          return Number(number.toPrecision(9));
        }
        return String(value);
      }),
    ),
  );
  return text.sort();
}

async function main() {
  const started = performance.now();
  const testDb = await createTestDatabase(SERVER_URL);
  const database = await connectTo(testDb.url, pino({ level: 'silent' }), testDb.drop);
  try {
    await migrateToLatest(database.db);
    // The job queue's schema, as `joinery start` migrates it: installing the template schedules
    // automation jobs.
    await runMigrations({ pgPool: database.pool });
    await seedLending(database, { size: 'small', seed: 1, asOf: AS_OF });
    const grown = await growLending(database.pool, Math.max(0, ROWS - 600), AS_OF);
    const filled = performance.now();
    console.log(
      `data: ${grown.applications.toLocaleString('en')} applications, ${grown.customers.toLocaleString('en')} customers, ${grown.contracts.toLocaleString('en')} contracts, ${grown.disbursements.toLocaleString('en')} disbursements, ${grown.collectionCases.toLocaleString('en')} collection cases (${((filled - started) / 1000).toFixed(1)} s)`,
    );
    const forms = new FormRegistry(database.db);
    const catalog = reportCatalog(await forms.allOf('lending'));
    // The template's reports as the server stores them, run as the demo manager (all rows of
    // every form, nothing unmasked: the role the dashboard is for).
    const store = new ReportStore(database.db, forms);
    const widgets: { key: string; report: PreparedReport; baseline: Baseline }[] = [];
    for (const stored of await store.listReports('lending')) {
      const baseline = TEMPLATE_BASELINES[stored.key];
      if (!baseline) throw new Error(`no baseline for the template report ${stored.key}`);
      widgets.push({
        key: stored.key,
        report: await store.prepared('lending', stored.key),
        baseline,
      });
    }
    widgets.push({
      key: FUNNEL_BY_MONTH.key,
      report: prepareReport(FUNNEL_BY_MONTH.definition, catalog),
      baseline: FUNNEL_BY_MONTH.baseline,
    });
    const manager = await database.db
      .selectFrom('joinery.users')
      .select(['id', 'username', 'display_name'])
      .where('username', '=', 'manager1')
      .executeTakeFirstOrThrow();
    const viewer = await loadViewer(
      database.db,
      {
        userId: manager.id,
        username: manager.username,
        displayName: manager.display_name,
        locale: 'zh-CN',
        isAdmin: false,
        mustChangePassword: false,
        via: 'session',
      },
      new SystemClock(480),
    );
    const client = await database.pool.connect();
    let slowest = 0;
    try {
      // One session for both statements: the app schema and the JIT setting the server's
      // reports run with (see run-report-query.ts). The server's whole path (its transaction's
      // round trips included) is timed apart, in the last column.
      await client.query('SET search_path TO app_lending');
      await client.query('SET jit = off');
      console.log(
        `${cpus().length} cores, node ${process.version}; ${WARMUP} warm-up + ${RUNS} alternating runs each, median\n`,
      );
      console.log('widget                 joinery ms  baseline ms  ratio  server path ms');
      for (const { key, report, baseline: widget } of widgets) {
        const build = () =>
          buildReportQuery(report, {
            access: reportAccess(viewer, 'lending', report),
            context: { user: viewer.user, utcOffsetMinutes: 480 },
          }).compiled;
        const joinery = async () => {
          const compiled = build();
          const result = await client.query<unknown[]>({
            text: compiled.sql,
            values: [...compiled.parameters],
            rowMode: 'array',
          });
          return result.rows;
        };
        // The server's whole path: a read-only transaction with its settings, the statement.
        const serverPath = () => runReportQuery(database.db, 'lending', build(), 30_000);
        const baseline = async () =>
          (await client.query<unknown[]>({ text: widget.sql, rowMode: 'array' })).rows;
        const ours = normalise(await joinery());
        const theirs = normalise(await baseline());
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          console.error(
            `${key}: results differ\n joinery: ${ours.slice(0, 3).join(' ')}\n baseline: ${theirs.slice(0, 3).join(' ')} (${ours.length} vs ${theirs.length} rows)`,
          );
          process.exitCode = 1;
        }
        for (let i = 1; i < WARMUP; i++) {
          await joinery();
          await baseline();
        }
        const times = { joinery: [] as number[], baseline: [] as number[] };
        for (let i = 0; i < RUNS; i++) {
          // Alternate which goes first, so neither always runs on the other's warm cache.
          const order =
            i % 2 === 0 ? (['joinery', 'baseline'] as const) : (['baseline', 'joinery'] as const);
          for (const side of order) {
            const t0 = performance.now();
            await (side === 'joinery' ? joinery() : baseline());
            times[side].push(performance.now() - t0);
          }
        }
        const server: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          await serverPath();
          server.push(performance.now() - t0);
        }
        const ratio = median(times.joinery) / median(times.baseline);
        slowest = Math.max(slowest, ratio);
        console.log(
          `${key.padEnd(22)} ${median(times.joinery).toFixed(1).padStart(10)}  ${median(times.baseline).toFixed(1).padStart(11)}  ${ratio.toFixed(2).padStart(5)}  ${median(server).toFixed(1).padStart(14)}   ${widget.title}`,
        );
      }
    } finally {
      client.release();
    }
    console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(`report: joinery/baseline = ${slowest.toFixed(2)} (goal <= ${GOAL})`);
  } finally {
    await database.close();
  }
}

await main();
