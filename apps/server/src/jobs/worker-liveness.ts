import type pg from 'pg';

/**
 * Who is alive among graphile-worker's workers, across processes, without a table: each process
 * holds a session advisory lock per worker id on one dedicated connection for as long as it runs.
 * When a process dies (SIGKILL, power loss), its connection and so its locks go away; the jobs
 * its workers had locked can then be released at once instead of after graphile-worker's
 * four-hour stale-lock timeout. A job released this way runs again — job handlers are
 * idempotent (workflow timers are ignored once stale).
 */
export class WorkerLiveness {
  readonly #own = new Set<string>();
  /** One query at a time on the dedicated connection. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly client: pg.PoolClient) {}

  /** Takes a dedicated connection from `pool` for this process's liveness locks. */
  static async open(pool: pg.Pool): Promise<WorkerLiveness> {
    return new WorkerLiveness(await pool.connect());
  }

  /** Marks `workerId` (of this process) alive until `close`. */
  async hold(workerId: string): Promise<void> {
    this.#own.add(workerId);
    await this.#serial(() =>
      this.client.query('SELECT pg_advisory_lock(hashtext($1))', [lockName(workerId)]),
    );
  }

  /**
   * Releases the jobs locked by workers whose process is gone (their liveness lock is free).
   * Returns how many workers were found dead.
   */
  releaseDeadWorkers(): Promise<number> {
    return this.#serial(() => this.#releaseDeadWorkers());
  }

  async #releaseDeadWorkers(): Promise<number> {
    const locked = await this.client.query<{ locked_by: string }>(
      'SELECT DISTINCT locked_by FROM graphile_worker.jobs WHERE locked_by IS NOT NULL',
    );
    const dead: string[] = [];
    for (const { locked_by: workerId } of locked.rows) {
      // Our own session holds our workers' locks; probing them would always succeed.
      if (this.#own.has(workerId)) continue;
      const probe = await this.client.query<{ free: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS free',
        [lockName(workerId)],
      );
      if (probe.rows[0]?.free) {
        dead.push(workerId);
        await this.client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName(workerId)]);
      }
    }
    if (dead.length > 0) {
      await this.client.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead]);
    }
    return dead.length;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Gives the connection back (its locks end with it). */
  close(): void {
    this.client.release(true);
  }
}

function lockName(workerId: string): string {
  return `joinery-job-worker:${workerId}`;
}
