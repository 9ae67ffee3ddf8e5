import type { SignedIn, TestApp } from './test-app.ts';

/** A label in both languages (tests only). */
export const label = (zh: string, en = zh) => ({ 'zh-CN': zh, en });

const options = (...values: string[]) => values.map((value) => ({ value, label: label(value) }));

/** A form with one field of every storable type, for round trips. */
export const everyTypeForm = {
  key: 'sample',
  label: label('样例', 'Sample'),
  fields: [
    {
      id: 's1',
      key: 'title',
      type: 'text',
      label: label('标题', 'Title'),
      validations: { required: true, maxLength: 80 },
    },
    { id: 's2', key: 'notes', type: 'textarea', label: label('备注', 'Notes') },
    {
      id: 's3',
      key: 'count',
      type: 'number',
      label: label('数量', 'Count'),
      config: { decimals: 2 },
    },
    { id: 's4', key: 'price', type: 'money', label: label('价格', 'Price') },
    { id: 's5', key: 'rate', type: 'percent', label: label('利率', 'Rate') },
    { id: 's6', key: 'day', type: 'date', label: label('日期', 'Day') },
    { id: 's7', key: 'moment', type: 'datetime', label: label('时间', 'Moment') },
    {
      id: 's8',
      key: 'grade',
      type: 'select',
      label: label('等级', 'Grade'),
      config: { options: options('A', 'B', 'C') },
    },
    {
      id: 's9',
      key: 'tags',
      type: 'multiselect',
      label: label('标签', 'Tags'),
      config: { options: options('vip', 'new', 'old') },
    },
    { id: 's10', key: 'active', type: 'checkbox', label: label('有效', 'Active') },
    {
      id: 's11',
      key: 'mobile',
      type: 'mobile',
      label: label('手机', 'Mobile'),
      validations: { unique: true },
    },
    { id: 's12', key: 'email', type: 'email', label: label('邮箱', 'Email') },
    { id: 's13', key: 'id_number', type: 'national_id', label: label('身份证', 'ID number') },
    { id: 's14', key: 'account', type: 'bank_account', label: label('账号', 'Account') },
    { id: 's15', key: 'site', type: 'url', label: label('网址', 'Site') },
    { id: 's16', key: 'person', type: 'user', label: label('成员', 'Person') },
    {
      id: 's17',
      key: 'docs',
      type: 'attachment',
      label: label('附件', 'Docs'),
      config: { maxFiles: 3, maxSize: 2048 },
    },
    {
      id: 's18',
      key: 'photo',
      type: 'image',
      label: label('照片', 'Photo'),
      config: { maxSize: 4096 },
    },
    {
      id: 's19',
      key: 'total',
      type: 'formula',
      label: label('总价', 'Total'),
      config: { resultType: 'money', logic: { '*': [{ var: 'price' }, { var: 'count' }] } },
    },
    {
      id: 's20',
      key: 'code',
      type: 'serial',
      label: label('编号', 'Code'),
      config: { pattern: 'S-{YYYY}-{counter:5}' },
    },
  ],
};

/** Customers, and loans that point to them (relation, lookup, subform, rollups, linkage). */
export const customerForm = {
  key: 'customer',
  label: label('客户', 'Customer'),
  fields: [
    {
      id: 'c1',
      key: 'name',
      type: 'text',
      label: label('姓名', 'Name'),
      validations: { required: true },
    },
    { id: 'c2', key: 'city', type: 'text', label: label('城市', 'City') },
  ],
};

export const loanForm = {
  key: 'loan',
  label: label('贷款', 'Loan'),
  fields: [
    {
      id: 'l1',
      key: 'customer',
      type: 'relation',
      label: label('客户', 'Customer'),
      config: { form: 'customer' },
      validations: { required: true },
    },
    {
      id: 'l2',
      key: 'amount',
      type: 'money',
      label: label('金额', 'Amount'),
      validations: { required: true, min: '1000' },
    },
    {
      id: 'l3',
      key: 'purpose',
      type: 'textarea',
      label: label('用途', 'Purpose'),
      rules: { visibleWhen: { '>': [{ var: 'amount' }, 50000] } },
    },
    {
      id: 'l4',
      key: 'collateral',
      type: 'text',
      label: label('抵押', 'Collateral'),
      rules: { requiredWhen: { '>': [{ var: 'amount' }, 200000] } },
    },
    {
      id: 'l5',
      key: 'customer_city',
      type: 'lookup',
      label: label('客户城市', 'City'),
      config: { relation: 'customer', field: 'city' },
    },
    {
      id: 'l6',
      key: 'guarantors',
      type: 'subform',
      label: label('担保人', 'Guarantors'),
      fields: [
        {
          id: 'g1',
          key: 'name',
          type: 'text',
          label: label('姓名', 'Name'),
          validations: { required: true },
        },
        { id: 'g2', key: 'amount', type: 'money', label: label('金额', 'Amount') },
      ],
    },
    {
      id: 'l7',
      key: 'guaranteed',
      type: 'rollup',
      label: label('担保合计', 'Guaranteed'),
      config: { aggregate: 'sum', subform: 'guarantors', field: 'amount' },
    },
    {
      id: 'l8',
      key: 'no',
      type: 'serial',
      label: label('编号', 'No'),
      config: { pattern: 'LN-{YYYYMMDD}-{counter:4}' },
    },
  ],
};

/** Adds to customers a rollup over their loans (a relation rollup). */
export const customerWithTotals = {
  ...customerForm,
  fields: [
    ...customerForm.fields,
    {
      id: 'c3',
      key: 'loan_total',
      type: 'rollup',
      label: label('贷款合计', 'Loans'),
      config: { aggregate: 'sum', form: 'loan', via: 'customer', field: 'amount' },
    },
    {
      id: 'c4',
      key: 'loan_count',
      type: 'rollup',
      label: label('贷款笔数', 'Loan count'),
      config: { aggregate: 'count', form: 'loan', via: 'customer' },
    },
  ],
};

/** An API caller bound to a test app and a signed-in user. */
export function caller(t: TestApp, who: SignedIn) {
  return async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url,
      headers: { ...who.headers, 'accept-language': 'en' },
      ...(payload !== undefined && { payload: payload as object }),
    });
}

/** Saves a draft and publishes it; throws with the body when either is refused. */
export async function publish(
  call: ReturnType<typeof caller>,
  app: string,
  form: { readonly key: string; readonly [setting: string]: unknown },
): Promise<number> {
  const saved = await call('PUT', `/api/apps/${app}/forms/${form.key}/draft`, form);
  if (saved.statusCode !== 200) throw new Error(`draft ${form.key}: ${saved.body}`);
  const published = await call('POST', `/api/apps/${app}/forms/${form.key}/publish`);
  if (published.statusCode !== 200) throw new Error(`publish ${form.key}: ${published.body}`);
  return published.json().version;
}

/**
 * A user holding one new role (key: the username without trailing digits) with `forms` of
 * `app`; returns a caller signed in as them.
 */
export async function userWithForms(
  t: TestApp,
  admin: SignedIn,
  app: string,
  username: string,
  forms: unknown,
): Promise<ReturnType<typeof caller>> {
  const call = caller(t, admin);
  const role = await call('POST', '/api/roles', {
    key: username.replace(/\d+$/, ''),
    name: label(username),
    permissions: { apps: { [app]: { forms } } },
  });
  if (role.statusCode !== 201) throw new Error(role.body);
  const password = `${username}-Password-1`;
  const created = await call('POST', '/api/users', { username, displayName: username, password });
  await call('PUT', `/api/users/${created.json().id}/roles`, { roleIds: [role.json().id] });
  return caller(t, await t.login(username, password));
}

/** The `record.unmask` audit entries so far, oldest first. */
export function unmaskAudits(t: TestApp) {
  return t.database.db
    .selectFrom('joinery.audit_log')
    .select(['actor_name', 'target', 'details'])
    .where('action', '=', 'record.unmask')
    .orderBy('id')
    .execute();
}
