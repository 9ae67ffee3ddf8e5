import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/database/migrations/index.ts';
import { caller, everyTypeForm, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

let t: TestApp;
let admin: SignedIn;
let call: ReturnType<typeof caller>;
let dataDir: string;
const base = '/api/apps/io/forms/sample';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'joinery-import-'));
  t = await createTestApp({ JOINERY_DATA_DIR: dataDir });
  admin = await t.login('admin', t.adminPassword);
  call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'io', label: label('导入导出', 'IO') });
  await publish(call, 'io', everyTypeForm);
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const rowCount = async () =>
  Number(
    (await t.database.pool.query('select count(*) from app_io.sample where deleted_at is null'))
      .rows[0].count,
  );

function multipart(name: string, content: Buffer, type = 'text/csv') {
  const boundary = '----joinery-import-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function importFile(name: string, content: Buffer | string, query = '', locale = 'en') {
  const body = multipart(name, Buffer.from(content));
  return t.app.inject({
    method: 'POST',
    url: `${base}/imports${query ? `?${query}` : ''}`,
    headers: { ...admin.headers, ...body.headers, 'accept-language': locale },
    payload: body.payload,
  });
}

async function exportFile(query: string) {
  return t.app.inject({ method: 'GET', url: `${base}/export?${query}`, headers: admin.headers });
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);

async function seed() {
  const body = multipart('p.png', PNG, 'image/png');
  const photo = await t.app.inject({
    method: 'POST',
    url: `${base}/files?field=photo`,
    headers: { ...admin.headers, ...body.headers },
    payload: body.payload,
  });
  expect(photo.statusCode, photo.body).toBe(201);
  const { sha256: _sha, ...reference } = photo.json();
  const people = await t.database.pool.query('select id from joinery.users limit 1');
  const values = [
    {
      title: '第一条, "quoted"',
      notes: 'line 1\nline 2',
      count: 2.5,
      price: '1234.50',
      rate: '12.5',
      day: '2026-11-23',
      moment: '2026-11-23T00:30:00.000Z',
      grade: 'B',
      tags: ['vip', 'old'],
      active: true,
      mobile: '13812345678',
      email: 'a@example.com',
      id_number: '11010519491231002X',
      account: '6222020200112233445',
      site: 'https://example.com/a?b=1',
      person: people.rows[0].id,
      photo: [reference],
    },
    { title: 'second', price: '-0.10', active: false, grade: 'A' },
  ];
  const created = await call('POST', `${base}/records/bulk`, {
    create: values.map((v) => ({ values: v })),
  });
  expect(created.statusCode, created.body).toBe(200);
  return created.json().created as { id: string; values: Record<string, unknown> }[];
}

const comparable = (values: Record<string, unknown>) => {
  const { code: _code, ...rest } = values;
  return rest;
};

describe('export and import', () => {
  it('round-trips every field type through CSV and XLSX', async () => {
    const originals = await seed();
    for (const format of ['csv', 'xlsx'] as const) {
      const exported = await exportFile(`format=${format}&sort=title`);
      expect(exported.statusCode, exported.body).toBe(200);
      // Make room: the unique mobile and the originals go (soft delete), the file is re-imported.
      const current = (await call('GET', `${base}/records?limit=100`)).json().items;
      await call('POST', `${base}/records/bulk`, {
        delete: current.map((r: { id: string }) => ({ id: r.id })),
      });
      const imported = await importFile(`export.${format}`, exported.rawPayload);
      expect(imported.statusCode, imported.body).toBe(200);
      expect(imported.json()).toMatchObject({
        status: 'succeeded',
        insertedRows: 2,
        invalidRows: 0,
      });
      const back = (await call('GET', `${base}/records?sort=title`)).json().items;
      expect(back.map((r: { values: Record<string, unknown> }) => comparable(r.values))).toEqual(
        [...originals]
          .sort((a, b) => String(a.values.title).localeCompare(String(b.values.title)))
          .map((r) => comparable(r.values)),
      );
    }
  });

  it('exports only what the filter selects', async () => {
    const exported = await exportFile(
      `format=csv&filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'grade' }, 'A'] }))}`,
    );
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    const lines = exported.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('second');
    const bad = await exportFile('format=csv&sort=drop%20table');
    expect(bad.statusCode).toBe(400);
  });

  it('dry-runs, refuses all-or-nothing with every invalid row, and skips invalid rows', async () => {
    const before = await rowCount();
    const csv = [
      '标题,价格,等级',
      'ok one,10.00,A',
      ',5.00,B',
      'bad price,1.234,C',
      'bad grade,1.00,Z',
      'ok two,3,B',
    ].join('\n');
    const dry = await importFile('x.csv', csv, 'dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({
      status: 'checked',
      totalRows: 5,
      invalidRows: 3,
      insertedRows: 0,
    });
    expect(dry.json().problems.map((p: { message: string }) => p.message)).toEqual([
      expect.stringMatching(/^row 3, field title: /),
      expect.stringMatching(/^row 4, field price: /),
      expect.stringMatching(/^row 5, field grade: /),
    ]);
    const zh = await importFile('x.csv', csv, 'dryRun=true', 'zh-CN');
    expect(zh.json().problems[0].message).toMatch(/^第 3 行，字段 title：/);
    const all = await importFile('x.csv', csv);
    expect(all.statusCode).toBe(400);
    expect(all.json().error.code).toBe('JNY_IMPORT_ROWS_INVALID');
    expect(all.json().error.fields).toHaveLength(3);
    expect(await rowCount()).toBe(before);
    const skip = await importFile('x.csv', csv, 'mode=skip-invalid');
    expect(skip.statusCode).toBe(200);
    expect(skip.json()).toMatchObject({ status: 'succeeded', insertedRows: 2, invalidRows: 3 });
    expect(await rowCount()).toBe(before + 2);
  });

  it('maps columns explicitly and reports progress of a background import', async () => {
    const before = await rowCount();
    const rows = ['Name,Cost', ...Array.from({ length: 2500 }, (_, i) => `bulk ${i},${i}.50`)].join(
      '\n',
    );
    const mapping = encodeURIComponent(JSON.stringify({ Name: 'title', Cost: 'price' }));
    const started = await importFile('bulk.csv', rows, `mapping=${mapping}&wait=false`);
    expect(started.statusCode, started.body).toBe(202);
    let job = started.json();
    for (let i = 0; i < 100 && job.status === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await call('GET', `${base}/imports/${job.id}`)).json();
    }
    expect(job).toMatchObject({
      status: 'succeeded',
      totalRows: 2500,
      processedRows: 2500,
      insertedRows: 2500,
    });
    expect(await rowCount()).toBe(before + 2500);
    const history = await call(
      'GET',
      `${base}/records?filter=${encodeURIComponent('{"==":[{"var":"title"},"bulk 7"]}')}`,
    );
    const record = history.json().items[0];
    expect(record.values.price).toBe('7.50');
    const entries = (await call('GET', `${base}/records/${record.id}/history`)).json().items;
    expect(entries[0]).toMatchObject({ action: 'import', version: 1 });
    expect(entries[0].changedBy).toBeTruthy();
    // One history entry per batch of 1,000, naming the job, together listing every record once.
    const batches = (
      await t.database.pool.query(
        `select cardinality(record_ids) as size, import_job_id from joinery.record_history
         where record_ids && (select array_agg(id) from app_io.sample where title like 'bulk %')
         order by id`,
      )
    ).rows;
    expect(batches).toEqual([1000, 1000, 500].map((size) => ({ size, import_job_id: job.id })));
    // A later change follows the import in the record's history.
    const changed = await call('PATCH', `${base}/records/${record.id}`, {
      version: 1,
      values: { price: '8.50' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const after = (await call('GET', `${base}/records/${record.id}/history`)).json().items;
    expect(after.map((entry: { action: string }) => entry.action)).toEqual(['import', 'update']);
    expect(after[1].changes).toEqual({ price: { from: '7.50', to: '8.50' } });

    const badMapping = await importFile(
      'x.csv',
      'a,b\n1,2',
      `mapping=${encodeURIComponent('{"a":"total"}')}`,
    );
    expect(badMapping.statusCode).toBe(400);
    expect(badMapping.json().error.code).toBe('JNY_IMPORT_MAPPING_INVALID');
    const noColumns = await importFile('x.csv', 'x;y\n1;2');
    expect(noColumns.statusCode).toBe(400);
  });

  it('refuses hostile files with 4xx and changes nothing', async () => {
    const before = await rowCount();
    const garbage = await importFile(
      'evil.xlsx',
      Buffer.from('PK\u0003\u0004 this is not a zip file at all'),
    );
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.code).toBe('JNY_IMPORT_FILE_INVALID');
    const binary = await importFile(
      'evil.csv',
      Buffer.from([0x74, 0x69, 0x74, 0x6c, 0x65, 0x0a, 0x00, 0x01, 0x02]),
    );
    expect(binary.statusCode).toBe(400);
    const wide = await importFile(
      'wide.csv',
      `${Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')}\n1`,
    );
    expect(wide.statusCode).toBe(413);
    const hugeCell = await importFile('huge.csv', `title\n${'x'.repeat(20_000)}`);
    expect(hugeCell.statusCode).toBe(413);
    const empty = await importFile('empty.csv', '');
    expect(empty.statusCode).toBe(400);
    const quotes = await importFile('q.csv', 'title,price\n"unterminated,1.00\n');
    expect(quotes.statusCode).toBeGreaterThanOrEqual(400);
    expect(quotes.statusCode).toBeLessThan(500);
    const injection = await importFile(
      'sql.csv',
      "title,grade\n\"x'); drop table app_io.sample; --\",A\n=cmd|' /C calc'!A0,B",
    );
    expect(injection.statusCode).toBe(200);
    expect(await rowCount()).toBe(before + 2);
  });

  it('reads a real XLSX written by exceljs with dates and numbers as cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('data');
    sheet.addRow(['title', 'day', 'count', 'price', 'active', 'tags']);
    sheet.addRow(['from excel', new Date(Date.UTC(2026, 0, 31)), 7, 12.5, true, 'vip;new']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const imported = await importFile('book.xlsx', buffer);
    expect(imported.statusCode, imported.body).toBe(200);
    const found = (
      await call(
        'GET',
        `${base}/records?filter=${encodeURIComponent('{"==":[{"var":"title"},"from excel"]}')}`,
      )
    ).json().items[0];
    expect(found.values).toMatchObject({
      day: '2026-01-31',
      count: 7,
      price: '12.50',
      active: true,
      tags: ['vip', 'new'],
    });
  });

  it('keeps every imported record its import entry when the batch migration is undone and redone', async () => {
    const imported = await importFile('undo.csv', 'title\nundo 1\nundo 2\nundo 3');
    expect(imported.statusCode, imported.body).toBe(200);
    const ids = (
      await t.database.pool.query("select id from app_io.sample where title like 'undo %'")
    ).rows.map((row: { id: string }) => row.id);
    expect(ids).toHaveLength(3);
    const shown = async (id: string) =>
      (await call('GET', `${base}/records/${id}/history`)).json().items;
    const before = await Promise.all(ids.map(shown));
    for (const entries of before) expect(entries).toMatchObject([{ action: 'import', version: 1 }]);
    const migration = migrations['0017-record-history-import-batches'];
    if (!migration?.down) throw new Error('no migration 0017 with a down');
    await migration.down(t.database.db);
    // One row per record again, as before batches: the same entry, by the same user, at the same time.
    const own = await t.database.pool.query(
      'select record_id from joinery.record_history where record_id = any($1)',
      [ids],
    );
    expect(own.rows.map((row: { record_id: string }) => row.record_id).sort()).toEqual(
      [...ids].sort(),
    );
    await migration.up(t.database.db);
    expect(await Promise.all(ids.map(shown))).toEqual(before);
  });
});
