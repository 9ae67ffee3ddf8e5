import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caller,
  customerForm,
  customerWithTotals,
  label,
  loanForm,
  publish,
} from './records-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

// Stored computed values that depend on other records: a formula over a rollup follows the
// related records, a rollup over that rollup follows it in turn, and a publish fills a new or
// changed formula in for the records that already exist.
let t: TestApp;
let call: ReturnType<typeof caller>;
const records = (form: string) => `/api/apps/derived/forms/${form}/records`;

const formula = (id: string, key: string, logic: unknown) => ({
  id,
  key,
  type: 'formula',
  label: label(key),
  config: { resultType: 'money', logic },
});
const branchForm = {
  key: 'branch',
  label: label('网点', 'Branch'),
  fields: [{ id: 'b1', key: 'name', type: 'text', label: label('名称', 'Name') }],
};
const branchRelation = {
  id: 'c9',
  key: 'branch',
  type: 'relation',
  label: label('网点', 'Branch'),
  config: { form: 'branch' },
};
const headroom = formula('c5', 'headroom', { '-': [10000, { var: 'loan_total' }] });
const customerDerived = {
  ...customerWithTotals,
  fields: [...customerWithTotals.fields, branchRelation, headroom],
};
const branchWithTotal = {
  ...branchForm,
  fields: [
    ...branchForm.fields,
    {
      id: 'b2',
      key: 'branch_loans',
      type: 'rollup',
      label: label('网点贷款', 'Branch loans'),
      config: { aggregate: 'sum', form: 'customer', via: 'branch', field: 'loan_total' },
    },
  ],
};

async function create(form: string, values: Record<string, unknown>): Promise<string> {
  const created = await call('POST', records(form), { values });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}
const read = async (form: string, id: string) =>
  (await call('GET', `${records(form)}/${id}`)).json();

let branch: string;
let customer: string;

beforeAll(async () => {
  t = await createTestApp();
  call = caller(t, await t.login('admin', t.adminPassword));
  await call('POST', '/api/apps', { key: 'derived', label: label('派生', 'Derived') });
  await publish(call, 'derived', branchForm);
  const customerWithBranch = { ...customerForm, fields: [...customerForm.fields, branchRelation] };
  await publish(call, 'derived', customerWithBranch);
  await publish(call, 'derived', loanForm);
  await publish(call, 'derived', customerDerived);
  await publish(call, 'derived', branchWithTotal);
  branch = await create('branch', { name: '朝阳' });
  customer = await create('customer', { name: '钱七', branch });
});
afterAll(() => t.close());

describe('computed values that depend on other records', () => {
  it('recomputes a formula over a rollup, and a rollup over that rollup, as related records change', async () => {
    expect((await read('customer', customer)).values).toMatchObject({ headroom: '10000.00' });
    const loan = await create('loan', { customer, amount: '2500.00' });
    expect((await read('customer', customer)).values).toMatchObject({
      loan_total: '2500',
      headroom: '7500.00',
    });
    expect((await read('branch', branch)).values).toMatchObject({ branch_loans: '2500' });

    const { version } = await read('loan', loan);
    const updated = await call('PATCH', `${records('loan')}/${loan}`, {
      version,
      values: { amount: '4000.00' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect((await read('customer', customer)).values).toMatchObject({ headroom: '6000.00' });
    expect((await read('branch', branch)).values).toMatchObject({ branch_loans: '4000' });

    const removed = await call('DELETE', `${records('loan')}/${loan}`);
    expect(removed.statusCode, removed.body).toBeLessThan(300);
    expect((await read('customer', customer)).values).toMatchObject({ headroom: '10000.00' });
    expect((await read('branch', branch)).values.branch_loans).toBeNull();
  });

  it('leaves the version of a record whose derived values moved alone', async () => {
    const before = await read('customer', customer);
    await create('loan', { customer, amount: '1000.00' });
    const after = await read('customer', customer);
    expect(after.values.headroom).not.toBe(before.values.headroom);
    expect(after.version).toBe(before.version);
  });

  it('fills a new formula, and a changed one, in for the records that already exist', async () => {
    const doubled = formula('c6', 'doubled', { '*': [{ var: 'headroom' }, 2] });
    const withDoubled = { ...customerDerived, fields: [...customerDerived.fields, doubled] };
    await publish(call, 'derived', withDoubled);
    const current = (await read('customer', customer)).values;
    expect(current).toMatchObject({ headroom: '9000.00', doubled: '18000.00' });

    // A changed formula: the new logic for every row, and what reads it follows.
    const stricter = formula('c5', 'headroom', { '-': [5000, { var: 'loan_total' }] });
    const fields = customerDerived.fields.map((field) =>
      field.key === 'headroom' ? stricter : field,
    );
    const changed = { ...customerDerived, fields: [...fields, doubled] };
    await publish(call, 'derived', changed);
    expect((await read('customer', customer)).values).toMatchObject({
      headroom: '4000.00',
      doubled: '8000.00',
    });
  });
});
