import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

let t: TestApp;
let admin: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
});
afterAll(() => t.close());

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  who: SignedIn,
  payload?: object,
) =>
  t.app.inject({
    method,
    url,
    headers: { ...who.headers, 'accept-language': 'en' },
    ...(payload && { payload }),
  });

describe('users', () => {
  it('creates users, never returns password hashes, and refuses duplicates', async () => {
    const created = await call('POST', '/api/users', admin, {
      username: 'li.wei',
      displayName: '李伟',
      password: 'Sales-password-1',
      email: 'li.wei@example.com',
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toMatch(/hash|argon/i);
    const duplicate = await call('POST', '/api/users', admin, {
      username: 'LI.WEI',
      displayName: 'x',
      password: 'Sales-password-1',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('JNY_USER_EXISTS');
  });

  it('refuses a weak password and an invalid email, naming the field', async () => {
    const weak = await call('POST', '/api/users', admin, {
      username: 'weak',
      displayName: 'Weak',
      password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields).toEqual([
      { field: '/body/password', reason: expect.stringContaining('10') },
    ]);
    const email = await call('POST', '/api/users', admin, {
      username: 'mail',
      displayName: 'Mail',
      password: 'Good-password-1',
      email: 'not-an-email',
    });
    expect(email.statusCode).toBe(400);
    expect(email.json().error.fields.map((f: { field: string }) => f.field)).toContain(
      '/body/email',
    );
  });

  it('lets only admins create users, and disabling ends sessions', async () => {
    await call('POST', '/api/users', admin, {
      username: 'zhang',
      displayName: '张三',
      password: 'Zhang-password-1',
    });
    const zhang = await t.login('zhang', 'Zhang-password-1');
    const forbidden = await call('POST', '/api/users', zhang, {
      username: 'x1',
      displayName: 'x',
      password: 'Good-password-1',
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('JNY_AUTH_FORBIDDEN');
    const list = await call('GET', '/api/users?search=zha', zhang);
    expect(list.json().items.map((u: { username: string }) => u.username)).toEqual(['zhang']);

    const id = list.json().items[0].id;
    expect((await call('PATCH', `/api/users/${id}`, admin, { disabled: true })).statusCode).toBe(
      200,
    );
    expect((await call('GET', '/api/auth/session', zhang)).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'zhang', password: 'Zhang-password-1' },
    });
    expect(login.statusCode).toBe(403);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await call('GET', '/api/users/not-a-uuid', admin)).statusCode).toBe(400);
    expect(
      (await call('GET', '/api/users/00000000-0000-4000-8000-000000000000', admin)).statusCode,
    ).toBe(404);
  });
});

describe('departments', () => {
  it('builds a tree with managers and refuses cycles', async () => {
    const me = (await call('GET', '/api/auth/session', admin)).json().user;
    const head = (
      await call('POST', '/api/departments', admin, { name: '总部', managerId: me.id })
    ).json();
    const sales = (
      await call('POST', '/api/departments', admin, { name: '销售部', parentId: head.id })
    ).json();
    const team = (
      await call('POST', '/api/departments', admin, { name: '华东销售组', parentId: sales.id })
    ).json();
    expect(team.parentId).toBe(sales.id);

    const cycle = await call('PATCH', `/api/departments/${head.id}`, admin, { parentId: team.id });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().error.code).toBe('JNY_DEPARTMENT_CYCLE');
    const self = await call('PATCH', `/api/departments/${sales.id}`, admin, { parentId: sales.id });
    expect(self.statusCode).toBe(409);

    const notEmpty = await call('DELETE', `/api/departments/${sales.id}`, admin);
    expect(notEmpty.statusCode).toBe(409);
    expect((await call('DELETE', `/api/departments/${team.id}`, admin)).statusCode).toBe(204);
    const list = (await call('GET', '/api/departments', admin)).json().items;
    expect(list.map((d: { name: string }) => d.name).sort()).toEqual(['总部', '销售部'].sort());
  });

  it('refuses an unknown parent', async () => {
    const response = await call('POST', '/api/departments', admin, {
      name: 'x',
      parentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('API tokens', () => {
  it('shows the secret once, authenticates without CSRF, and stops working when revoked', async () => {
    const created = await call('POST', '/api/tokens', admin, { name: 'risk system' });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^jny_/);
    const listed = (await call('GET', '/api/tokens', admin)).json().items;
    expect(JSON.stringify(listed)).not.toContain(token);
    const stored = await t.database.db
      .selectFrom('joinery.api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: bearer,
    });
    expect(session.statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      headers: bearer,
      payload: { name: '风控部' },
    });
    expect(write.statusCode).toBe(201);

    expect((await call('DELETE', `/api/tokens/${id}`, admin)).statusCode).toBe(204);
    const revoked = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: bearer,
    });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('JNY_AUTH_TOKEN_INVALID');
  });

  it('refuses forged tokens', async () => {
    for (const value of ['Bearer jny_forged', 'Bearer ', 'Basic abc', 'Bearer x y']) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/users',
        headers: { authorization: value },
      });
      expect(response.statusCode).toBe(401);
    }
  });
});
