import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caller,
  label,
  publish,
  unmaskAudits as unmaskAuditsOf,
  userWithForms,
} from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// Personal data in subform rows (a guarantor's mobile and ID) is masked like a top-level field:
// on single reads, lists, exports, write responses and expansions, unless the viewer's role may
// unmask the subform — then it is clear, and the read is audited as `record.unmask`, naming
// `subform.field`. Rights on a subform are the subform field's.

const guarantors = {
  id: 'g0',
  key: 'guarantors',
  type: 'subform',
  label: label('担保人', 'Guarantors'),
  fields: [
    { id: 'g1', key: 'name', type: 'text', label: label('姓名', 'Name') },
    { id: 'g2', key: 'mobile', type: 'mobile', label: label('手机', 'Mobile') },
    { id: 'g3', key: 'id_no', type: 'national_id', label: label('身份证', 'ID') },
  ],
};
const loanForm = {
  key: 'loan',
  label: label('贷款', 'Loan'),
  fields: [{ id: 'l1', key: 'title', type: 'text', label: label('标题', 'Title') }, guarantors],
};
const applicationForm = {
  key: 'application',
  label: label('申请', 'Application'),
  fields: [
    {
      id: 'a1',
      key: 'loan',
      type: 'relation',
      label: label('贷款', 'Loan'),
      config: { form: 'loan' },
    },
  ],
};

const MOBILE = '13812341234';
const ID_NO = '11010519491231002X';
const ROWS = [
  { name: '张三', mobile: MOBILE, id_no: ID_NO },
  { name: '李四', mobile: null, id_no: null },
];
const MASKED = [
  { name: '张三', mobile: '138****1234', id_no: '110***********002X' },
  { name: '李四', mobile: null, id_no: null },
];
const loans = '/api/apps/sm/forms/loan/records';

let t: TestApp;
let admin: SignedIn;
let support: ReturnType<typeof caller>;
let officer: ReturnType<typeof caller>;
let loanId = '';

const addUser = (username: string, forms: unknown) =>
  userWithForms(t, admin, 'sm', username, forms);
const unmaskAudits = () => unmaskAuditsOf(t);

/** The rows without their ids. */
const rowsOf = (values: { guarantors: Record<string, unknown>[] }) =>
  values.guarantors.map(({ id: _id, ...row }) => row);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'sm', label: label('子表', 'Subforms') });
  await publish(call, 'sm', loanForm);
  await publish(call, 'sm', applicationForm);
  const all = { actions: ['view', 'export'], rows: 'all' };
  support = await addUser('support', { loan: all, application: all });
  officer = await addUser('officer', {
    loan: {
      actions: ['view', 'create', 'edit', 'export'],
      rows: 'all',
      fields: { guarantors: { unmask: true } },
    },
  });
  const created = await call('POST', loans, { values: { title: 'L1', guarantors: ROWS } });
  if (created.statusCode !== 201) throw new Error(created.body);
  loanId = created.json().id;
  await call('POST', '/api/apps/sm/forms/application/records', { values: { loan: loanId } });
});
afterAll(() => t.close());

describe('personal data in subform rows', () => {
  it('is masked on single reads and lists for a role that may not unmask it', async () => {
    const one = await support('GET', `${loans}/${loanId}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(rowsOf(one.json().values)).toEqual(MASKED);
    const list = await support('GET', `${loans}?limit=10`);
    expect(rowsOf(list.json().items[0].values)).toEqual(MASKED);
    expect(`${one.body}${list.body}`).not.toContain(MOBILE);
    expect(`${one.body}${list.body}`).not.toContain(ID_NO);
  });

  it('is masked in exports', async () => {
    const csv = await support('GET', '/api/apps/sm/forms/loan/export?format=csv');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body).toContain('138****1234');
    expect(csv.body).not.toContain(MOBILE);
    expect(csv.body).not.toContain(ID_NO);
  });

  it('is masked in expanded related records', async () => {
    const list = await support('GET', '/api/apps/sm/forms/application/records?expand=loan');
    expect(list.statusCode, list.body).toBe(200);
    expect(rowsOf(list.json().items[0].expanded.loan.values)).toEqual(MASKED);
    expect(list.body).not.toContain(MOBILE);
  });

  it('is clear and audited, naming subform.field, for a role that may unmask the subform', async () => {
    const before = (await unmaskAudits()).length;
    const one = await officer('GET', `${loans}/${loanId}`);
    expect(rowsOf(one.json().values)).toEqual(ROWS);
    const after = await unmaskAudits();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toEqual({
      actor_name: 'officer',
      target: 'sm.loan',
      details: { records: { [loanId]: ['guarantors.mobile', 'guarantors.id_no'] } },
    });
    const csv = await officer('GET', '/api/apps/sm/forms/loan/export?format=csv');
    expect(csv.body).toContain(MOBILE);
    expect((await unmaskAudits()).length).toBe(before + 2);
  });

  it('stays masked, unaudited, when the request reveals nothing', async () => {
    const before = (await unmaskAudits()).length;
    const hidden = await officer('GET', `${loans}/${loanId}?unmask=none`);
    expect(rowsOf(hidden.json().values)).toEqual(MASKED);
    const shown = await officer('GET', `${loans}/${loanId}?unmask=guarantors`);
    expect(rowsOf(shown.json().values)).toEqual(ROWS);
    expect((await unmaskAudits()).length).toBe(before + 1);
    expect((await support('GET', `${loans}/${loanId}?unmask=guarantors`)).statusCode).toBe(403);
  });

  it('is echoed unaudited when the write sent the rows, audited otherwise', async () => {
    const before = (await unmaskAudits()).length;
    const created = await officer('POST', loans, { values: { title: 'L2', guarantors: ROWS } });
    expect(created.statusCode, created.body).toBe(201);
    expect(rowsOf(created.json().values)).toEqual(ROWS);
    expect((await unmaskAudits()).length).toBe(before);
    const renamed = await officer('PATCH', `${loans}/${created.json().id}`, {
      version: 1,
      values: { title: 'L2b' },
    });
    expect(rowsOf(renamed.json().values)).toEqual(ROWS);
    expect((await unmaskAudits()).length).toBe(before + 1);
  });
});
