import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    headers,
  });

async function sessionCount(): Promise<number> {
  const row = await t.database.db
    .selectFrom('joinery.sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('sign-in', () => {
  it('signs in with the right password and sets an httpOnly session cookie', async () => {
    const response = await login('admin', t.adminPassword);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ username: 'admin', isAdmin: true });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const cookie = response.cookies.find((c) => c.name === 'jny_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('is case-insensitive on the username', async () => {
    expect((await login('ADMIN', t.adminPassword)).statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown user the same way, in the caller language', async () => {
    const before = await sessionCount();
    const wrong = await login('admin', 'not-the-password1', { 'accept-language': 'en' });
    const unknown = await login('nobody', 'not-the-password1', { 'accept-language': 'en' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error).toEqual({
      code: 'JNY_AUTH_INVALID_CREDENTIALS',
      message: 'Wrong username or password',
    });
    const zh = await login('nobody', 'x', { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.json().error.message).toBe('用户名或密码错误');
    expect(await sessionCount()).toBe(before);
  });

  it('names the field of an invalid body and creates nothing', async () => {
    const before = await sessionCount();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 123, role: 'x' },
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/password', '/body/role']));
    expect(await sessionCount()).toBe(before);
  });

  it('refuses malformed JSON and oversized bodies with 4xx', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('JNY_REQUEST_MALFORMED_JSON');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('JNY_REQUEST_BODY_TOO_LARGE');
  });

  it('locks a username on the 6th failed sign-in within the window, even with the right password', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: (await t.login('admin', t.adminPassword)).headers,
      payload: { username: 'locky', displayName: 'Locky', password: 'Locky-password-1' },
    });
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await login('locky', 'wrong-password-1')).statusCode).toBe(401);
    }
    const fifth = await login('locky', 'wrong-password-1');
    expect(fifth.statusCode).toBe(429);
    const sixth = await login('locky', 'Locky-password-1', { 'accept-language': 'en' });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error.code).toBe('JNY_AUTH_ACCOUNT_LOCKED');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    // Others are not affected.
    expect((await login('admin', t.adminPassword)).statusCode).toBe(200);
  });
});

describe('session and CSRF', () => {
  it('returns the session, requires CSRF for changes, and ends the session on logout', async () => {
    const me = await t.login('admin', t.adminPassword);
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: me.cookie },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json().user.username).toBe('admin');

    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: me.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('JNY_AUTH_CSRF_INVALID');
    const badCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: me.cookie, 'x-csrf-token': `${me.csrfToken}x` },
    });
    expect(badCsrf.statusCode).toBe(403);
    // Still signed in: nothing changed.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/auth/session',
          headers: { cookie: me.cookie },
        })
      ).statusCode,
    ).toBe(200);

    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: me.headers,
    });
    expect(logout.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: me.cookie },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('JNY_AUTH_REQUIRED');
  });

  it('refuses a forged session cookie', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: 'jny_session=forged-value' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('expires idle sessions', async () => {
    const me = await t.login('admin', t.adminPassword);
    await t.database.db
      .updateTable('joinery.sessions')
      .set({ last_seen_at: new Date(Date.now() - 3 * 3_600_000) })
      .execute();
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: me.cookie },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('password change', () => {
  it('enforces the policy and the current password', async () => {
    const me = await t.login('admin', t.adminPassword);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { ...me.headers, 'accept-language': 'en' },
      payload: { currentPassword: t.adminPassword, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0].field).toBe('/body/newPassword');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: me.headers,
      payload: { currentPassword: 'Wrong-password-1', newPassword: 'Another-password-2' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('JNY_AUTH_PASSWORD_WRONG');
  });
});

describe('a generated or reset password', () => {
  it('must be changed before anything else', async () => {
    const admin = await t.login('admin', t.adminPassword);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { username: 'newbie', displayName: 'Newbie', password: 'Initial-password-1' },
    });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${created.json().id}`,
      headers: admin.headers,
      payload: { password: 'Reset-password-22' },
    });
    const me = await t.login('newbie', 'Reset-password-22');
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: me.headers,
    });
    expect(session.json().user.mustChangePassword).toBe(true);
    const blocked = await t.app.inject({
      method: 'GET',
      url: '/api/departments',
      headers: { ...me.headers, 'accept-language': 'en' },
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('JNY_AUTH_PASSWORD_CHANGE_REQUIRED');
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: me.headers,
      payload: { currentPassword: 'Reset-password-22', newPassword: 'My-own-password-3' },
    });
    expect(changed.statusCode).toBe(204);
    const allowed = await t.app.inject({
      method: 'GET',
      url: '/api/departments',
      headers: me.headers,
    });
    expect(allowed.statusCode).toBe(200);
  });
});
