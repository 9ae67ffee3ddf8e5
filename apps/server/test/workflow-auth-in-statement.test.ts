import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiTokenStore } from '../src/auth/api-token-store.ts';
import { SessionStore } from '../src/auth/session-store.ts';
import { type ApiSummary, node, step, WorkflowKit } from './workflow-kit.ts';

// An approval (`POST /api/workflow/tasks/:id/actions`) verifies the credential inside its read
// of the task: with a principal this process resolved moments ago from the same session or
// token, it skips the authentication query. These tests warm that cache, change what
// authentication checks — through the API or straight in the database, as another server
// process would — and prove the very next approval answers as a full authentication does, and
// that a refused approval changes nothing: the task still open, no history, no idempotency key.
const APP = 'sign';
const PASSWORD = 'Writer1-Password-1';
const STEPS = 8;
let k: WorkflowKit;
let writerId = '';
let roleId = '';
let session: Record<string, string> = {};
let token = '';
/** The writer's open task in the current instance. */
let task = { id: '', instanceId: '' };
let sent = 0;
const resolves = {
  session: vi.spyOn(SessionStore.prototype, 'resolve'),
  token: vi.spyOn(ApiTokenStore.prototype, 'resolve'),
};
type Via = 'session' | 'token';

const headers = (via: Via) => (via === 'session' ? session : { authorization: `Bearer ${token}` });
const asWriter = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  k.app.inject({ method, url, headers: session, ...(payload === undefined ? {} : { payload }) });

/** Signs the writer in: the session cookie and CSRF header of a new session. */
async function login(): Promise<Record<string, string>> {
  const response = await k.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'writer1', password: PASSWORD },
  });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'jny_session')?.value ?? '';
  const { csrfToken } = response.json() as { csrfToken: string };
  return { cookie: `jny_session=${cookie}`, 'x-csrf-token': csrfToken };
}

/** Approves the writer's open task as `via`, with a fresh idempotency key (the raw response). */
function approve(via: Via, extra: Record<string, string> = {}) {
  sent += 1;
  return k.app.inject({
    method: 'POST',
    url: `/api/workflow/tasks/${task.id}/actions`,
    headers: { ...headers(via), 'idempotency-key': `key-${sent}`, ...extra },
    payload: { action: 'approve' },
  });
}

/** What an approval writes: a refused one changes none of it. */
async function written() {
  const { rows } = await sql<{ status: string; version: number; history: number; keys: number }>`
    SELECT (SELECT status FROM joinery.workflow_tasks WHERE id = ${task.id}) AS status,
           (SELECT version FROM joinery.workflow_instances WHERE id = ${task.instanceId}) AS version,
           (SELECT count(*)::int FROM joinery.workflow_history
             WHERE instance_id = ${task.instanceId}) AS history,
           (SELECT count(*)::int FROM joinery.workflow_action_keys
             WHERE user_id = ${writerId}) AS keys`.execute(k.db);
  return rows[0];
}

/** Resolves the credential once (the inbox), then proves the next approval skips the resolve. */
async function warm(via: Via) {
  expect(
    (await k.app.inject({ url: '/api/workflow/tasks', headers: headers(via) })).statusCode,
  ).toBe(200);
  resolves[via].mockClear();
  const response = await approve(via);
  expect(response.statusCode, response.body).toBe(200);
  expect(resolves[via]).not.toHaveBeenCalled();
  const next = (response.json() as ApiSummary).openTasks[0];
  task = { id: next?.id ?? '', instanceId: task.instanceId };
}

/** The next approval as `via` answers `status` with `code`, and nothing is written. */
async function refused(via: Via, status: number, code: string) {
  const before = await written();
  expect(before?.status).toBe('open');
  const response = await approve(via);
  expect(response.statusCode, response.body).toBe(status);
  expect((response.json() as { error: { code: string } }).error.code).toBe(code);
  expect(await written()).toEqual(before);
}

beforeAll(async () => {
  k = await WorkflowKit.create();
  await k.form(APP, 'memo', [
    { id: 'f1', key: 'title', type: 'text', label: { 'zh-CN': 'title', en: 'title' } },
  ]);
  const created = await k.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: k.admin.headers,
    payload: { username: 'writer1', displayName: 'writer1', password: PASSWORD },
  });
  expect(created.statusCode, created.body).toBe(201);
  writerId = (created.json() as { id: string }).id;
  // The kit's role that views every record of the app (given back before each test).
  roleId = (
    await k.db
      .selectFrom('joinery.roles')
      .select('id')
      .where('key', '=', 'test_records')
      .executeTakeFirstOrThrow()
  ).id;
  const ids = Array.from({ length: STEPS }, (_, i) => `s${i + 1}`);
  await k.publish(APP, 'memo', {
    id: 'chain',
    nodes: [
      node('start', 'start', { next: 's1' }),
      ...ids.map((id, i) => step(id, [writerId], ids[i + 1] ?? 'end')),
      node('end', 'end'),
    ],
  });
}, 120_000);
afterAll(() => k.close());

beforeEach(async () => {
  const db = k.db;
  await sql`UPDATE joinery.users SET disabled = false WHERE id = ${writerId}`.execute(db);
  await sql`INSERT INTO joinery.user_roles (user_id, role_id) VALUES (${writerId}, ${roleId})
            ON CONFLICT DO NOTHING`.execute(db);
  session = await login();
  token = (await asWriter('POST', '/api/tokens', { name: 'approvals' })).json().token;
  const recordId = await k.record(APP, 'memo', { title: 'memo' });
  const started = await k.start(k.admin, APP, 'memo', recordId, { workflow: 'chain' });
  task = { id: started.openTasks[0]?.id ?? '', instanceId: started.instanceId };
  await warm('session');
  await warm('token');
});
afterEach(() => {
  resolves.session.mockClear();
  resolves.token.mockClear();
});

describe('the next approval, with a warm cache,', () => {
  it('ends with a logout, and with a session deleted by another process', async () => {
    expect((await asWriter('POST', '/api/auth/logout')).statusCode).toBeLessThan(300);
    await refused('session', 401, 'JNY_AUTH_REQUIRED');
    session = await login();
    await warm('session');
    await sql`DELETE FROM joinery.sessions WHERE user_id = ${writerId}`.execute(k.db);
    await refused('session', 401, 'JNY_AUTH_REQUIRED');
  });

  it('ends with a session expired', async () => {
    await sql`UPDATE joinery.sessions SET expires_at = now() - interval '1 second'
              WHERE user_id = ${writerId}`.execute(k.db);
    await refused('session', 401, 'JNY_AUTH_REQUIRED');
    await warm('token');
  });

  it('ends with the user disabled, by session and by token', async () => {
    await sql`UPDATE joinery.users SET disabled = true WHERE id = ${writerId}`.execute(k.db);
    await refused('session', 401, 'JNY_AUTH_REQUIRED');
    await refused('token', 401, 'JNY_AUTH_TOKEN_INVALID');
  });

  it('ends with the token revoked through the API, and with a token expired', async () => {
    const issued = (await asWriter('GET', '/api/tokens')).json().items as {
      id: string;
      revokedAt: string | null;
    }[];
    for (const { id } of issued.filter((one) => one.revokedAt === null)) {
      expect((await asWriter('DELETE', `/api/tokens/${id}`)).statusCode).toBeLessThan(300);
    }
    await refused('token', 401, 'JNY_AUTH_TOKEN_INVALID');
    await warm('session');
    token = (await asWriter('POST', '/api/tokens', { name: 'again' })).json().token;
    await warm('token');
    await sql`UPDATE joinery.api_tokens SET expires_at = now() - interval '1 second'
              WHERE user_id = ${writerId}`.execute(k.db);
    await refused('token', 401, 'JNY_AUTH_TOKEN_INVALID');
  });

  it('obeys a role taken away: the task is not found, nothing written', async () => {
    await sql`DELETE FROM joinery.user_roles WHERE user_id = ${writerId}`.execute(k.db);
    await refused('session', 404, 'JNY_WORKFLOW_TASK_NOT_FOUND');
    await refused('token', 404, 'JNY_WORKFLOW_TASK_NOT_FOUND');
  });

  it('still needs the CSRF header of the cached session', async () => {
    const { 'x-csrf-token': _, ...cookieOnly } = session;
    const before = await written();
    const response = await k.app.inject({
      method: 'POST',
      url: `/api/workflow/tasks/${task.id}/actions`,
      headers: { ...cookieOnly, 'idempotency-key': 'no-csrf' },
      payload: { action: 'approve' },
    });
    expect(response.statusCode).toBe(403);
    expect(await written()).toEqual(before);
  });

  it('of a task that does not exist answers 404 after a full resolve, keeping no key', async () => {
    const before = await written();
    task = { id: randomUUID(), instanceId: task.instanceId };
    resolves.token.mockClear();
    const response = await approve('token');
    expect(response.statusCode).toBe(404);
    expect((response.json() as { error: { code: string } }).error.code).toBe(
      'JNY_WORKFLOW_TASK_NOT_FOUND',
    );
    // No row cannot tell a failed guard from a missing task: the request was redone.
    expect(resolves.token).toHaveBeenCalledTimes(1);
    expect((await written())?.keys).toBe(before?.keys);
  });
});
