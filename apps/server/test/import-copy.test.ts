// The import's COPY path against a real PostgreSQL: a record loaded by COPY equals one created
// through the records API field by field (sensitive fields sealed by the same codec, with the
// same blind index), with its history entry, its serial number and the rollups it feeds; a row
// the database refuses inside a COPY batch is found and reported, the others still load.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

let t: TestApp;
let admin: SignedIn;
let call: ReturnType<typeof caller>;
let dir: string;
const base = '/api/apps/bulk/forms/deal';

const customer = {
  key: 'customer',
  label: label('客户', 'Customer'),
  fields: [
    { id: 'c1', key: 'name', type: 'text', label: label('姓名', 'Name') },
    {
      id: 'c2',
      key: 'deal_count',
      type: 'rollup',
      label: label('笔数', 'Deals'),
      config: { aggregate: 'count', form: 'deal', via: 'customer' },
    },
    {
      id: 'c3',
      key: 'deal_total',
      type: 'rollup',
      label: label('合计', 'Total'),
      config: { aggregate: 'sum', form: 'deal', via: 'customer', field: 'amount' },
    },
  ],
};

const deal = {
  key: 'deal',
  label: label('交易', 'Deal'),
  fields: [
    {
      id: 'd1',
      key: 'title',
      type: 'text',
      label: label('标题', 'Title'),
      validations: { required: true },
    },
    {
      id: 'd2',
      key: 'mobile',
      type: 'mobile',
      label: label('手机', 'Mobile'),
      validations: { unique: true },
      sensitive: true,
    },
    {
      id: 'd3',
      key: 'id_number',
      type: 'national_id',
      label: label('身份证', 'ID number'),
      sensitive: true,
    },
    { id: 'd4', key: 'amount', type: 'money', label: label('金额', 'Amount') },
    { id: 'd5', key: 'day', type: 'date', label: label('日期', 'Day') },
    { id: 'd6', key: 'moment', type: 'datetime', label: label('时间', 'Moment') },
    {
      id: 'd7',
      key: 'tags',
      type: 'multiselect',
      label: label('标签', 'Tags'),
      config: { options: ['vip', 'new', 'old'].map((value) => ({ value, label: label(value) })) },
    },
    { id: 'd8', key: 'active', type: 'checkbox', label: label('有效', 'Active') },
    { id: 'd9', key: 'count', type: 'number', label: label('数量', 'Count') },
    { id: 'd10', key: 'notes', type: 'textarea', label: label('备注', 'Notes') },
    {
      id: 'd11',
      key: 'customer',
      type: 'relation',
      label: label('客户', 'Customer'),
      config: { form: 'customer' },
    },
    {
      id: 'd12',
      key: 'no',
      type: 'serial',
      label: label('编号', 'No'),
      config: { pattern: 'D-{counter:5}' },
    },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'joinery-import-copy-'));
  t = await createTestApp({
    JOINERY_DATA_DIR: dir,
    JOINERY_ENCRYPTION_KEY_FILE: join(dir, 'keys.json'),
  });
  admin = await t.login('admin', t.adminPassword);
  call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'bulk', label: label('批量', 'Bulk') });
  await publish(call, 'bulk', { ...customer, fields: customer.fields.slice(0, 1) });
  await publish(call, 'bulk', deal);
  await publish(call, 'bulk', customer);
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function importCsv(csv: string, query = '') {
  const boundary = '----joinery-copy-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="d.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `${base}/imports${query ? `?${query}` : ''}`,
    headers: {
      ...admin.headers,
      'accept-language': 'en',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
}

const stored = async (id: string) =>
  (
    await t.database.pool.query(
      'select mobile, mobile__bidx, id_number, id_number__bidx, created_by, updated_by, owner, version from app_bulk.deal where id = $1',
      [id],
    )
  ).rows[0] as Record<string, string | number>;

/** The record's history entries as stored: its own, and its import batch's (naming the job). */
const history = async (id: string) =>
  (
    await t.database.pool.query(
      `select action, record_version, changes::text as changes, changed_by, import_job_id
       from joinery.record_history where record_id = $1 or record_ids @> array[$1]::uuid[]
       order by id`,
      [id],
    )
  ).rows;

describe('import by COPY', () => {
  it('stores a row as the records API does, with history, serial and rollups', async () => {
    const owner = (
      await call('POST', '/api/apps/bulk/forms/customer/records', { values: { name: 'Li' } })
    ).json();
    const values = {
      title: '第一, "quoted"',
      mobile: '13812345678',
      id_number: '11010519491231002X',
      amount: '1234.50',
      day: '2026-11-23',
      moment: '2026-11-23T00:30:00.000Z',
      tags: ['vip', 'old'],
      active: true,
      count: 2.5,
      notes: 'line 1\nline 2\ttab \\ slash',
      customer: owner.id,
    };
    const created = await call('POST', `${base}/records`, { values });
    expect(created.statusCode, created.body).toBe(201);
    const api = created.json();
    // Room for the same unique mobile: the API's record goes (soft delete), the import follows.
    expect((await call('DELETE', `${base}/records/${api.id}`)).statusCode).toBe(200);

    const csv = [
      'title,mobile,id_number,amount,day,moment,tags,active,count,notes,customer',
      `"第一, ""quoted""",138 1234 5678,11010519491231002x,1234.5,2026-11-23,2026-11-23T08:30:00+08:00,vip;old,是,2.5,"line 1\nline 2\ttab \\ slash",${owner.id}`,
    ].join('\n');
    const imported = await importCsv(csv);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ status: 'succeeded', insertedRows: 1 });
    const list = (
      await call(
        'GET',
        `${base}/records?filter=${encodeURIComponent('{"==":[{"var":"mobile"},"13812345678"]}')}`,
      )
    ).json().items;
    expect(list).toHaveLength(1);
    const copy = list[0];
    const { no: apiNo, ...apiValues } = api.values;
    const { no: copyNo, ...copyValues } = copy.values;
    expect(copyValues).toEqual(apiValues);
    expect(apiNo).toBe('D-00001');
    expect(copyNo).toBe('D-00002');
    expect(copy).toMatchObject({ version: 1, createdBy: api.createdBy, owner: api.owner });

    // At rest: ciphertext under the same key, the same blind index, the same system columns.
    const [a, b] = [await stored(api.id), await stored(copy.id)];
    expect(String(b.mobile)).toMatch(/^jny1:/);
    expect(String(b.id_number)).not.toContain('1101');
    expect(b.mobile__bidx).toBe(a.mobile__bidx);
    expect(b.id_number__bidx).toBe(a.id_number__bidx);
    expect({ ...b, mobile: 0, id_number: 0 }).toEqual({
      ...a,
      mobile: 0,
      id_number: 0,
      version: 1,
    });

    // History: the import's entry, by the importer, naming the job, with no clear sensitive
    // value — and the records API shows it as the record's own.
    const entries = await history(copy.id);
    expect(entries).toEqual([
      {
        action: 'import',
        record_version: 1,
        changes: '{}',
        changed_by: b.created_by,
        import_job_id: imported.json().id,
      },
    ]);
    const shown = (await call('GET', `${base}/records/${copy.id}/history`)).json().items;
    expect(shown).toEqual([
      {
        action: 'import',
        version: 1,
        changes: {},
        changedBy: b.created_by,
        changedByName: expect.any(String),
        changedAt: expect.any(String),
      },
    ]);
    expect((await history(api.id)).map((e) => e.changes).join()).not.toContain('1381234');

    // The rollups over deals count the imported one (the API's is deleted).
    const totals = (await call('GET', `/api/apps/bulk/forms/customer/records/${owner.id}`)).json();
    expect([Number(totals.values.deal_count), Number(totals.values.deal_total)]).toEqual([
      1, 1234.5,
    ]);
  });

  it('finds the rows the database refuses in a COPY batch and loads the others', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `row ${i},139${String(i).padStart(8, '0')}`);
    rows.push('dup of 3,13900000003', 'dup of existing,13812345678');
    const skip = await importCsv(['title,mobile', ...rows].join('\n'), 'mode=skip-invalid');
    expect(skip.statusCode, skip.body).toBe(200);
    expect(skip.json()).toMatchObject({ insertedRows: 30, invalidRows: 2 });
    expect(skip.json().problems.map((p: { message: string }) => p.message)).toEqual([
      expect.stringMatching(/^row 32, field mobile: /),
      expect.stringMatching(/^row 33, field mobile: /),
    ]);
    const count = await t.database.pool.query(
      `select count(*)::int as n, count(distinct no)::int as serials from app_bulk.deal where title like 'row %'`,
    );
    expect(count.rows[0]).toEqual({ n: 30, serials: 30 });
    const all = await importCsv('title,mobile\nfresh,13700000000\ndup,13900000004');
    expect(all.statusCode).toBe(400);
    const fresh = await t.database.pool.query(
      `select count(*)::int as n from app_bulk.deal where title = 'fresh'`,
    );
    expect(fresh.rows[0].n).toBe(0);
  });
});
