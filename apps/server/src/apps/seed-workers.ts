import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BlockFix, BlockSummary, DemoOptions, DemoSequence } from '@joinery/lending-crm';
import type { CopyChunk } from './copy-queue.ts';
import type { ApprovalCandidate } from './seed-workflows.ts';

/** What a worker thread starts from. */
export interface WorkerInit {
  /** The database, to read the app's published forms. */
  readonly url: string;
  readonly options: DemoOptions;
  /** The creation time of rows the generator gives none (see `SeedBatch`). */
  readonly loadStarted: string;
}

/** A block of customers, encoded: its COPY statements and what the seed counts of it. */
export interface WorkerBatch {
  readonly block: number;
  readonly chunks: CopyChunk[];
  readonly counts: Record<string, number>;
  readonly rows: number;
  readonly candidates: ApprovalCandidate[];
}

/** Messages to a worker. */
export type ToWorker =
  | { readonly kind: 'generate'; readonly block: number }
  | { readonly kind: 'settle'; readonly block: number; readonly fix: BlockFix };

/** Messages from a worker. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'summary'; readonly block: number; readonly summary: BlockSummary }
  | ({ readonly kind: 'batch' } & WorkerBatch)
  | { readonly kind: 'error'; readonly message: string };

/** Worker threads by default: one per core the process may use. */
export const DEFAULT_SEED_WORKERS = availableParallelism();

const ENTRY = new URL('./seed-worker.mjs', import.meta.url);

/**
 * The blocks of customers of a seed, generated and encoded on worker threads (block `b` on
 * worker `b mod n`) and handed out in block order. Each block is drawn from its own seed; the
 * main thread settles each one's serial and ID numbers against the blocks before it (`sequence`),
 * in order, as soon as its summary is in — so the rows are the same for any number of workers.
 * At most two blocks per worker are under way beyond the one the caller waits for (memory bound).
 */
export class SeedWorkers {
  readonly #summaries = new Map<number, BlockSummary>();
  readonly #batches = new Map<number, WorkerBatch>();
  #failure: Error | null = null;
  #wake: () => void = () => undefined;
  #generated = 0;
  #settled = 0;
  #handedOut = 0;

  private constructor(
    private readonly workers: readonly Worker[],
    private readonly blocks: number,
    private readonly sequence: DemoSequence,
  ) {}

  /** Starts `count` workers and waits until each has read the forms. */
  static async start(
    count: number,
    init: WorkerInit,
    blocks: number,
    sequence: DemoSequence,
  ): Promise<SeedWorkers> {
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const worker = new Worker(ENTRY, { workerData: init });
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('error', reject);
          worker.once('message', (message: FromWorker) =>
            message.kind === 'ready' ? resolve() : reject(failureOf(message)),
          );
        }),
      );
    }
    const pool = new SeedWorkers(workers, blocks, sequence);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    for (const worker of workers) {
      worker.on('message', (message: FromWorker) => pool.#received(message));
      worker.on('error', (error) => pool.#fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) pool.#fail(new Error(`a seed worker stopped with code ${code}`));
      });
    }
    return pool;
  }

  /** The encoded blocks, in block order. */
  async *batches(): AsyncGenerator<WorkerBatch> {
    this.#dispatch();
    while (this.#handedOut < this.blocks) {
      const batch = this.#batches.get(this.#handedOut);
      if (batch === undefined) {
        if (this.#failure) throw this.#failure;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        continue;
      }
      this.#batches.delete(this.#handedOut++);
      this.#dispatch();
      yield batch;
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  #workerOf(block: number): Worker {
    return this.workers[block % this.workers.length] as Worker;
  }

  #dispatch(): void {
    const limit = Math.min(this.blocks, this.#handedOut + 1 + 2 * this.workers.length);
    while (this.#generated < limit) {
      const block = this.#generated++;
      this.#workerOf(block).postMessage({ kind: 'generate', block } satisfies ToWorker);
    }
  }

  #received(message: FromWorker): void {
    if (message.kind === 'summary') {
      this.#summaries.set(message.block, message.summary);
      for (let next = this.#summaries.get(this.#settled); next; ) {
        const block = this.#settled++;
        this.#summaries.delete(block);
        const fix = this.sequence.settle(next);
        this.#workerOf(block).postMessage({ kind: 'settle', block, fix } satisfies ToWorker);
        next = this.#summaries.get(this.#settled);
      }
      return;
    }
    if (message.kind === 'batch') {
      const { kind: _, ...batch } = message;
      this.#batches.set(batch.block, batch);
      this.#wake();
      return;
    }
    if (message.kind === 'error') this.#fail(failureOf(message));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wake();
  }
}

function failureOf(message: FromWorker): Error {
  return new Error(message.kind === 'error' ? `seed worker: ${message.message}` : 'seed worker');
}
