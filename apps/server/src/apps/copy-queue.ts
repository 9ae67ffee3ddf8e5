import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** One `COPY … FROM STDIN` to run: the statement (identifiers already checked) and its text. */
export interface CopyChunk {
  readonly statement: string;
  readonly text: string;
}

/**
 * Runs COPY statements on one connection, in order, while the caller goes on producing the next
 * ones: `push` returns at once while at most `limit` chunks wait, and otherwise waits for the
 * oldest to finish — so generating rows in JavaScript and ingesting them in Postgres overlap, and
 * memory holds `limit` chunks at most (back-pressure). The first failure stops the queue: every
 * later chunk is skipped and the next `push` or `drain` throws it.
 */
export class CopyQueue {
  readonly #client: pg.PoolClient;
  readonly #limit: number;
  readonly #waiting: Promise<void>[] = [];
  #tail: Promise<void> = Promise.resolve();

  constructor(client: pg.PoolClient, limit: number) {
    this.#client = client;
    this.#limit = limit;
  }

  /** Queues the chunks (one batch) to run after those already queued. */
  async push(chunks: readonly CopyChunk[]): Promise<void> {
    const run = this.#tail.then(async () => {
      for (const chunk of chunks) await this.#copy(chunk);
    });
    // Marked handled here; the error still reaches whoever awaits `run` (push or drain).
    run.catch(() => undefined);
    this.#tail = run;
    this.#waiting.push(run);
    while (this.#waiting.length > this.#limit) await this.#waiting.shift();
  }

  /** Waits for every queued chunk; throws the first failure. */
  async drain(): Promise<void> {
    await this.#tail;
    this.#waiting.length = 0;
  }

  #copy(chunk: CopyChunk): Promise<void> {
    return copyIn(this.#client, chunk);
  }
}

/**
 * Runs one `COPY … FROM STDIN` on `client` (inside whatever transaction it is in) with the whole
 * text as its data; settles when Postgres has taken every row, or refused the COPY.
 */
export function copyIn(client: pg.PoolClient, chunk: CopyChunk): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(chunk.statement));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(chunk.text);
  });
}
