import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, findFreePort, type TestDatabase } from '@joinery/postgres';
import { lendingApprovalDefinition } from '@joinery/workflow';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokenStore } from '../src/auth/api-token-store.ts';
import { connectTo, type Database } from '../src/database/connect.ts';

// The real server as a child process, SIGKILLed at random moments while instances are driven
// through the lending approval flow; clients retry with the same idempotency keys. After the
// last restart every instance must complete, with no task lost and none duplicated. CI drives
// a few dozen instances; WORKFLOW_CRASH_INSTANCES=200 WORKFLOW_CRASH_KILLS=20 is the full run.

const INSTANCES = Number(process.env.WORKFLOW_CRASH_INSTANCES ?? 30);
const KILLS = Number(process.env.WORKFLOW_CRASH_KILLS ?? 5);
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const label = (text: string) => ({ 'zh-CN': text, en: text });

let database: TestDatabase;
let db: Database;
let dataDir: string;
let port: number;
let child: ChildProcess | undefined;
let kills = 0;
/** Writes the clients have sent so far (record, start, approvals): the kills are timed by it. */
let progress = 0;
const restarts: number[] = [];
const tokens = new Map<string, string>();
let adminToken = '';

/** Starts `joinery start` and waits until it answers. */
async function startServer(): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', cli, 'start'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      JOINERY_ADMIN_PASSWORD: 'Admin-password-2026',
      JOINERY_DATA_DIR: dataDir,
      JOINERY_WEB_DIR: '/nonexistent-web-build',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child = proc;
  const until = Date.now() + 180_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (ready.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('server did not become ready');
    await sleep(100);
  }
}

/** SIGKILL: no shutdown hooks, connections cut mid-transaction. */
async function killServer(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
  kills += 1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One HTTP call, retried (same body, same idempotency key) until the server answers. */
async function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  key?: string,
): Promise<{ status: number; json: unknown }> {
  const giveUpAt = Date.now() + 300_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key === undefined ? {} : { 'idempotency-key': key }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
      const json = await response.json();
      if (response.status >= 500)
        throw new Error(`HTTP ${response.status}: ${JSON.stringify(json)}`);
      return { status: response.status, json };
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await sleep(100);
    }
  }
}

async function user(name: string, roles: string[], department: string | null): Promise<string> {
  const row = await db.db
    .insertInto('joinery.users')
    .values({ username: name, display_name: name, password_hash: 'x', department_id: department })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Every role may work on the lending records; the workflow decides who acts on which step.
  const permissions = JSON.stringify({
    apps: { lending: { forms: { '*': { actions: ['view', 'create', 'edit'], rows: 'all' } } } },
  });
  for (const role of roles) {
    await sql`INSERT INTO joinery.roles (key, name, permissions)
      VALUES (${role}, ${JSON.stringify(label(role))}::jsonb, ${permissions}::jsonb)
      ON CONFLICT (key) DO NOTHING`.execute(db.db);
    await sql`INSERT INTO joinery.user_roles (user_id, role_id)
      SELECT ${row.id}::uuid, id FROM joinery.roles WHERE key = ${role}`.execute(db.db);
  }
  tokens.set(row.id, (await new ApiTokenStore(db.db).issue(row.id, 'crash', null)).token);
  return row.id;
}

interface Task {
  id: string;
  nodeId: string;
  assignees: string[];
  claimedBy: string | null;
}

/** Drives one instance to its end, acting on whatever task is open, retrying through crashes. */
async function drive(index: number, sales: string): Promise<string> {
  const amount = [30_000, 120_000, 300_000][index % 3] ?? 30_000;
  progress += 1;
  const created = await call(
    'POST',
    '/api/apps/lending/forms/loan_application/records',
    tokens.get(sales) ?? '',
    { values: { amount: `${amount}.00`, grade: index % 2 ? 'A' : 'C', debt_to_income: 0.3 } },
    `record-${index}`,
  );
  const recordId = (created.json as { id: string }).id;
  progress += 1;
  const started = await call(
    'POST',
    '/api/workflow/instances',
    tokens.get(sales) ?? '',
    { app: 'lending', form: 'loan_application', recordId },
    `start-${index}`,
  );
  expect(started.status, JSON.stringify(started.json)).toBe(201);
  const instanceId = (started.json as { instanceId: string }).instanceId;
  for (let turn = 0; turn < 100; turn++) {
    const seen = await call('GET', `/api/workflow/instances/${instanceId}`, adminToken);
    const instance = seen.json as { status: string; openTasks: Task[] };
    if (instance.status === 'finished') return instanceId;
    await Promise.all(
      instance.openTasks.map(async (task) => {
        const actor = task.claimedBy ?? task.assignees[0] ?? '';
        progress += 1;
        const answer = await call(
          'POST',
          `/api/workflow/tasks/${task.id}/actions`,
          tokens.get(actor) ?? '',
          { action: 'approve', comment: `ok ${index}` },
          `approve-${task.id}`,
        );
        // 409: closed meanwhile (another branch finished the step) — the next turn sees why.
        if (answer.status !== 200 && answer.status !== 409) {
          throw new Error(
            `approve ${task.nodeId}: ${answer.status} ${JSON.stringify(answer.json)}`,
          );
        }
      }),
    );
  }
  throw new Error(`instance ${instanceId} did not finish`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'joinery-crash-'));
  port = await findFreePort();
  await startServer();
  db = await connectTo(database.url, pino({ level: 'silent' }), async () => {});
}, 120_000);

afterAll(async () => {
  await killServer();
  await db?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the workflow runtime under SIGKILL', () => {
  it(`completes ${INSTANCES} lending approvals with no task lost or duplicated across ${KILLS} kills`, async () => {
    const admin = await db.db
      .selectFrom('joinery.users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    adminToken = (await new ApiTokenStore(db.db).issue(admin.id, 'crash', null)).token;
    const hq = await db.db
      .insertInto('joinery.departments')
      .values({ name: 'hq' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sales = await user('sales', ['sales'], hq.id);
    for (const [role, count] of [
      ['reviewer', 3],
      ['risk', 1],
      ['compliance', 1],
      ['committee', 3],
      ['finance', 1],
    ] as const) {
      for (let i = 0; i < count; i++) await user(`${role}${i}`, [role], hq.id);
    }
    const ok = (r: { status: number; json: unknown }, status: number) =>
      expect(r.status, JSON.stringify(r.json)).toBe(status);
    ok(
      await call('POST', '/api/apps', adminToken, { key: 'lending', label: label('lending') }),
      201,
    );
    ok(
      await call('PUT', '/api/apps/lending/forms/loan_application/draft', adminToken, {
        key: 'loan_application',
        label: label('loan application'),
        fields: [
          { id: 'f1', key: 'amount', type: 'money', label: label('amount') },
          {
            id: 'f2',
            key: 'grade',
            type: 'select',
            label: label('grade'),
            config: { options: ['A', 'B', 'C', 'D'].map((v) => ({ value: v, label: label(v) })) },
          },
          { id: 'f3', key: 'debt_to_income', type: 'number', label: label('DTI') },
          { id: 'f4', key: 'credit_score', type: 'number', label: label('score') },
          { id: 'f5', key: 'purpose', type: 'text', label: label('purpose') },
          { id: 'f6', key: 'bank_account', type: 'text', label: label('account') },
          { id: 'f7', key: 'signed_on', type: 'date', label: label('signed') },
          { id: 'f8', key: 'disbursed_on', type: 'date', label: label('disbursed') },
        ],
      }),
      200,
    );
    ok(await call('POST', '/api/apps/lending/forms/loan_application/publish', adminToken), 200);
    // Form field keys are snake_case; the engine's lending fixture names fields in camelCase.
    const definition = JSON.parse(
      JSON.stringify(lendingApprovalDefinition('all'))
        .replaceAll('debtToIncome', 'debt_to_income')
        .replaceAll('creditScore', 'credit_score')
        .replaceAll('signedOn', 'signed_on')
        .replaceAll('disbursedOn', 'disbursed_on')
        .replaceAll('bankAccount', 'bank_account'),
    );
    ok(
      await call(
        'POST',
        '/api/apps/lending/forms/loan_application/workflows',
        adminToken,
        definition,
      ),
      201,
    );

    // The kills fall at random points of the run's progress, not of the clock, so a fast server
    // cannot finish before them: every instance sends at least three writes (record, start, an
    // approval), and the kill points lie within 2.5 writes per instance.
    const killPoints = Array.from({ length: KILLS }, () =>
      Math.ceil(Math.random() * INSTANCES * 2.5),
    ).sort((a, b) => a - b);
    let driving = true;
    const chaos = (async () => {
      for (const point of killPoints) {
        while (driving && progress < point) await sleep(10);
        if (!driving) break;
        await sleep(Math.random() * 200);
        await killServer();
        const restartedAt = Date.now();
        await startServer();
        restarts.push(Date.now() - restartedAt);
      }
    })();
    let chaosError: unknown;
    chaos.catch((error: unknown) => {
      chaosError = error;
      driving = false;
    });
    // At most 40 clients at a time, each driving its instances one after the other.
    const queue = Array.from({ length: INSTANCES }, (_, i) => i);
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: Math.min(INSTANCES, 40) }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          ids.push(await drive(i, sales));
        }
      }),
    ).finally(() => {
      driving = false;
    });
    await chaos.catch(() => undefined);
    if (chaosError) throw chaosError;
    console.log(`workflow crash test: ${kills} kills, restarts took ${restarts.join(', ')} ms`);
    expect(kills).toBe(KILLS);

    // Every instance finished approved; nothing left open.
    const instances = await db.db
      .selectFrom('joinery.workflow_instances')
      .select(['id', 'status', 'outcome', 'record_id'])
      .execute();
    expect(instances).toHaveLength(INSTANCES);
    expect(new Set(ids).size).toBe(INSTANCES);
    expect(instances.filter((i) => i.status !== 'finished' || i.outcome !== 'approved')).toEqual(
      [],
    );
    expect(new Set(instances.map((i) => i.record_id)).size).toBe(INSTANCES);
    const open = await db.db
      .selectFrom('joinery.workflow_tasks')
      .select('id')
      .where('status', '=', 'open')
      .execute();
    expect(open).toEqual([]);

    // Each step completed exactly once per instance, with exactly the tasks it needed.
    const steps = await sql<{ instance_id: string; node_id: string; n: number }>`
      SELECT instance_id, node_id, count(*)::int AS n FROM joinery.workflow_history
      WHERE action = 'step-approved' GROUP BY instance_id, node_id`.execute(db.db);
    const tasks = await sql<{ instance_id: string; node_id: string; approved: number }>`
      SELECT instance_id, node_id,
        count(*) FILTER (WHERE close_reason = 'approved')::int AS approved
      FROM joinery.workflow_tasks GROUP BY instance_id, node_id`.execute(db.db);
    expect(steps.rows.filter((r) => r.n !== 1)).toEqual([]);
    const expectedApprovals: Record<string, number> = { committee: 3 };
    for (const row of tasks.rows) {
      expect(row.approved, `${row.instance_id} ${row.node_id}`).toBe(
        expectedApprovals[row.node_id] ?? 1,
      );
    }
    const started = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM joinery.workflow_history WHERE action = 'started'`.execute(
      db.db,
    );
    expect(started.rows[0]?.n).toBe(INSTANCES);
    const failedJobs = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE attempts >= max_attempts`.execute(
      db.db,
    );
    expect(failedJobs.rows[0]?.n).toBe(0);
  }, 900_000);
});
