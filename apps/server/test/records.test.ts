import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caller,
  customerForm,
  customerWithTotals,
  everyTypeForm,
  label,
  loanForm,
  publish,
} from './records-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
let call: ReturnType<typeof caller>;
const base = '/api/apps/crm/forms';

beforeAll(async () => {
  t = await createTestApp();
  call = caller(t, await t.login('admin', t.adminPassword));
  const created = await call('POST', '/api/apps', { key: 'crm', label: label('客户管理', 'CRM') });
  expect(created.statusCode).toBe(201);
  await publish(call, 'crm', everyTypeForm);
  await publish(call, 'crm', customerForm);
  await publish(call, 'crm', loanForm);
  await publish(call, 'crm', customerWithTotals);
});
afterAll(() => t.close());

const sample = {
  title: '  First  ',
  notes: 'line 1\nline 2',
  count: 3,
  price: '1234.50',
  rate: '12.5',
  day: '2026-11-23',
  moment: '2026-11-23T08:30:00+08:00',
  grade: 'B',
  tags: ['old', 'vip'],
  active: true,
  mobile: '13812345678',
  email: 'a@example.com',
  id_number: '11010519491231002X',
  account: '6222020200112233445',
  site: 'https://example.com/a',
};

describe('apps and publishing', () => {
  it('lists apps with their forms and serves the published definition', async () => {
    const apps = await call('GET', '/api/apps');
    expect(apps.json().items[0].forms.map((f: { key: string }) => f.key)).toEqual([
      'customer',
      'loan',
      'sample',
    ]);
    const form = await call('GET', `${base}/loan`);
    expect(form.statusCode).toBe(200);
    expect(form.json().version).toBe(1);
    expect(form.json().definition.fields).toHaveLength(8);
  });

  it('refuses an invalid draft with precise problems and keeps nothing', async () => {
    const bad = await call('PUT', `${base}/broken/draft`, {
      key: 'broken',
      label: label('坏'),
      fields: [{ id: 'x', key: 'Bad Key', type: 'text', label: label('x') }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('JNY_FORM_DEFINITION_INVALID');
    expect(bad.json().error.fields[0].field).toContain('fields/0');
    const missing = await call('GET', `${base}/broken/draft`);
    expect(missing.statusCode).toBe(404);
  });
});

describe('records', () => {
  it('creates, reads, updates, deletes and restores with history', async () => {
    const created = await call('POST', `${base}/sample/records`, { values: sample });
    expect(created.statusCode, created.body).toBe(201);
    const record = created.json();
    expect(record.version).toBe(1);
    expect(record.values).toMatchObject({
      title: 'First',
      price: '1234.50',
      rate: '12.5',
      count: 3,
      day: '2026-11-23',
      moment: '2026-11-23T00:30:00.000Z',
      tags: ['vip', 'old'],
      total: '3703.50',
    });
    expect(record.values.code).toMatch(/^S-\d{4}-00001$/);

    const read = await call('GET', `${base}/sample/records/${record.id}`);
    expect(read.json().values).toEqual(record.values);

    const stale = await call('PATCH', `${base}/sample/records/${record.id}`, {
      version: 7,
      values: { price: '1.00' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('JNY_RECORD_VERSION_CONFLICT');

    const updated = await call('PATCH', `${base}/sample/records/${record.id}`, {
      version: 1,
      values: { price: '10.00', grade: 'A' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().version).toBe(2);
    expect(updated.json().values.total).toBe('30.00');

    const deleted = await call('DELETE', `${base}/sample/records/${record.id}?version=2`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().deletedAt).not.toBeNull();
    const gone = await call(
      'GET',
      `${base}/sample/records?filter=${encodeURIComponent('{"==":[{"var":"grade"},"A"]}')}`,
    );
    expect(gone.json().items).toHaveLength(0);
    const restored = await call('POST', `${base}/sample/records/${record.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().deletedAt).toBeNull();

    const history = await call('GET', `${base}/sample/records/${record.id}/history`);
    const entries = history.json().items;
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'update',
      'delete',
      'restore',
    ]);
    expect(entries[1].changes.price).toEqual({ from: '1234.50', to: '10.00' });
    expect(entries[1].changes.grade).toEqual({ from: 'B', to: 'A' });
    expect(entries[1].changedByName).toBeTruthy();
  });

  it('computes subform rollups, lookups and relation rollups, and enforces linkage', async () => {
    const customer = (
      await call('POST', `${base}/customer/records`, { values: { name: '张三', city: '杭州' } })
    ).json();
    const hidden = await call('POST', `${base}/loan/records`, {
      values: { customer: customer.id, amount: '2000.00', purpose: 'not visible' },
    });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().error.fields[0].field).toBe('purpose');
    const needsCollateral = await call('POST', `${base}/loan/records`, {
      values: { customer: customer.id, amount: '300000.00', purpose: 'house' },
    });
    expect(needsCollateral.statusCode).toBe(400);
    expect(needsCollateral.json().error.fields[0].field).toBe('collateral');

    const loan = await call('POST', `${base}/loan/records`, {
      values: {
        customer: customer.id,
        amount: '60000.00',
        purpose: 'car',
        guarantors: [
          { name: '李四', amount: '100.10' },
          { name: '王五', amount: '200.20' },
        ],
      },
    });
    expect(loan.statusCode, loan.body).toBe(201);
    expect(loan.json().values.guaranteed).toBe('300.3');
    expect(loan.json().values.customer_city).toBe('杭州');
    expect(loan.json().values.guarantors).toHaveLength(2);
    await call('POST', `${base}/loan/records`, {
      values: { customer: customer.id, amount: '1000.00' },
    });
    const totals = (await call('GET', `${base}/customer/records/${customer.id}`)).json();
    expect(totals.values.loan_total).toBe('61000');
    expect(totals.values.loan_count).toBe('2');

    const byCity = await call(
      'GET',
      `${base}/loan/records?count=true&filter=${encodeURIComponent(
        JSON.stringify({ '==': [{ var: 'customer.city' }, '杭州'] }),
      )}`,
    );
    expect(byCity.statusCode, byCity.body).toBe(200);
    expect(byCity.json().total).toBe(2);
    const expanded = await call(
      'GET',
      `${base}/loan/records/${loan.json().id}?expand=customer&fields=amount,customer`,
    );
    expect(expanded.json().expanded.customer.values.name).toBe('张三');
    expect(Object.keys(expanded.json().values).sort()).toEqual(['amount', 'customer']);

    const changed = await call('PATCH', `${base}/loan/records/${loan.json().id}`, {
      version: 1,
      values: { guarantors: [{ name: '李四', amount: '50.00' }] },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().values.guaranteed).toBe('50');
    await call('DELETE', `${base}/loan/records/${loan.json().id}`);
    const after = (await call('GET', `${base}/customer/records/${customer.id}`)).json();
    expect(after.values.loan_total).toBe('1000');

    const dangling = await call('POST', `${base}/loan/records`, {
      values: { customer: '00000000-0000-4000-8000-000000000000', amount: '1000.00' },
    });
    expect(dangling.statusCode).toBe(400);
    expect(dangling.json().error.code).toBe('JNY_RECORD_REFERENCE_INVALID');
  });

  it('gives parallel creates unique serial numbers', async () => {
    const customer = (
      await call('POST', `${base}/customer/records`, { values: { name: 'parallel' } })
    ).json();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', `${base}/loan/records`, {
          values: { customer: customer.id, amount: '1000.00' },
        }),
      ),
    );
    const numbers = responses.map((r) => r.json().values.no);
    expect(new Set(numbers).size).toBe(20);
    expect(numbers.every((n) => /^LN-\d{8}-\d{4}$/.test(n))).toBe(true);
  });

  it('gives parallel one-statement creates unique serial numbers too', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', `${base}/sample/records`, { values: { title: `parallel ${i}` } }),
      ),
    );
    const codes = responses.map((r) => r.json().values.code);
    expect(new Set(codes).size).toBe(20);
    expect(codes.every((c) => /^S-\d{4}-\d{5}$/.test(c))).toBe(true);
    const history = await call('GET', `${base}/sample/records/${responses[0]?.json().id}/history`);
    expect(history.json().items[0].changes.code.to).toBe(codes[0]);
  });

  it('finds a record by each of its filterable fields through a list filter', async () => {
    const people = await t.database.pool.query('select id from joinery.users limit 1');
    const created = await call('POST', `${base}/sample/records`, {
      values: { ...sample, mobile: '13700000001', person: people.rows[0].id },
    });
    expect(created.statusCode, created.body).toBe(201);
    const record = created.json();
    const skip = new Set(['docs', 'photo']);
    for (const [key, value] of Object.entries(record.values)) {
      if (skip.has(key) || value === null) continue;
      const logic = Array.isArray(value)
        ? { in: [value[0], { var: key }] }
        : { '==': [{ var: key }, value] };
      const found = await call(
        'GET',
        `${base}/sample/records?count=true&filter=${encodeURIComponent(JSON.stringify(logic))}`,
      );
      expect(found.statusCode, `${key}: ${found.body}`).toBe(200);
      const ids = found.json().items.map((r: { id: string }) => r.id);
      expect(ids, key).toContain(record.id);
    }
  });
});
