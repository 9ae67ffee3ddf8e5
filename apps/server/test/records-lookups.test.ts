import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  caller,
  label,
  loanForm as probeLoan,
  publish,
  unmaskAudits as unmaskAuditsOf,
  userWithForms,
} from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// A lookup shows a field of another record, so it shows no more than reading that record would:
// the viewer must be able to view the related form, the related record must be in their rows
// there and the field readable there; personal data is masked as it is there, and clear reads
// are audited. Otherwise the lookup is null. Every path that shows records obeys this.

const customerForm = {
  key: 'customer',
  label: label('客户', 'Customer'),
  fields: [
    { id: 'c1', key: 'name', type: 'text', label: label('姓名', 'Name') },
    { id: 'c2', key: 'city', type: 'text', label: label('城市', 'City') },
    { id: 'c3', key: 'mobile', type: 'mobile', label: label('手机', 'Mobile') },
    { id: 'c4', key: 'note', type: 'text', label: label('备注', 'Note') },
  ],
};

const loanForm = {
  key: 'loan',
  label: label('贷款', 'Loan'),
  fields: [
    ...probeLoan.fields.filter((field) => field.key === 'customer'),
    { id: 'l2', key: 'amount', type: 'number', label: label('金额', 'Amount') },
    ...(['city', 'mobile', 'note'] as const).map((field, index) => ({
      id: `l${index + 3}`,
      key: `customer_${field}`,
      type: 'lookup',
      label: label(field),
      config: { relation: 'customer', field },
    })),
  ],
};

const MINE = { name: 'A', city: '上海', mobile: '13812341234', note: 'NOTE-OF-A' };
const THEIRS = { name: 'B', city: '北京', mobile: '13900001111', note: 'NOTE-OF-B' };
const loans = '/api/apps/lk/forms/loan/records';
const customers = '/api/apps/lk/forms/customer/records';

let t: TestApp;
let admin: SignedIn;
const as: Record<string, ReturnType<typeof caller>> = {};
const ids: Record<string, string> = {};

function on(username: string) {
  const call = as[username];
  if (!call) throw new Error(`no user ${username}`);
  return call;
}

async function addUser(username: string, forms: unknown) {
  as[username] = await userWithForms(t, admin, 'lk', username, forms);
}

async function created(response: Awaited<ReturnType<ReturnType<typeof caller>>>) {
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id as string;
}

const unmaskAudits = () => unmaskAuditsOf(t);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'lk', label: label('引用', 'Lookups') });
  await publish(call, 'lk', customerForm);
  await publish(call, 'lk', loanForm);
  // sales: own loans; customers of their department (no department: their own), the note
  // unreadable, the mobile unmaskable.
  await addUser('sales1', {
    loan: { actions: ['view', 'create', 'edit'], rows: 'own' },
    customer: {
      actions: ['view', 'create', 'edit'],
      rows: 'department',
      fields: { note: { read: false }, mobile: { unmask: true } },
    },
  });
  // support: every loan and customer, mobiles masked; may export loans.
  await addUser('support1', {
    loan: { actions: ['view', 'export'], rows: 'all' },
    customer: { actions: ['view'], rows: 'all' },
  });
  // clerk: every loan, no customers at all.
  await addUser('clerk1', { loan: { actions: ['view', 'export'], rows: 'all' } });
  // regional: every loan; customers of Shanghai only (a JSON-logic scope).
  await addUser('regional1', {
    loan: { actions: ['view'], rows: 'all' },
    customer: { actions: ['view'], rows: { logic: { '==': [{ var: 'city' }, '上海'] } } },
  });
  const { note, ...writable } = MINE;
  ids.mine = await created(await on('sales1')('POST', customers, { values: writable }));
  await call('PATCH', `${customers}/${ids.mine}`, { version: 1, values: { note } });
  ids.theirs = await created(await call('POST', customers, { values: THEIRS }));
  ids.loanOfMine = await created(
    await on('sales1')('POST', loans, { values: { customer: ids.mine, amount: 1 } }),
  );
  ids.loanOfTheirs = await created(
    await on('sales1')('POST', loans, { values: { customer: ids.theirs, amount: 2 } }),
  );
});
afterAll(() => t.close());

type Lookups = { customer_city: unknown; customer_mobile: unknown; customer_note: unknown };
const lookupsOf = (values: Lookups) => [
  values.customer_city,
  values.customer_mobile,
  values.customer_note,
];

/** [who, loan, expected lookups (city, mobile, note)] on single reads and lists alike. */
const CASES: [string, 'loanOfMine' | 'loanOfTheirs', unknown[]][] = [
  ['sales1', 'loanOfMine', ['上海', MINE.mobile, null]],
  ['sales1', 'loanOfTheirs', [null, null, null]],
  ['support1', 'loanOfMine', ['上海', '138****1234', MINE.note]],
  ['support1', 'loanOfTheirs', ['北京', '139****1111', THEIRS.note]],
  ['clerk1', 'loanOfMine', [null, null, null]],
  ['clerk1', 'loanOfTheirs', [null, null, null]],
  ['regional1', 'loanOfMine', ['上海', '138****1234', MINE.note]],
  ['regional1', 'loanOfTheirs', [null, null, null]],
];

describe('lookups under the viewer’s rights on the related form', () => {
  it.each(CASES)('%s reading %s sees %j', async (who, loan, expected) => {
    const one = await on(who)('GET', `${loans}/${ids[loan]}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(lookupsOf(one.json().values)).toEqual(expected);
    const list = await on(who)('GET', `${loans}?limit=10`);
    const item = list.json().items.find((r: { id: string }) => r.id === ids[loan]);
    expect(lookupsOf(item.values)).toEqual(expected);
    const selected = await on(who)('GET', `${loans}/${ids[loan]}?fields=customer_city`);
    expect(selected.json().values).toEqual({ customer_city: expected[0] });
  });

  it('reads each lookup field once per page, under the viewer’s rights', async () => {
    const lookupQueries = async (url: string) => {
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        const response = await on('support1')('GET', url);
        expect(response.statusCode, response.body).toBe(200);
        // The lookup query selects the related field `as value` through the relation's join.
        return spy.mock.calls.filter((call) => /\bas value\s+from\b/.test(String(call[0]))).length;
      } finally {
        spy.mockRestore();
      }
    };
    expect(await lookupQueries(`${loans}/${ids.loanOfMine}`)).toBe(3);
    expect(await lookupQueries(`${loans}?limit=10`)).toBe(3);
    expect(await lookupQueries(`${loans}?limit=10&fields=amount,customer_city`)).toBe(1);
  });

  it('exports lookups under the same rights', async () => {
    const support = await on('support1')('GET', '/api/apps/lk/forms/loan/export?format=csv');
    expect(support.statusCode, support.body).toBe(200);
    expect(support.body).toContain('北京');
    expect(support.body).toContain('138****1234');
    expect(support.body).not.toContain(MINE.mobile);
    const clerk = await on('clerk1')('GET', '/api/apps/lk/forms/loan/export?format=csv');
    expect(clerk.statusCode, clerk.body).toBe(200);
    for (const value of [MINE.city, MINE.mobile, MINE.note, THEIRS.city, THEIRS.note]) {
      expect(clerk.body).not.toContain(value);
    }
  });

  it('echoes no lookup outside the writer’s rights in a write response', async () => {
    const response = await on('sales1')('POST', loans, {
      values: { customer: ids.theirs, amount: 3 },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(lookupsOf(response.json().values)).toEqual([null, null, null]);
    const patched = await on('sales1')('PATCH', `${loans}/${ids.loanOfMine}`, {
      version: 1,
      values: { amount: 4 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(lookupsOf(patched.json().values)).toEqual(['上海', MINE.mobile, null]);
    const bulk = await on('sales1')('POST', `${loans}/bulk`, {
      create: [{ values: { customer: ids.theirs, amount: 5 } }],
    });
    expect(lookupsOf(bulk.json().created[0].values)).toEqual([null, null, null]);
  });

  it('audits a clear lookup of personal data like any clear read', async () => {
    const before = (await unmaskAudits()).length;
    await on('sales1')('GET', `${loans}/${ids.loanOfMine}`);
    const after = await unmaskAudits();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toEqual({
      actor_name: 'sales1',
      target: 'lk.loan',
      details: { records: { [ids.loanOfMine ?? '']: ['customer_mobile'] } },
    });
    // Masked or absent lookups are no clear read.
    await on('support1')('GET', `${loans}/${ids.loanOfMine}`);
    await on('sales1')('GET', `${loans}/${ids.loanOfTheirs}`);
    expect((await unmaskAudits()).length).toBe(before + 1);
  });

  it('reveals a lookup on request as far as the related form lets the viewer unmask it', async () => {
    const record = `${loans}/${ids.loanOfMine}`;
    const hidden = await on('sales1')('GET', `${record}?unmask=none`);
    expect(hidden.json().values.customer_mobile).toBe('138****1234');
    const shown = await on('sales1')('GET', `${record}?unmask=customer_mobile`);
    expect(shown.json().values.customer_mobile).toBe(MINE.mobile);
    const refused = await on('support1')('GET', `${record}?unmask=customer_mobile`);
    expect(refused.statusCode).toBe(403);
  });

  it('shows expanded related records with the related form’s field rights and masking', async () => {
    const response = await on('support1')('GET', `${loans}/${ids.loanOfMine}?expand=customer`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().expanded.customer.values).toMatchObject({
      name: 'A',
      mobile: '138****1234',
    });
    expect(response.body).not.toContain(MINE.mobile);
  });
});

describe('unmask audits of write responses', () => {
  it('audits no value the request itself sent, and every other clear value', async () => {
    const before = (await unmaskAudits()).length;
    const id = await created(
      await on('sales1')('POST', customers, {
        values: { name: 'C', mobile: '13700002222' },
      }),
    );
    const bulk = await on('sales1')('POST', `${customers}/bulk`, {
      create: [{ values: { name: 'D', mobile: '13700003333' } }],
      update: [{ id, version: 1, values: { mobile: '13700004444' } }],
    });
    expect(bulk.json().updated[0].values.mobile).toBe('13700004444');
    expect((await unmaskAudits()).length).toBe(before);
    // A write that did not send the mobile still shows it in clear: that is a look, audited.
    const renamed = await on('sales1')('PATCH', `${customers}/${id}`, {
      version: 2,
      values: { name: 'C2' },
    });
    expect(renamed.json().values.mobile).toBe('13700004444');
    const after = await unmaskAudits();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)?.details).toEqual({ records: { [id]: ['mobile'] } });
    // Reads stay audited as before.
    await on('sales1')('GET', `${customers}/${id}`);
    expect((await unmaskAudits()).length).toBe(before + 2);
  });
});
