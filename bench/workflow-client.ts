// The `workflow` benchmark's HTTP load generator, run as a child process of the benchmark (not a
// benchmark itself: no `.bench.ts`). It approves every task of the instances it is sent through
// `POST /api/workflow/tasks/:id/actions`, `concurrency` instances at a time, and answers the
// elapsed milliseconds. A load generator belongs outside the server under test: in the server's
// own process its HTTP client's CPU (fetch, request and response streams) was charged to Joinery.
import { randomUUID } from 'node:crypto';

/** A task open after a step, as the API answers it. */
export interface OpenTask {
  readonly id: string;
  readonly assignees: string[];
}

/** Where the server is, and the API token of each user id. */
export interface ClientSetup {
  readonly address: string;
  readonly tokenOf: Record<string, string>;
}

/** One measured batch: the open tasks of each instance, each driven to its end. */
export interface Batch {
  readonly setup: ClientSetup;
  readonly instances: OpenTask[][];
  readonly concurrency: number;
}

/** Runs `work` for each item with `concurrency` workers; returns the elapsed milliseconds. */
export async function timed<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
  return performance.now() - started;
}

/** Approves the first open task until none is left, each with a fresh Idempotency-Key. */
async function drive({ address, tokenOf }: ClientSetup, first: OpenTask[]) {
  let open = first;
  while (open.length > 0) {
    const task = open[0] as OpenTask;
    const response = await fetch(`${address}/api/workflow/tasks/${task.id}/actions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenOf[task.assignees[0] ?? ''] ?? ''}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ action: 'approve', comment: 'ok' }),
    });
    const json = (await response.json()) as { openTasks: OpenTask[] };
    if (response.status >= 300) throw new Error(`approve ${task.id}: ${JSON.stringify(json)}`);
    open = json.openTasks;
  }
}

// Started by the benchmark with an IPC channel: serve its batches.
const send = process.send?.bind(process);
if (send !== undefined) {
  process.on('message', async ({ setup, instances, concurrency }: Batch) => {
    try {
      send({ ms: await timed(instances, concurrency, (open) => drive(setup, open)) });
    } catch (error) {
      send({ error: String(error) });
    }
  });
}
