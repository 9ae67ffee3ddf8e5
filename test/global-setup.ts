import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmbeddedPostgres, startEmbeddedPostgres } from '@joinery/postgres';

let embedded: RunningEmbeddedPostgres | undefined;
let dataDir: string | undefined;

/**
 * Gives every test worker a PostgreSQL server: the one in DATABASE_URL, or else an embedded
 * server in a temporary directory for this run only. Workers inherit the variable.
 */
export async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  dataDir = await mkdtemp(join(tmpdir(), 'joinery-test-pg-'));
  embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
  process.env.DATABASE_URL = embedded.url;
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
