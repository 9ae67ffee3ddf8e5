import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiTokenStore } from '../src/auth/api-token-store.ts';
import { installAuthentication, principalOf } from '../src/auth/authenticate.ts';
import { SessionStore } from '../src/auth/session-store.ts';
import { installErrorHandler } from '../src/http/error-handler.ts';
import { caller, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// The record list and the record create verify the credential inside their own statement: with
// a principal this process resolved moments ago from the same credential, they skip the
// authentication query. These tests warm that cache, change what authentication checks —
// through the API or straight in the database, as another server process would — and prove the
// very next list or create answers as a full authentication would, and that a refused create
// writes nothing (no record, no history, no serial number).
let t: TestApp;
let admin: SignedIn;
let session: SignedIn;
let token = '';
let userId = '';
let roleId = '';
const base = '/api/apps/crm/forms/note/records';
const role = (rows: string) => ({
  apps: { crm: { forms: { note: { actions: ['view', 'create'], rows } } } },
});
const resolves = {
  session: vi.spyOn(SessionStore.prototype, 'resolve'),
  token: vi.spyOn(ApiTokenStore.prototype, 'resolve'),
};
type Via = 'session' | 'token';

function headers(via: Via): Record<string, string> {
  return via === 'session' ? session.headers : { authorization: `Bearer ${token}` };
}
const list = (via: Via) => t.app.inject({ method: 'GET', url: base, headers: headers(via) });
const create = (via: Via, title: string) =>
  t.app.inject({
    method: 'POST',
    url: base,
    headers: headers(via),
    payload: { values: { title } },
  });

/** Records, history entries and serial numbers of the form: a refused create changes none. */
async function written() {
  const { rows } = await sql<{ records: number; history: number; counter: number }>`
    SELECT (SELECT count(*)::int FROM app_crm.note) AS records,
           (SELECT count(*)::int FROM joinery.record_history) AS history,
           (SELECT coalesce(sum(value), 0)::int FROM joinery.serial_counters) AS counter`.execute(
    t.database.db,
  );
  return rows[0];
}

/** Resolves the credential once, then proves the next list and create skip the resolve. */
async function warm(via: Via) {
  expect((await list(via)).statusCode).toBe(200);
  resolves[via].mockClear();
  expect((await list(via)).statusCode).toBe(200);
  expect((await create(via, 'warm')).statusCode).toBe(201);
  expect(resolves[via]).not.toHaveBeenCalled();
}

type Step = 'list' | 'create';

/**
 * After a change, the next `step` as `via` answers `status`, and nothing is written. One step
 * per test: a refused credential leaves the cache, so the step after it would not be warm.
 */
async function refused(step: Step, via: Via, status: number) {
  const before = await written();
  const sent = step === 'list' ? await list(via) : await create(via, 'refused');
  expect(sent.statusCode).toBe(status);
  expect(await written()).toEqual(before);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'crm', label: label('客户', 'CRM') });
  await publish(call, 'crm', {
    key: 'note',
    label: label('备注', 'Note'),
    fields: [
      { id: 'n1', key: 'title', type: 'text', label: label('标题', 'Title') },
      {
        id: 'n2',
        key: 'no',
        type: 'serial',
        label: label('编号', 'No'),
        config: { pattern: 'N-{counter:4}' },
      },
    ],
  });
  roleId = (
    await call('POST', '/api/roles', {
      key: 'writer',
      name: label('writer'),
      permissions: role('all'),
    })
  ).json().id;
  userId = (
    await call('POST', '/api/users', {
      username: 'writer1',
      displayName: 'writer1',
      password: 'Writer1-Password-1',
    })
  ).json().id;
  await call('PUT', `/api/users/${userId}/roles`, { roleIds: [roleId] });
  await call('POST', base, { values: { title: 'by admin' } });
});
afterAll(() => t.close());

beforeEach(async () => {
  const db = t.database.db;
  await sql`UPDATE joinery.users SET disabled = false WHERE id = ${userId}`.execute(db);
  await sql`UPDATE joinery.roles SET permissions = ${JSON.stringify(role('all'))}::jsonb
            WHERE id = ${roleId}`.execute(db);
  await sql`INSERT INTO joinery.user_roles (user_id, role_id) VALUES (${userId}, ${roleId})
            ON CONFLICT DO NOTHING`.execute(db);
  session = await t.login('writer1', 'Writer1-Password-1');
  token = (await caller(t, session)('POST', '/api/tokens', { name: 'statement test' })).json()
    .token;
  await warm('session');
  await warm('token');
});
afterEach(() => {
  resolves.session.mockClear();
  resolves.token.mockClear();
});

describe.each(['list', 'create'] as const)('the %s, with a warm cache,', (step) => {
  it('end with a logout, and with a session deleted by another process', async () => {
    expect((await caller(t, session)('POST', '/api/auth/logout')).statusCode).toBeLessThan(300);
    await refused(step, 'session', 401);
    session = await t.login('writer1', 'Writer1-Password-1');
    await warm('session');
    await sql`DELETE FROM joinery.sessions WHERE user_id = ${userId}`.execute(t.database.db);
    await refused(step, 'session', 401);
  });

  it('end with a session expired', async () => {
    await sql`UPDATE joinery.sessions SET expires_at = now() - interval '1 second'
              WHERE user_id = ${userId}`.execute(t.database.db);
    await refused(step, 'session', 401);
    await warm('token');
  });

  it('end with a session idle too long, and with its CSRF token changed', async () => {
    await sql`UPDATE joinery.sessions SET last_seen_at = now() - interval '1 day'
              WHERE user_id = ${userId}`.execute(t.database.db);
    await refused(step, 'session', 401);
    session = await t.login('writer1', 'Writer1-Password-1');
    await warm('session');
    resolves.session.mockClear();
    await sql`UPDATE joinery.sessions SET csrf_token = 'rotated'
              WHERE user_id = ${userId}`.execute(t.database.db);
    // The statement's guard fails, the request is redone after a full resolve: the list is
    // still allowed (no CSRF check on a read), the create refused by the CSRF check.
    await refused(step, 'session', step === 'create' ? 403 : 200);
    expect(resolves.session).toHaveBeenCalled();
  });

  it('end with the user disabled, by session and by token', async () => {
    await sql`UPDATE joinery.users SET disabled = true WHERE id = ${userId}`.execute(t.database.db);
    await refused(step, 'session', 401);
    await refused(step, 'token', 401);
  });

  it('end with the token revoked through the API, and with a token expired', async () => {
    const tokens = (await caller(t, session)('GET', '/api/tokens')).json().items as {
      id: string;
      revokedAt: string | null;
    }[];
    for (const { id } of tokens.filter((issued) => issued.revokedAt === null)) {
      expect((await caller(t, session)('DELETE', `/api/tokens/${id}`)).statusCode).toBeLessThan(
        300,
      );
    }
    await refused(step, 'token', 401);
    await warm('session');
    token = (await caller(t, session)('POST', '/api/tokens', { name: 'again' })).json().token;
    await warm('token');
    await sql`UPDATE joinery.api_tokens SET expires_at = now() - interval '1 second'
              WHERE user_id = ${userId}`.execute(t.database.db);
    await refused(step, 'token', 401);
  });

  it('obey a role taken away on the next request: 403, nothing written', async () => {
    await sql`DELETE FROM joinery.user_roles WHERE user_id = ${userId}`.execute(t.database.db);
    await refused(step, 'session', 403);
    await refused(step, 'token', 403);
  });
});

describe('the list and the create verify a cached credential in their own statement', () => {
  it('obey a narrower row scope on the next request', async () => {
    const titles = async (via: Via) =>
      ((await list(via)).json().items as { values: { title: string } }[]).map(
        (r) => r.values.title,
      );
    expect(await titles('session')).toContain('by admin');
    await sql`UPDATE joinery.roles SET permissions = ${JSON.stringify(role('own'))}::jsonb
              WHERE id = ${roleId}`.execute(t.database.db);
    for (const via of ['session', 'token'] as const) {
      const seen = await titles(via);
      expect(seen).not.toContain('by admin');
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen)).toEqual(new Set(['warm']));
    }
  });

  it('still need the CSRF header of the cached session on a create', async () => {
    const { 'x-csrf-token': _, ...cookieOnly } = session.headers;
    const before = await written();
    const sent = await t.app.inject({
      method: 'POST',
      url: base,
      headers: cookieOnly,
      payload: { values: { title: 'no csrf' } },
    });
    expect(sent.statusCode).toBe(403);
    expect(await written()).toEqual(before);
  });
});

describe('principalOf', () => {
  it('refuses a principal recalled from the cache but not verified', async () => {
    const db = t.database.db;
    const server = Fastify({ logger: false });
    await server.register(fastifyCookie);
    installErrorHandler(server);
    installAuthentication(server, {
      sessions: new SessionStore(db, { ttlMinutes: 60, idleMinutes: 60 }),
      tokens: new ApiTokenStore(db),
    });
    server.get(
      '/who',
      { config: { access: 'user', verifiedInStatement: true } },
      async (request) => ({ id: principalOf(request).userId }),
    );
    const who = () =>
      server.inject({ method: 'GET', url: '/who', headers: { authorization: `Bearer ${token}` } });
    // The first request resolves the token in full; the second gets it from the cache.
    expect((await who()).json()).toEqual({ id: userId });
    expect((await who()).statusCode).toBe(500);
    await server.close();
  });
});
