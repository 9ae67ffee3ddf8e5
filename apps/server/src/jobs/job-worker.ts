import { EventEmitter } from 'node:events';
import {
  Logger as GraphileLogger,
  type LogLevel,
  type Runner,
  run,
  runMigrations,
  type Task,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import type { QueryExecutorProvider } from 'kysely';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import { WorkerLiveness } from './worker-liveness.ts';

/** A job handler: gets the payload it was enqueued with; throwing makes the queue retry it. */
export type JobHandler = (
  payload: unknown,
  attempt: { number: number; last: boolean },
) => Promise<void>;

/** The running job worker of this process. */
export interface JobWorker {
  /** Stops taking jobs and waits for those running. */
  stop(): Promise<void>;
  /**
   * Test clock only: runs now every job due by `until` (an instant ahead of real time), round
   * after round, until none is left — including those the processed ones enqueued. Returns how
   * many jobs were started.
   */
  runDueJobs(until: Date): Promise<number>;
  /** Releases the jobs of workers whose process died (also done at start and every minute). */
  releaseDeadWorkers(): Promise<number>;
}

/** Creates graphile-worker's schema (`graphile_worker`) or brings it up to date. */
export async function migrateJobQueue(pool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: quietLogger(undefined) });
}

/**
 * Starts graphile-worker on the server's pool with the given handlers. Jobs are shared among all
 * Joinery processes on the database (SKIP LOCKED), retried with exponential backoff up to each
 * job's `max_attempts`.
 */
export async function startJobWorker(options: {
  readonly pool: pg.Pool;
  readonly db: QueryExecutorProvider;
  readonly logger: Logger;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly concurrency: number;
  readonly pollInterval?: number;
}): Promise<JobWorker> {
  const { pool, db, logger } = options;
  await migrateJobQueue(pool);
  const taskList: TaskList = {};
  for (const [name, handler] of Object.entries(options.handlers)) {
    const task: Task = async (payload, helpers) => {
      const number = helpers.job.attempts;
      await handler(payload, { number, last: number >= helpers.job.max_attempts });
    };
    taskList[name] = task;
  }
  // Jobs locked by workers of a process that died are released now, not in four hours.
  const liveness = await WorkerLiveness.open(pool);
  const released = await liveness.releaseDeadWorkers();
  if (released > 0) logger.warn({ workers: released }, 'released jobs of dead job workers');
  const events: WorkerEvents = new EventEmitter();
  const holding: Promise<void>[] = [];
  events.on('worker:create', ({ worker }) => {
    holding.push(liveness.hold(worker.workerId));
  });
  const runner: Runner = await run({
    pgPool: pool,
    taskList,
    concurrency: options.concurrency,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2000,
    logger: quietLogger(logger),
    events,
  });
  await Promise.all(holding);
  const sweep = setInterval(() => {
    liveness
      .releaseDeadWorkers()
      .then((n) => {
        if (n > 0) logger.warn({ workers: n }, 'released jobs of dead job workers');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'job lock sweep failed'));
  }, 60_000);
  sweep.unref();
  const names = Object.keys(options.handlers);
  return {
    stop: async () => {
      clearInterval(sweep);
      await runner.stop();
      liveness.close();
    },
    runDueJobs: (until) => runDueJobs(db, names, until),
    releaseDeadWorkers: () => liveness.releaseDeadWorkers(),
  };
}

const MAX_ROUNDS = 50;
const ROUND_TIMEOUT_MS = 20_000;

async function runDueJobs(db: QueryExecutorProvider, tasks: readonly string[], until: Date) {
  let started = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // graphile-worker's public view and functions; all values are bound parameters.
    const due = await sql<{ id: string }>`
      SELECT id::text AS id FROM graphile_worker.jobs
      WHERE task_identifier = ANY(${tasks}::text[]) AND run_at <= ${until.toISOString()}::timestamptz
        AND attempts < max_attempts AND locked_at IS NULL`.execute(db);
    if (due.rows.length === 0) return started;
    const ids = due.rows.map((r) => r.id);
    started += ids.length;
    await sql`SELECT count(*) FROM graphile_worker.reschedule_jobs(${ids}::bigint[], run_at => now())`.execute(
      db,
    );
    await sql`SELECT pg_notify('jobs:insert', ${JSON.stringify({ count: ids.length })})`.execute(
      db,
    );
    const deadline = Date.now() + ROUND_TIMEOUT_MS;
    for (;;) {
      // Done when each job is gone (completed), or failed and waits for its retry.
      const pending = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM graphile_worker.jobs
        WHERE id = ANY(${ids}::bigint[]) AND attempts < max_attempts
          AND (locked_at IS NOT NULL OR run_at <= now())`.execute(db);
      if ((pending.rows[0]?.n ?? 0) === 0) break;
      if (Date.now() > deadline) throw new Error('due jobs did not finish in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return started;
}

/** graphile-worker's log lines, sent to pino (info and above only). */
function quietLogger(logger: Logger | undefined): GraphileLogger {
  return new GraphileLogger(() => (level: LogLevel, message: string, meta?: unknown) => {
    if (!logger) return;
    if (level === 'error') logger.error({ meta }, message);
    else if (level === 'warning') logger.warn({ meta }, message);
    else if (level === 'info') logger.debug({ meta }, message);
  });
}
