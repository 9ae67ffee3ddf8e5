// The `workflow` benchmark's HTTP load generator, run as a child process of the benchmark (not a
// benchmark itself: no `.bench.ts`). It approves every task of the instances it is sent through
// `POST /api/workflow/tasks/:id/actions`, `concurrency` instances at a time, and answers the
// elapsed milliseconds. A load generator belongs outside the server under test: in the server's
// own process its HTTP client's CPU (fetch, request and response streams) was charged to Joinery.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

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

/** Keep-alive connections to the server, one per concurrent client at most. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs `body` as JSON with `headers`; the status and the parsed answer. */
function post(url: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const sent = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

/**
 * Approves the first open task until none is left, each with a fresh Idempotency-Key. Through
 * `node:http` with keep-alive: a lighter client than `fetch`, so the machine's two cores go to
 * the server and the database rather than to the load generator.
 */
async function drive({ address, tokenOf }: ClientSetup, first: OpenTask[]) {
  let open = first;
  while (open.length > 0) {
    const task = open[0] as OpenTask;
    const { status, json } = await post(
      `${address}/api/workflow/tasks/${task.id}/actions`,
      {
        authorization: `Bearer ${tokenOf[task.assignees[0] ?? ''] ?? ''}`,
        'idempotency-key': randomUUID(),
      },
      JSON.stringify({ action: 'approve', comment: 'ok' }),
    );
    if (status >= 300) throw new Error(`approve ${task.id}: ${JSON.stringify(json)}`);
    open = (json as { openTasks: OpenTask[] }).openTasks;
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
