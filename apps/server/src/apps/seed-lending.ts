import { setImmediate as yieldToIo } from 'node:timers/promises';
import { serialCounterScope } from '@joinery/forms';
import {
  DEMO_SIZES,
  DEMO_TABLES,
  type DemoSize,
  LENDING_APP_DIR,
  LENDING_APP_KEY,
  lendingDemoRows,
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
import { ApprovalCandidates, MAX_SEEDED_APPROVALS, seedApprovals } from './seed-workflows.ts';

/** What to seed. */
export interface SeedOptions {
  readonly size: DemoSize;
  readonly seed: number;
  /** The "today" of the data; the current UTC date when absent. */
  readonly asOf?: string;
  /**
   * Seals the sensitive fields; when absent, the cipher of the configured keys
   * (`JOINERY_ENCRYPTION_KEY` or the key file), as the server loads it.
   */
  readonly cipher?: FieldCipher;
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
/** Rows generated between two yields to the event loop, so queued COPY data keeps flowing. */
const ROWS_PER_YIELD = 2_000;

/**
 * `joinery seed lending`: installs the template through the app-package path (a no-op when it
 * is current), creates the demo users, then streams the generator's rows into the app's tables
 * with `COPY … FROM STDIN` in ONE transaction, a batch of 1,000 customers at a time, generating
 * the next batch while Postgres ingests the last. The tables' indexes and keys are dropped for
 * the load and built again at its end (`DeferredIndexes`); rows are written as the records API
 * would store them — sensitive fields sealed, a `create` history entry per record — and the
 * serial-number counters move past the numbers used. After the commit, the applications under
 * review or returned (the most recent {@link MAX_SEEDED_APPROVALS}) get their approval workflow
 * through the workflow runtime (`seedApprovals`), so reviewers find them in their inboxes. An
 * app that already has customers is left alone.
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
  const cipher = options.cipher ?? configuredCipher(config);
  const forms = await new FormRegistry(db, { cipher }).allOf(LENDING_APP_KEY);
  const tables = new Map(DEMO_TABLES.map((name) => [name, SeedTable.of(forms, name)]));
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const total = DEMO_SIZES[options.size].customers;
  const serials = new Map<string, number>();
  const counts: Record<string, number> = {};
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
    let batch = new SeedBatch(tables, loadStarted);
    let rows = 0;
    let sinceYield = 0;
    report({ kind: 'step', message: `loading ${total.toLocaleString('en')} customers` });
    for (const item of lendingDemoRows(
      { size: options.size, seed: options.seed, asOf, staff },
      serials,
    )) {
      if ('flush' in item) {
        rows += batch.rows;
        for (const [table, n] of Object.entries(batch.counts()))
          counts[table] = (counts[table] ?? 0) + n;
        await queue.push(batch.chunks(DEMO_TABLES));
        batch = new SeedBatch(tables, loadStarted);
        report({ kind: 'rows', customers: item.customers, total, rows });
        continue;
      }
      batch.add(item.table, item.row);
      if (item.table === 'loan_application') approvals.add(item.row);
      if (++sinceYield >= ROWS_PER_YIELD) {
        sinceYield = 0;
        await yieldToIo();
      }
    }
    await queue.drain();
    report({ kind: 'step', message: 'building indexes and checking references' });
    await deferred.restore(client);
    await moveSerialCounters(client, serialUses(serials));
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
  report({
    kind: 'step',
    message: `starting the approval workflow of ${Math.min(approvals.seen, MAX_SEEDED_APPROVALS).toLocaleString('en')} applications under review`,
  });
  const seeded = await seedApprovals(db, { config, cipher }, approvals, asOf);
  if (seeded.skipped > 0) {
    report({
      kind: 'step',
      message: `${seeded.skipped.toLocaleString('en')} older applications under review have no workflow (at most ${MAX_SEEDED_APPROVALS.toLocaleString('en')})`,
    });
  }
  counts.workflow_instances = seeded.instances;
  return { template, seeded: true, rows: counts };
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
