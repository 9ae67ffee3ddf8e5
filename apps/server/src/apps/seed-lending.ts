import { serialCounterScope } from '@joinery/forms';
import {
  BLOCK_CUSTOMERS,
  DEMO_SIZES,
  DEMO_TABLES,
  type DemoOptions,
  DemoSequence,
  type DemoSize,
  demoBlockCount,
  demoHeadRows,
  LENDING_APP_DIR,
  LENDING_APP_KEY,
  serialUses,
} from '@joinery/lending-crm';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import type { FieldCipher } from '../access/field-cipher.ts';
import { loadFieldCipher } from '../access/keyring-loader.ts';
import { type Config, loadConfig } from '../config/config.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { createLogger } from '../logger.ts';
import { FormRegistry } from '../metadata/form-registry.ts';
import { loadAppPackage } from './app-package-service.ts';
import { CopyQueue } from './copy-queue.ts';
import { DeferredIndexes } from './deferred-indexes.ts';
import { ensureDemoStaff } from './demo-staff.ts';
import { type ImportOutcome, importApp } from './import-app.ts';
import { SeedBatch } from './seed-batch.ts';
import type { SeedEvent } from './seed-progress.ts';
import { SeedTable } from './seed-table.ts';
import { DEFAULT_SEED_WORKERS, SeedWorkers } from './seed-workers.ts';
import { ApprovalCandidates, seedApprovals, seedNow } from './seed-workflows.ts';

/** What to seed. */
export interface SeedOptions {
  readonly size: DemoSize;
  readonly seed: number;
  /** The "today" of the data; the current UTC date when absent. */
  readonly asOf?: string;
  /** Worker threads generating the rows (one per core when absent); the rows are the same. */
  readonly workers?: number;
  /** Told after each batch of customers, and of each step after the rows. */
  readonly progress?: (event: SeedEvent) => void;
}

/** What seeding did. */
export interface SeedOutcome {
  readonly template: ImportOutcome;
  /** False when the app already had customers (nothing was added). */
  readonly seeded: boolean;
  /**
   * Rows per table, the record history as `record_history`, approval workflows started as
   * `workflow_instances`.
   */
  readonly rows: Readonly<Record<string, number>>;
}

const SERIAL_FIELDS = {
  loan_application: { field: 'a01', pattern: 'LA-{YYYYMMDD}-{counter:4}' },
  contract: { field: 'k01', pattern: 'HT-{YYYYMMDD}-{counter:4}' },
} as const;

/** Batches of COPY text that may wait while the next one is generated (memory bound). */
const QUEUED_BATCHES = 2;

/**
 * `joinery seed lending`: installs the template through the app-package path (a no-op when it
 * is current), creates the demo users, then streams the generator's rows into the app's tables
 * with `COPY … FROM STDIN` in ONE transaction, a block of 1,000 customers at a time. Worker
 * threads generate and encode the blocks (`SeedWorkers`, one per core) while the main thread
 * feeds Postgres in block order. The tables' indexes and keys are dropped for the load and built
 * again at its end (`DeferredIndexes`); rows are written as the records API would store them —
 * sensitive fields sealed with the configured keys, a `create` history entry per record — and the
 * serial-number counters move past the numbers used. After the commit, the applications whose
 * approval is under way (in review, returned, approved, signed; the most recent of each stage,
 * see `MAX_SEEDED_APPROVALS`) get their approval workflow through the workflow runtime
 * (`seedApprovals`), so inboxes and dashboards show them. An app that already has customers is
 * left alone.
 */
export async function seedLending(
  database: { readonly db: Kysely<JoineryDatabase>; readonly pool: pg.Pool },
  options: SeedOptions,
): Promise<SeedOutcome> {
  const { db, pool } = database;
  // The demo admin publishes the template when nobody else can; roles are given after import.
  await ensureDemoStaff(db);
  const template = await importApp(db, await loadAppPackage(LENDING_APP_DIR));
  const existing = await sql<{ n: number }>`
    select count(*)::int as n from app_lending.customer`.execute(db);
  if ((existing.rows[0]?.n ?? 0) > 0) return { template, seeded: false, rows: {} };
  const staff = await ensureDemoStaff(db);
  const config = loadConfig();
  // The workers load the same keys from the same configuration (the key file exists by now).
  const cipher = configuredCipher(config);
  const forms = await new FormRegistry(db, { cipher }).allOf(LENDING_APP_KEY);
  const tables = new Map(DEMO_TABLES.map((name) => [name, SeedTable.of(forms, name)]));
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const demo: DemoOptions = { size: options.size, seed: options.seed, asOf, staff };
  const total = DEMO_SIZES[options.size].customers;
  const sequence = new DemoSequence();
  const counts: Record<string, number> = {};
  const count = (batch: Readonly<Record<string, number>>) => {
    for (const [table, n] of Object.entries(batch)) counts[table] = (counts[table] ?? 0) + n;
  };
  const approvals = new ApprovalCandidates();
  const report = options.progress ?? (() => undefined);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    const deferred = await DeferredIndexes.drop(
      client,
      [...tables.values()].map((table) => table.qualified),
    );
    const queue = new CopyQueue(client, QUEUED_BATCHES);
    const loadStarted = new Date().toISOString();
    report({ kind: 'step', message: `loading ${total.toLocaleString('en')} customers` });
    const head = new SeedBatch(tables, loadStarted);
    for (const { table, row } of demoHeadRows(demo)) head.add(table, row);
    let rows = head.rows;
    count(head.counts());
    await queue.push(head.chunks(DEMO_TABLES));
    const blocks = demoBlockCount(options.size);
    const workers = await SeedWorkers.start(
      Math.min(options.workers ?? DEFAULT_SEED_WORKERS, blocks),
      { url: connectionString(pool), options: demo, loadStarted },
      blocks,
      sequence,
    );
    try {
      for await (const batch of workers.batches()) {
        rows += batch.rows;
        count(batch.counts);
        for (const candidate of batch.candidates) approvals.add(candidate);
        await queue.push(batch.chunks);
        const customers = Math.min(total, (batch.block + 1) * BLOCK_CUSTOMERS);
        report({ kind: 'rows', customers, total, rows });
      }
    } finally {
      await workers.close();
    }
    await queue.drain();
    report({ kind: 'step', message: 'building indexes and checking references' });
    await deferred.restore(client);
    await moveSerialCounters(client, serialUses(sequence.serials));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  report({ kind: 'step', message: 'analysing tables' });
  for (const table of tables.values())
    await sql`analyze ${sql.id(table.form.table.schema, table.name)}`.execute(db);
  const seeding = approvals.list().length;
  report({
    kind: 'step',
    message: `running the approval workflow of ${seeding.toLocaleString('en')} applications under way`,
  });
  const seeded = await seedApprovals(db, { config, cipher }, approvals, seedNow(asOf));
  if (seeded.skipped > 0) {
    report({
      kind: 'step',
      message: `${seeded.skipped.toLocaleString('en')} older applications under way have no workflow`,
    });
  }
  counts.workflow_instances = seeded.instances;
  return { template, seeded: true, rows: counts };
}

/** The URL the pool connects to, for the worker threads. */
function connectionString(pool: pg.Pool): string {
  const url = (pool as pg.Pool & { options: { connectionString?: string } }).options
    .connectionString;
  if (!url) throw new Error('the seed needs a pool opened from a connection URL');
  return url;
}

/** The cipher the server uses, from the configuration of this process. */
function configuredCipher(config: Config): FieldCipher {
  return loadFieldCipher(config, createLogger(config.logLevel));
}

async function moveSerialCounters(
  client: pg.PoolClient,
  uses: ReturnType<typeof serialUses>,
): Promise<void> {
  const forms = await client.query<{ id: string; key: string }>(
    `select f.id, f.key from joinery.forms f join joinery.apps a on a.id = f.app_id
     where a.key = $1`,
    [LENDING_APP_KEY],
  );
  const formIds = new Map(forms.rows.map((row) => [row.key, row.id]));
  const rows = uses.map((use) => {
    const spec = SERIAL_FIELDS[use.form];
    return [
      formIds.get(use.form),
      spec.field,
      serialCounterScope(spec.pattern, use.date),
      use.count,
    ];
  });
  if (rows.length === 0) return;
  await client.query(
    `insert into joinery.serial_counters (form_id, field_id, scope, value)
     select * from unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[])
     on conflict (form_id, field_id, scope)
     do update set value = greatest(joinery.serial_counters.value, excluded.value)`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
}
