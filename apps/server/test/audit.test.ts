import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeAuditLog, verifyAuditLog } from '../src/audit/audit-log.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

let t: TestApp;
let admin: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
});
afterAll(() => t.close());

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
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

/** Runs `work` with the append-only trigger off, as an attacker with database access could. */
async function asAttacker(work: string): Promise<void> {
  await t.database.db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE joinery.audit_log DISABLE TRIGGER audit_log_append_only`.execute(trx);
    await sql.raw(work).execute(trx);
    await sql`ALTER TABLE joinery.audit_log ENABLE TRIGGER audit_log_append_only`.execute(trx);
  });
}

describe('roles', () => {
  it('creates, changes and deletes roles, each change audited with before and after', async () => {
    const permissions = {
      apps: {
        crm: {
          forms: {
            customer: {
              actions: ['view', 'create'],
              rows: 'own',
              fields: { mobile: { unmask: false } },
            },
          },
        },
      },
    };
    const created = await call('POST', '/api/roles', admin, {
      key: 'sales',
      name: { 'zh-CN': '销售', en: 'Sales' },
      permissions,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const changed = await call('PATCH', `/api/roles/${id}`, admin, {
      permissions: { apps: { crm: { forms: { customer: { actions: ['view'], rows: 'all' } } } } },
    });
    expect(changed.statusCode).toBe(200);
    const entries = (await call('GET', `/api/audit?target=role:${id}`, admin)).json().items;
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'role.update',
      'role.create',
    ]);
    expect(entries[0].details.before.permissions).toEqual(permissions);
    expect(entries[0].actorName).toBe('admin');

    const user = await call('POST', '/api/users', admin, {
      username: 'wang',
      displayName: '王五',
      password: 'Wang-password-1',
    });
    const assign = await call('PUT', `/api/users/${user.json().id}/roles`, admin, {
      roleIds: [id],
    });
    expect(assign.statusCode).toBe(200);
    expect((await call('GET', `/api/users/${user.json().id}/roles`, admin)).json().roleIds).toEqual(
      [id],
    );
    expect((await call('DELETE', `/api/roles/${id}`, admin)).statusCode).toBe(204);
    expect((await call('GET', `/api/users/${user.json().id}/roles`, admin)).json().roleIds).toEqual(
      [],
    );
  });

  it('refuses invalid permissions with the exact field, and bad row-scope expressions', async () => {
    const shape = await call('POST', '/api/roles', admin, {
      key: 'bad',
      name: { 'zh-CN': '坏', en: 'Bad' },
      permissions: { apps: { crm: { forms: { customer: { actions: ['fly'] } } } } },
    });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().error.fields[0].field).toBe(
      '/body/permissions/apps/crm/forms/customer/actions/0',
    );
    const logic = await call('POST', '/api/roles', admin, {
      key: 'bad',
      name: { 'zh-CN': '坏', en: 'Bad' },
      permissions: {
        apps: {
          crm: { forms: { customer: { actions: ['view'], rows: { logic: { nope: [1] } } } } },
        },
      },
    });
    expect(logic.statusCode).toBe(400);
    expect(logic.json().error.fields[0].field).toBe(
      '/body/permissions/apps/crm/forms/customer/rows/logic',
    );
    const roles = (await call('GET', '/api/roles', admin)).json().items;
    expect(roles.map((r: { key: string }) => r.key)).not.toContain('bad');
  });

  it('is for administrators only', async () => {
    await call('POST', '/api/users', admin, {
      username: 'zhao',
      displayName: '赵六',
      password: 'Zhao-password-1',
    });
    const zhao = await t.login('zhao', 'Zhao-password-1');
    expect((await call('GET', '/api/roles', zhao)).statusCode).toBe(403);
    expect((await call('GET', '/api/audit', zhao)).statusCode).toBe(403);
  });
});

describe('the audit log', () => {
  it('records sign-ins, failed sign-ins and logouts', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'Wrong-password-1' },
    });
    const entries = (await call('GET', '/api/audit?limit=50', admin)).json().items;
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('auth.login');
    expect(actions).toContain('auth.login_failed');
    expect(JSON.stringify(entries)).not.toContain('Wrong-password-1');
  });

  it('is append-only', async () => {
    await expect(
      sql`UPDATE joinery.audit_log SET action = 'x'`.execute(t.database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM joinery.audit_log`.execute(t.database.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('verifies intact, and detects an edited entry', async () => {
    const intact = await verifyAuditLog(t.database.db);
    expect(intact.ok).toBe(true);
    const victim = await t.database.db
      .selectFrom('joinery.audit_log')
      .select('id')
      .orderBy('id')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    await asAttacker(
      `UPDATE joinery.audit_log SET actor_name = 'someone-else' WHERE id = ${victim.id}`,
    );
    const result = await verifyAuditLog(t.database.db);
    expect(result).toMatchObject({ ok: false, brokenAt: victim.id, reason: 'hash' });
    await asAttacker(`DELETE FROM joinery.audit_log WHERE id = ${victim.id}`);
  });

  it('detects a deleted entry (in the middle or at the start) but accepts a recorded purge', async () => {
    // The previous test deleted a row: the chain is broken right after it.
    const broken = await verifyAuditLog(t.database.db);
    expect(broken).toMatchObject({ ok: false, reason: 'chain' });

    const purged = await purgeAuditLog(t.database.db, new Date(Date.now() + 1000));
    expect(purged).toBeGreaterThan(0);
    expect(await verifyAuditLog(t.database.db)).toMatchObject({ ok: true, entries: 1 });

    await call('POST', '/api/departments', admin, { name: '审计测试部' });
    await call('POST', '/api/departments', admin, { name: '审计测试部二' });
    expect((await verifyAuditLog(t.database.db)).ok).toBe(true);
    const first = await t.database.db
      .selectFrom('joinery.audit_log')
      .select('id')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await asAttacker(`DELETE FROM joinery.audit_log WHERE id = ${first.id}`);
    expect(await verifyAuditLog(t.database.db)).toMatchObject({ ok: false, reason: 'chain' });
  });
});
