import { parentPort, workerData } from 'node:worker_threads';
import {
  type BlockFix,
  blockSummary,
  DEMO_TABLES,
  type DemoOptions,
  type DemoRow,
  demoBlock,
  LENDING_APP_KEY,
  settleBlock,
} from '@joinery/lending-crm';
import { loadFieldCipher } from '../access/keyring-loader.ts';
import { loadConfig } from '../config/config.ts';
import { connectTo } from '../database/connect.ts';
import { createLogger } from '../logger.ts';
import { FormRegistry } from '../metadata/form-registry.ts';
import { SeedBatch } from './seed-batch.ts';
import { SeedTable } from './seed-table.ts';
import type { FromWorker, ToWorker, WorkerInit } from './seed-workers.ts';
import { candidateOf } from './seed-workflows.ts';

/**
 * A worker thread of the seed: generates blocks of customers when asked (`generate`, answering
 * their summary), then, once the main thread has settled a block against those before it
 * (`settle`), encodes its rows as COPY text with their history, as `SeedBatch` does on the main
 * thread. The published forms are read once, with the cipher of this process's configuration —
 * the same keys as the main thread's.
 */
const port = parentPort;
if (port === null) throw new Error('seed-worker.ts runs as a worker thread');
const init = workerData as WorkerInit;
const post = (message: FromWorker) => port.postMessage(message);

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const cipher = loadFieldCipher(config, logger);
  const database = await connectTo(init.url, logger, async () => {});
  let tables: Map<(typeof DEMO_TABLES)[number], SeedTable>;
  try {
    const forms = await new FormRegistry(database.db, { cipher }).allOf(LENDING_APP_KEY);
    tables = new Map(DEMO_TABLES.map((name) => [name, SeedTable.of(forms, name)]));
  } finally {
    await database.close();
  }
  const options: DemoOptions = init.options;
  const generated = new Map<number, DemoRow[]>();
  port.on('message', (message: ToWorker) => {
    try {
      if (message.kind === 'generate') {
        const rows = demoBlock(options, message.block);
        generated.set(message.block, rows);
        post({ kind: 'summary', block: message.block, summary: blockSummary(rows) });
        return;
      }
      post(encoded(message.block, message.fix));
    } catch (error) {
      post({ kind: 'error', message: (error as Error).stack ?? String(error) });
    }
  });
  const encoded = (block: number, fix: BlockFix): FromWorker => {
    const rows = generated.get(block);
    if (rows === undefined) throw new Error(`block ${block} was not generated here`);
    generated.delete(block);
    settleBlock(rows, fix);
    const batch = new SeedBatch(tables, init.loadStarted);
    const candidates = [];
    for (const { table, row } of rows) {
      batch.add(table, row);
      const candidate = table === 'loan_application' ? candidateOf(row) : null;
      if (candidate) candidates.push(candidate);
    }
    return {
      kind: 'batch',
      block,
      chunks: batch.chunks(DEMO_TABLES),
      counts: batch.counts(),
      rows: batch.rows,
      candidates,
    };
  };
  post({ kind: 'ready' });
} catch (error) {
  post({ kind: 'error', message: (error as Error).stack ?? String(error) });
}
