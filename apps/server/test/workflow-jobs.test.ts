import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../src/jobs/job-queue.ts';
import { WorkflowKit } from './workflow-kit.ts';

// Jobs locked by a job worker whose process died (SIGKILL) are released at once, not after
// graphile-worker's four-hour stale-lock timeout; jobs of live workers elsewhere are left alone.

let k: WorkflowKit;
beforeAll(async () => {
  k = await WorkflowKit.create({ worker: true });
});
afterAll(() => k.close());

async function lockedBy(key: string): Promise<string | null> {
  const result = await sql<{ locked_by: string | null }>`
    SELECT locked_by FROM graphile_worker.jobs WHERE key = ${key}`.execute(k.db);
  return result.rows[0]?.locked_by ?? null;
}

describe('job locks of dead workers', () => {
  it('releases the jobs of a dead worker and keeps those of a live one', async () => {
    const later = new Date(Date.now() + 86_400_000);
    for (const key of ['dead-job', 'live-job']) {
      await enqueueJob(k.db, {
        task: 'unknown_task',
        payload: {},
        key,
        runAt: later,
        maxAttempts: 3,
      });
    }
    // Another process's worker: it holds its liveness lock on its own connection.
    const database = (await sql<{ db: string }>`SELECT current_database() AS db`.execute(k.db))
      .rows[0]?.db;
    const url = new URL(process.env.DATABASE_URL ?? '');
    url.pathname = `/${database}`;
    const other = new pg.Client({ connectionString: url.toString() });
    await other.connect();
    await other.query("SELECT pg_advisory_lock(hashtext('joinery-job-worker:worker-alive'))");
    // graphile-worker's own lock columns, set as its get_job would.
    await sql`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'worker-dead'
        WHERE key = 'dead-job'`.execute(k.db);
    await sql`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'worker-alive'
        WHERE key = 'live-job'`.execute(k.db);
    expect(await k.services.worker?.releaseDeadWorkers()).toBe(1);
    expect(await lockedBy('dead-job')).toBeNull();
    expect(await lockedBy('live-job')).toBe('worker-alive');
    await other.end();
    expect(await k.services.worker?.releaseDeadWorkers()).toBe(1);
    expect(await lockedBy('live-job')).toBeNull();
  });
});
