import { type QueryExecutorProvider, sql } from 'kysely';

/** A job to put on the queue in the caller's transaction. */
export interface JobSpec {
  /** The task that runs it (a name registered with the job worker). */
  readonly task: string;
  readonly payload: unknown;
  /** Unique key: enqueuing the same key again replaces the waiting job instead of adding one. */
  readonly key: string;
  /** When to run it; omitted: as soon as a worker is free (database time). */
  readonly runAt?: Date | string;
  /** Attempts before the job is given up (graphile-worker retries with exponential backoff). */
  readonly maxAttempts: number;
}

/**
 * Enqueues a job **in the caller's transaction** (graphile-worker's `add_job`): the job exists
 * exactly when the state change that caused it commits, so a crash can neither lose it nor run
 * it for a change that never happened.
 */
export async function enqueueJob(trx: QueryExecutorProvider, job: JobSpec) {
  const runAt = job.runAt instanceof Date ? job.runAt.toISOString() : (job.runAt ?? null);
  // graphile-worker's public SQL API; every value is a bound parameter.
  await sql`SELECT graphile_worker.add_job(
      ${job.task}::text,
      payload => ${JSON.stringify(job.payload)}::json,
      run_at => ${runAt}::timestamptz,
      max_attempts => ${job.maxAttempts}::int,
      job_key => ${job.key}::text
    )`.execute(trx);
}

/**
 * Removes a waiting job by key, in the caller's transaction. A job already running is left to
 * finish (its handler must tolerate firing late — workflow timers are ignored by the engine once
 * their task has closed).
 */
export async function removeJob(trx: QueryExecutorProvider, key: string) {
  await sql`SELECT graphile_worker.remove_job(${key}::text)`.execute(trx);
}
