import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// One enforcement layer on every records route: actions, row scopes (inside the SQL), field
// read/write rights, masking of personal data with audited unmasking.
const contactForm = {
  key: 'contact',
  label: label('联系人', 'Contact'),
  fields: [
    {
      id: 'k1',
      key: 'name',
      type: 'text',
      label: label('姓名', 'Name'),
      validations: { required: true },
    },
    { id: 'k2', key: 'mobile', type: 'mobile', label: label('手机', 'Mobile') },
    { id: 'k3', key: 'score', type: 'number', label: label('评分', 'Score') },
    { id: 'k4', key: 'collector', type: 'user', label: label('催收员', 'Collector') },
  ],
};

let t: TestApp;
let admin: SignedIn;
const ids: Record<string, string> = {};
const users: Record<string, string> = {};
const as: Record<string, ReturnType<typeof caller>> = {};
const base = '/api/apps/crm/forms/contact/records';
/** The API as one of the test users. */
function on(username: string) {
  const call = as[username];
  if (!call) throw new Error(`no user ${username}`);
  return call;
}

async function role(key: string, permissions: unknown): Promise<string> {
  const response = await caller(t, admin)('POST', '/api/roles', {
    key,
    name: label(key),
    permissions,
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id;
}

async function user(username: string, roleId: string): Promise<void> {
  const call = caller(t, admin);
  const created = await call('POST', '/api/users', {
    username,
    displayName: username,
    password: `${username}-Password-1`,
  });
  users[username] = created.json().id;
  await call('PUT', `/api/users/${created.json().id}/roles`, { roleIds: [roleId] });
  as[username] = caller(t, await t.login(username, `${username}-Password-1`));
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'crm', label: label('客户', 'CRM') });
  await publish(call, 'crm', contactForm);
  const sales = await role('sales', {
    apps: {
      crm: {
        forms: {
          contact: {
            actions: ['view', 'create', 'edit'],
            rows: 'own',
            fields: { score: { write: false } },
          },
        },
      },
    },
  });
  const support = await role('support', {
    apps: {
      crm: {
        forms: {
          contact: { actions: ['view', 'export'], rows: 'all', fields: { score: { read: false } } },
        },
      },
    },
  });
  const auditor = await role('auditor', {
    apps: {
      crm: {
        forms: {
          contact: { actions: ['view'], rows: 'all', fields: { mobile: { unmask: true } } },
        },
      },
    },
  });
  const collector = await role('collector', {
    apps: {
      crm: {
        forms: {
          contact: {
            actions: ['view'],
            rows: { logic: { '==': [{ var: 'collector' }, { var: '$user.id' }] } },
          },
        },
      },
    },
  });
  await user('sales1', sales);
  await user('sales2', sales);
  await user('support1', support);
  await user('auditor1', auditor);
  await user('collector1', collector);
  for (const [who, name, mobile] of [
    ['sales1', '张三', '13812341234'],
    ['sales1', '李四', '13912345678'],
    ['sales2', '王五', '13700001111'],
  ] as const) {
    const created = await on(who)('POST', base, { values: { name, mobile } });
    if (created.statusCode !== 201) throw new Error(created.body);
    ids[name] = created.json().id;
  }
  await call('PATCH', `${base}/${ids.王五}`, {
    version: 1,
    values: { collector: users.collector1, score: 88 },
  });
});
afterAll(() => t.close());

const names = (body: { items: { values: { name?: string } }[] }) =>
  body.items.map((r) => r.values.name).sort();

describe('row scopes', () => {
  it('lists and counts only the viewer’s rows, inside the SQL', async () => {
    const own = await on('sales1')('GET', `${base}?count=true`);
    expect(names(own.json())).toEqual(['张三', '李四'].sort());
    expect(own.json().total).toBe(2);
    const filtered = await on('sales2')(
      'GET',
      `${base}?filter=${encodeURIComponent('{"!=":[{"var":"name"},""]}')}`,
    );
    expect(names(filtered.json())).toEqual(['王五']);
    expect(names((await on('collector1')('GET', base)).json())).toEqual(['王五']);
    expect(names((await on('support1')('GET', base)).json())).toHaveLength(3);
  });

  it('hides records outside the scope on every path, as if they did not exist', async () => {
    const other = ids.王五;
    expect((await on('sales1')('GET', `${base}/${other}`)).statusCode).toBe(404);
    expect((await on('sales1')('GET', `${base}/${other}/history`)).statusCode).toBe(404);
    expect(
      (await on('sales1')('PATCH', `${base}/${other}`, { version: 2, values: { name: 'x' } }))
        .statusCode,
    ).toBe(404);
    const bulk = await on('sales1')('POST', `${base}/bulk`, {
      update: [{ id: other, version: 2, values: { name: 'x' } }],
    });
    // A batch names the item that failed; the whole batch is refused.
    expect(bulk.statusCode).toBe(400);
    expect(bulk.body).toContain('update/0');
    expect((await caller(t, admin)('GET', `${base}/${other}`)).json().values.name).toBe('王五');
  });
});

describe('actions and fields', () => {
  it('refuses actions no role grants', async () => {
    expect((await on('support1')('POST', base, { values: { name: 'x' } })).statusCode).toBe(403);
    expect((await on('sales1')('DELETE', `${base}/${ids.张三}`)).statusCode).toBe(403);
  });

  it('refuses writes to fields the role may not write, naming them', async () => {
    const response = await on('sales1')('PATCH', `${base}/${ids.张三}`, {
      version: 1,
      values: { score: 99 },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.fields).toEqual([
      { field: '/body/values/score', reason: 'You may not change this field' },
    ]);
  });

  it('strips fields the role may not read, and refuses filtering or sorting on them', async () => {
    const list = (await on('support1')('GET', base)).json();
    expect(list.items.every((r: { values: object }) => !('score' in r.values))).toBe(true);
    const probe = await on('support1')(
      'GET',
      `${base}?filter=${encodeURIComponent('{">":[{"var":"score"},50]}')}`,
    );
    expect(probe.statusCode).toBe(403);
    expect((await on('support1')('GET', `${base}?sort=-score`)).statusCode).toBe(403);
  });
});

describe('masking', () => {
  it('masks personal data unless the role may unmask it, and audits every clear read', async () => {
    const masked = (await on('support1')('GET', `${base}/${ids.张三}`)).json();
    expect(masked.values.mobile).toBe('138****1234');
    const before = await t.database.db
      .selectFrom('joinery.audit_log')
      .select('id')
      .where('action', '=', 'record.unmask')
      .execute();
    const clear = (await on('auditor1')('GET', `${base}/${ids.张三}`)).json();
    expect(clear.values.mobile).toBe('13812341234');
    const after = await t.database.db
      .selectFrom('joinery.audit_log')
      .selectAll()
      .where('action', '=', 'record.unmask')
      .orderBy('id', 'desc')
      .execute();
    expect(after.length).toBe(before.length + 1);
    expect(after[0]?.actor_name).toBe('auditor1');
    expect(after[0]?.details).toEqual({ records: { [ids.张三 ?? '']: ['mobile'] } });
  });
});

describe('revealing on request', () => {
  it('keeps values masked with ?unmask=none, reveals only the fields named, refuses others', async () => {
    const count = async () =>
      (
        await t.database.db
          .selectFrom('joinery.audit_log')
          .select('id')
          .where('action', '=', 'record.unmask')
          .execute()
      ).length;
    const before = await count();
    const record = `${base}/${ids.张三}`;
    const masked = (await on('auditor1')('GET', `${record}?unmask=none`)).json();
    expect(masked.values.mobile).toBe('138****1234');
    const list = (await on('auditor1')('GET', `${base}?unmask=none`)).json();
    expect(list.items.map((r: { values: { mobile: string } }) => r.values.mobile)).toContain(
      '138****1234',
    );
    expect(await count()).toBe(before);
    const revealed = (await on('auditor1')('GET', `${record}?fields=mobile&unmask=mobile`)).json();
    expect(revealed.values.mobile).toBe('13812341234');
    expect(await count()).toBe(before + 1);
    const refused = await on('support1')('GET', `${record}?unmask=mobile`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.fields[0].field).toBe('/querystring/unmask/mobile');
  });
});

describe('exports', () => {
  it('export only the viewer’s rows and readable fields, masked, and are audited', async () => {
    const csv = await on('support1')('GET', `/api/apps/crm/forms/contact/export?format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body).toContain('138****1234');
    expect(csv.body).not.toContain('13812341234');
    expect(csv.body.split('\n')[0]).not.toContain('score');
    const own = await on('sales2')('GET', `/api/apps/crm/forms/contact/export?format=csv`);
    expect(own.statusCode).toBe(403);
    const audited = await t.database.db
      .selectFrom('joinery.audit_log')
      .select('actor_name')
      .where('action', '=', 'record.export')
      .execute();
    expect(audited.map((a) => a.actor_name)).toEqual(['support1']);
  });
});

describe('department scopes', () => {
  it('let a team lead see the records owned by the members of the department', async () => {
    const call = caller(t, admin);
    const team = (await call('POST', '/api/departments', { name: '华东销售组' })).json();
    for (const username of ['sales1', 'lead1']) {
      if (username === 'lead1') {
        const lead = await role('lead', {
          apps: { crm: { forms: { contact: { actions: ['view'], rows: 'department' } } } },
        });
        await user('lead1', lead);
      }
      await call('PATCH', `/api/users/${users[username]}`, { departmentId: team.id });
    }
    const seen = await on('lead1')('GET', base);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(names(seen.json())).toEqual(['张三', '李四'].sort());
  });
});
