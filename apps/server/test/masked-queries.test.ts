import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, label, publish, userWithForms } from './records-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

// Personal data a viewer sees masked cannot be probed through queries: not by list filters
// ("starts with 1101", one digit at a time), sorts (an order, and the sort values in the next
// page's cursor), text search, relation paths, exports, report definitions, dashboard filters or
// drill-downs. Each is refused naming the field (JNY_FIELD_MASKED_QUERY), or — text search,
// which looks into every field — simply does not look into it. Someone who may unmask the field
// may query it — yet a report grouped by it shows the groups masked even to them (a report
// leaves no audit entry) and drills by no such group. Encrypted fields in reports answer
// JNY_FIELD_ENCRYPTED_QUERY naming the field.

const MOBILE = '13812345678';
const ID = '11010519491231002X';
const customers = '/api/apps/guard/forms/customer/records';
const loans = '/api/apps/guard/forms/loan/records';

const customerForm = {
  key: 'customer',
  label: label('客户', 'Customer'),
  fields: [
    { id: 'c1', key: 'name', type: 'text', label: label('姓名', 'Name') },
    { id: 'c2', key: 'mobile', type: 'mobile', label: label('手机', 'Mobile') },
    {
      id: 'c3',
      key: 'id_number',
      type: 'national_id',
      label: label('身份证', 'ID number'),
      sensitive: true,
    },
    { id: 'c4', key: 'city', type: 'text', label: label('城市', 'City') },
  ],
};
const loanForm = {
  key: 'loan',
  label: label('贷款', 'Loan'),
  fields: [
    {
      id: 'l1',
      key: 'customer',
      type: 'relation',
      label: label('客户', 'Customer'),
      config: { form: 'customer' },
    },
    { id: 'l2', key: 'amount', type: 'money', label: label('金额', 'Amount') },
  ],
};

const report = (dimension: string, extra: Record<string, unknown> = {}) => ({
  version: 1,
  chart: { type: 'bar', version: 1 },
  sources: [{ key: 's', dataset: dimension.includes('.') ? 'loan' : 'customer' }],
  dimensions: [{ key: 'd', field: dimension }],
  measures: [{ key: 'n', op: 'count' }],
  ...extra,
});

let t: TestApp;
let admin: ReturnType<typeof caller>;
/** Sees personal data masked; may view and export every row. */
let support: ReturnType<typeof caller>;
/** May unmask the mobile and the ID number. */
let officer: ReturnType<typeof caller>;

const f = (logic: unknown) => `filter=${encodeURIComponent(JSON.stringify(logic))}`;

beforeAll(async () => {
  t = await createTestApp();
  admin = caller(t, await t.login('admin', t.adminPassword));
  await admin('POST', '/api/apps', { key: 'guard', label: label('守卫', 'Guard') });
  await publish(admin, 'guard', customerForm);
  await publish(admin, 'guard', loanForm);
  const all = { actions: ['view', 'export'], rows: 'all' };
  const signedIn = await t.login('admin', t.adminPassword);
  support = await userWithForms(t, signedIn, 'guard', 'support1', { customer: all, loan: all });
  officer = await userWithForms(t, signedIn, 'guard', 'officer1', {
    customer: {
      ...all,
      fields: { mobile: { unmask: true }, id_number: { unmask: true } },
    },
    loan: all,
  });
  const customer = await admin('POST', customers, {
    values: { name: 'Zhang', mobile: MOBILE, id_number: ID, city: 'Beijing' },
  });
  await admin('POST', customers, {
    values: { name: 'Li', mobile: '13900001111', id_number: '11010119900307125X', city: 'Xi’an' },
  });
  await admin('POST', loans, { values: { customer: customer.json().id, amount: '5000' } });
  for (const [key, definition] of Object.entries({
    by_city: report('city'),
    by_mobile: report('mobile'),
    by_customer_mobile: report('customer.mobile'),
    mobile_filtered: report('city', {
      sources: [{ key: 's', dataset: 'customer', filter: { in: ['1381', { var: 'mobile' }] } }],
    }),
    by_city_phone: report('city', { globalFields: { phone: 'mobile' } }),
  })) {
    const saved = await admin('PUT', `/api/apps/guard/reports/${key}`, { definition });
    if (saved.statusCode !== 200) throw new Error(`${key}: ${saved.body}`);
  }
});
afterAll(() => t.close());

/** [what, list url, query string]: each must be refused to `support`, naming `field`. */
const MASKED_PROBES: [string, string, string, string][] = [
  ['prefix of a mobile', customers, f({ in: ['1381', { var: 'mobile' }] }), 'mobile'],
  ['equality on a mobile', customers, f({ '==': [{ var: 'mobile' }, MOBILE] }), 'mobile'],
  ['range on a mobile', customers, f({ '>': [{ var: 'mobile' }, '138'] }), 'mobile'],
  [
    'mobile inside an or',
    customers,
    f({ or: [false, { '!=': [{ var: 'mobile' }, ''] }] }),
    'mobile',
  ],
  ['equality on an encrypted ID', customers, f({ '==': [{ var: 'id_number' }, ID] }), 'id_number'],
  ['a list of IDs', customers, f({ in: [{ var: 'id_number' }, [ID]] }), 'id_number'],
  ['a path into a mobile', customers, f({ '==': [{ var: 'mobile.length' }, 11] }), 'mobile.length'],
  ['sort by mobile', customers, 'sort=mobile', 'mobile'],
  ['sort by ID, descending', customers, 'sort=-id_number', 'id_number'],
  [
    'a mobile through a relation',
    loans,
    f({ '==': [{ var: 'customer.mobile' }, MOBILE] }),
    'customer.mobile',
  ],
  [
    'an ID through a relation',
    loans,
    f({ '==': [{ var: 'customer.id_number' }, ID] }),
    'customer.id_number',
  ],
];

describe('queries on personal data a viewer sees masked', () => {
  it.each(MASKED_PROBES)('refuse %s', async (_what, url, query, field) => {
    for (const path of [url, url.replace(/\/records$/, '/export')]) {
      const response = await support('GET', `${path}?${query}`);
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.code).toBe('JNY_FIELD_MASKED_QUERY');
      expect(response.json().error.message).toContain(field);
      expect(response.body).not.toContain(MOBILE);
    }
  });

  it('name the field in zh-CN too', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `${customers}?sort=mobile`,
      headers: {
        ...(await t.login('support1', 'support1-Password-1')).headers,
        'accept-language': 'zh-CN',
      },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toBe(
      '字段 mobile 对您脱敏显示：不能按它筛选、排序、搜索，也不能在报表中按它分组、汇总或筛选',
    );
  });

  it('let whoever may unmask them filter and sort on them', async () => {
    const prefix = await officer('GET', `${customers}?${f({ in: ['1381', { var: 'mobile' }] })}`);
    expect(prefix.statusCode, prefix.body).toBe(200);
    expect(prefix.json().items.map((r: { values: { name: string } }) => r.values.name)).toEqual([
      'Zhang',
    ]);
    const byId = await officer('GET', `${customers}?${f({ '==': [{ var: 'id_number' }, ID] })}`);
    expect(byId.json().items).toHaveLength(1);
    const sorted = await officer('GET', `${customers}?sort=-mobile`);
    expect(sorted.statusCode).toBe(200);
    const related = await officer(
      'GET',
      `${loans}?${f({ '==': [{ var: 'customer.mobile' }, MOBILE] })}`,
    );
    expect(related.json().items).toHaveLength(1);
  });

  it('leave them out of a text search, for lists and exports', async () => {
    for (const q of ['12345', MOBILE, ID]) {
      const masked = await support('GET', `${customers}?q=${q}`);
      expect(masked.statusCode).toBe(200);
      expect(masked.json().items, `support searching ${q}`).toEqual([]);
      const clear = await officer('GET', `${customers}?q=${q}`);
      expect(clear.json().items, `officer searching ${q}`).toHaveLength(1);
      const exported = await support('GET', `/api/apps/guard/forms/customer/export?q=${q}`);
      expect(exported.statusCode).toBe(200);
      expect(exported.body.trim().split('\r\n')).toHaveLength(1); // the header only
    }
    const city = await support('GET', `${customers}?q=Beij`);
    expect(city.json().items).toHaveLength(1); // fields in clear are still searched
  });

  it('are named in the caller’s rights, so the list offers no filter or sort on them', async () => {
    const rights = async (who: ReturnType<typeof caller>) =>
      (await who('GET', '/api/me/access')).json().apps.guard.customer;
    expect((await rights(support)).masked).toEqual(['mobile', 'id_number']);
    expect((await rights(officer)).masked).toEqual([]);
  });

  it('still show them masked when a list selects them', async () => {
    const listed = await support('GET', `${customers}?fields=mobile,id_number&sort=name`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items[1].values).toEqual({
      mobile: '138****5678',
      id_number: '110***********002X',
    });
  });
});

describe('reports over personal data a viewer sees masked', () => {
  const run = (who: ReturnType<typeof caller>, key: string, body: unknown = {}) =>
    who('POST', `/api/apps/guard/reports/${key}/run`, body);

  it.each([
    ['by_mobile', 'mobile'],
    ['by_customer_mobile', 'customer.mobile'],
    ['mobile_filtered', 'mobile'],
  ])('refuse %s, naming %s, and leave it out of their list', async (key, field) => {
    const refused = await run(support, key);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('JNY_FIELD_MASKED_QUERY');
    expect(refused.json().error.message).toContain(field);
    expect(refused.body).not.toContain(MOBILE);
    const drill = await support('POST', `/api/apps/guard/reports/${key}/drill`, {
      point: { dimensions: { d: 'Beijing' } },
    });
    expect(drill.statusCode).toBe(403);
    expect((await run(officer, key)).statusCode).toBe(200);
    const listed = await support('GET', '/api/apps/guard/reports');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items.map((r: { key: string }) => r.key)).not.toContain(key);
  });

  it('refuse a dashboard filter bound to one', async () => {
    const phone = { in: ['1381', { var: 'phone' }] };
    const probe = await run(support, 'by_city_phone', { globalFilters: [phone] });
    expect(probe.statusCode, probe.body).toBe(403);
    expect(probe.json().error.code).toBe('JNY_FIELD_MASKED_QUERY');
    expect((await run(support, 'by_city_phone')).statusCode).toBe(200);
    const clear = await run(officer, 'by_city_phone', { globalFilters: [phone] });
    expect(clear.statusCode, clear.body).toBe(200);
  });
});

describe('reports grouped by personal data, for a viewer who may unmask it', () => {
  const unmaskAudits = async () =>
    (
      await t.database.db
        .selectFrom('joinery.audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', 'record.unmask')
        .executeTakeFirstOrThrow()
    ).n;

  it.each([
    ['by_mobile', 'mobile', { d: '138****5678', n: 1 }],
    ['by_customer_mobile', 'customer.mobile', { d: '138****5678', n: 1 }],
  ])(
    'show %s masked in its labels, audit nothing, and drill by it for no one',
    async (key, field, point) => {
      const audits = await unmaskAudits();
      const ran = await officer('POST', `/api/apps/guard/reports/${key}/run`, {});
      expect(ran.statusCode, ran.body).toBe(200);
      expect(ran.body).not.toContain(MOBILE);
      const { columns, rows } = ran.json().table as {
        columns: { key: string }[];
        rows: unknown[][];
      };
      const at = (name: string) => columns.findIndex((column) => column.key === name);
      expect(rows.map((row) => ({ d: row[at('d')], n: row[at('n')] }))).toContainEqual(point);
      for (const value of [point.d, MOBILE]) {
        const drill = await officer('POST', `/api/apps/guard/reports/${key}/drill`, {
          point: { dimensions: { d: value } },
        });
        expect(drill.statusCode, drill.body).toBe(403);
        expect(drill.json().error).toMatchObject({ code: 'JNY_REPORT_DRILL_MASKED' });
        expect(drill.json().error.message).toContain(field);
      }
      expect(await unmaskAudits()).toBe(audits);
    },
  );

  it('still drill by other dimensions', async () => {
    const drill = await officer('POST', '/api/apps/guard/reports/by_city/drill', {
      point: { dimensions: { d: 'Beijing' } },
    });
    expect(drill.statusCode, drill.body).toBe(200);
  });
});

describe('reports naming an encrypted field', () => {
  const idFilter = { '==': [{ var: 'id_number' }, ID] };

  it.each([
    ['a dimension', report('id_number'), 'id_number'],
    ['a dimension through a relation', report('customer.id_number'), 'customer.id_number'],
    [
      'a measure',
      report('city', { measures: [{ key: 'n', op: 'count_distinct', field: 'id_number' }] }),
      'id_number',
    ],
    ['a global field', report('city', { globalFields: { who: 'id_number' } }), 'id_number'],
  ])(
    'refuse %s with the encrypted-field error, in zh-CN and en',
    async (_what, definition, field) => {
      for (const [locale, text] of [
        ['en', `The field ${field} is stored encrypted`],
        ['zh-CN', `字段 ${field} 加密存储`],
      ] as const) {
        const saved = await t.app.inject({
          method: 'PUT',
          url: '/api/apps/guard/reports/encrypted',
          headers: {
            ...(await t.login('admin', t.adminPassword)).headers,
            'accept-language': locale,
          },
          payload: { definition },
        });
        expect(saved.statusCode, saved.body).toBe(400);
        expect(saved.json().error.code).toBe('JNY_FIELD_ENCRYPTED_QUERY');
        expect(saved.json().error.message).toContain(text);
      }
    },
  );

  it.each([
    ['a source filter', { sources: [{ key: 's', dataset: 'customer', filter: idFilter }] }],
    ['a measure filter', { measures: [{ key: 'n', op: 'count', filter: idFilter }] }],
  ])('refuse %s on one, so no such report is saved to break later', async (_what, extra) => {
    const saved = await admin('PUT', '/api/apps/guard/reports/id_filtered', {
      definition: report('city', extra),
    });
    expect(saved.statusCode, saved.body).toBe(400);
    expect(saved.json().error.code).toBe('JNY_FIELD_ENCRYPTED_QUERY');
    expect(saved.json().error.message).toContain('id_number');
    expect((await support('GET', '/api/apps/guard/reports')).statusCode).toBe(200);
  });
});

describe('a saved report over a field a later publish encrypts', () => {
  it('is left out of report lists, and refused when run naming the field', async () => {
    await publish(admin, 'guard', {
      ...customerForm,
      fields: customerForm.fields.map((field) =>
        field.key === 'city' ? { ...field, sensitive: true } : field,
      ),
    });
    const listed = await officer('GET', '/api/apps/guard/reports');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items.map((r: { key: string }) => r.key)).not.toContain('by_city');
    const refused = await officer('POST', '/api/apps/guard/reports/by_city/run', {});
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.code).toBe('JNY_FIELD_ENCRYPTED_QUERY');
    expect(refused.json().error.message).toContain('city');
  });
});
