import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// Authentication reuses each user's roles and departments between requests while
// `joinery.org_version` is unchanged (`viewerContexts`). These tests prove the reuse is exact:
// whatever changes a user's rights — through the API, or straight in the database as another
// server process would — is obeyed by the very next request, with sessions and API tokens alike.
let t: TestApp;
let admin: SignedIn;
const base = '/api/apps/crm/forms/note/records';
const viewRole = { apps: { crm: { forms: { note: { actions: ['view'], rows: 'all' } } } } };
const ownRole = { apps: { crm: { forms: { note: { actions: ['view'], rows: 'department' } } } } };
let roleId = '';
let userId = '';
let reader: ReturnType<typeof caller>;
let token = '';
let otherId = '';

/** A list of notes as the reader, by session and by API token: both must agree. */
async function seen(): Promise<{ session: number; token: number; titles: string[] }> {
  const bySession = await reader('GET', base);
  const byToken = await t.app.inject({
    method: 'GET',
    url: base,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(byToken.statusCode).toBe(bySession.statusCode);
  const titles =
    bySession.statusCode === 200
      ? (bySession.json().items as { values: { title: string } }[]).map((r) => r.values.title)
      : [];
  if (byToken.statusCode === 200) {
    expect(
      (byToken.json().items as { values: { title: string } }[]).map((r) => r.values.title),
    ).toEqual(titles);
  }
  return { session: bySession.statusCode, token: byToken.statusCode, titles: titles.sort() };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'crm', label: label('客户', 'CRM') });
  await publish(call, 'crm', {
    key: 'note',
    label: label('备注', 'Note'),
    fields: [{ id: 'n1', key: 'title', type: 'text', label: label('标题', 'Title') }],
  });
  const role = await call('POST', '/api/roles', {
    key: 'viewer',
    name: label('viewer'),
    permissions: viewRole,
  });
  roleId = role.json().id;
  const created = await call('POST', '/api/users', {
    username: 'reader1',
    displayName: 'reader1',
    password: 'Reader1-Password-1',
  });
  userId = created.json().id;
  const other = await call('POST', '/api/users', {
    username: 'writer1',
    displayName: 'writer1',
    password: 'Writer1-Password-1',
  });
  otherId = other.json().id;
  await call('PUT', `/api/users/${userId}/roles`, { roleIds: [roleId] });
  const session = await t.login('reader1', 'Reader1-Password-1');
  reader = caller(t, session);
  const issued = await reader('POST', '/api/tokens', { name: 'cache test' });
  token = issued.json().token;
  // One note owned by the admin, one by writer1 (who will share reader1's department).
  await call('POST', base, { values: { title: 'by admin' } });
  const note = await call('POST', base, { values: { title: 'by writer' } });
  await t.database.db
    .updateTable('app_crm.note' as never)
    .set({ owner: otherId } as never)
    .where('id' as never, '=', note.json().id as never)
    .execute();
});
afterAll(() => t.close());

describe('cached viewer contexts', () => {
  it('obey a role taken away or given back through the API on the next request', async () => {
    expect(await seen()).toEqual({ session: 200, token: 200, titles: ['by admin', 'by writer'] });
    await caller(t, admin)('PUT', `/api/users/${userId}/roles`, { roleIds: [] });
    expect(await seen()).toMatchObject({ session: 403, token: 403 });
    await caller(t, admin)('PUT', `/api/users/${userId}/roles`, { roleIds: [roleId] });
    expect((await seen()).session).toBe(200);
  });

  it('obey a change of the role’s permissions on the next request', async () => {
    const patched = await caller(t, admin)('PATCH', `/api/roles/${roleId}`, {
      permissions: ownRole,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // In no department, a department scope is the user alone: no note is theirs.
    expect(await seen()).toEqual({ session: 200, token: 200, titles: [] });
  });

  it('obey a move between departments on the next request', async () => {
    const call = caller(t, admin);
    const team = (await call('POST', '/api/departments', { name: 'Team' })).json();
    await call('PATCH', `/api/users/${otherId}`, { departmentId: team.id });
    expect((await seen()).titles).toEqual([]);
    await call('PATCH', `/api/users/${userId}`, { departmentId: team.id });
    expect((await seen()).titles).toEqual(['by writer']);
  });

  it('obey changes written straight to the database, as by another server process', async () => {
    const db = t.database.db;
    await sql`DELETE FROM joinery.user_roles WHERE user_id = ${userId}`.execute(db);
    expect(await seen()).toMatchObject({ session: 403, token: 403 });
    await sql`INSERT INTO joinery.user_roles (user_id, role_id) VALUES (${userId}, ${roleId})`.execute(
      db,
    );
    expect((await seen()).titles).toEqual(['by writer']);
    await sql`UPDATE joinery.roles SET permissions = ${JSON.stringify(viewRole)}::jsonb
              WHERE id = ${roleId}`.execute(db);
    expect((await seen()).titles).toEqual(['by admin', 'by writer']);
    await sql`UPDATE joinery.users SET department_id = NULL WHERE id = ${otherId}`.execute(db);
    await sql`UPDATE joinery.roles SET permissions = ${JSON.stringify(ownRole)}::jsonb
              WHERE id = ${roleId}`.execute(db);
    expect((await seen()).titles).toEqual([]);
  });

  it('end with the token’s revocation, the user’s disabling and the logout, each at once', async () => {
    const db = t.database.db;
    await sql`UPDATE joinery.api_tokens SET revoked_at = now() WHERE user_id = ${userId}`.execute(
      db,
    );
    const byToken = await t.app.inject({
      method: 'GET',
      url: base,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(401);
    expect((await reader('GET', base)).statusCode).toBe(200);
    await sql`UPDATE joinery.users SET disabled = true WHERE id = ${userId}`.execute(db);
    expect((await reader('GET', base)).statusCode).toBe(401);
    await sql`UPDATE joinery.users SET disabled = false WHERE id = ${userId}`.execute(db);
    const again = caller(t, await t.login('reader1', 'Reader1-Password-1'));
    expect((await again('GET', base)).statusCode).toBe(200);
    expect((await again('POST', '/api/auth/logout')).statusCode).toBeLessThan(300);
    expect((await again('GET', base)).statusCode).toBe(401);
  });
});
