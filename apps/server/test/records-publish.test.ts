import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as dropDuplicateCreatedIndexes } from '../src/database/migrations/0018-drop-duplicate-created-indexes.ts';
import {
  caller,
  customerForm,
  customerWithTotals,
  label,
  loanForm,
  publish,
} from './records-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
let call: ReturnType<typeof caller>;
const base = '/api/apps/evo/forms/item';

beforeAll(async () => {
  t = await createTestApp();
  call = caller(t, await t.login('admin', t.adminPassword));
  await call('POST', '/api/apps', { key: 'evo', label: label('演进', 'Evolution') });
});
afterAll(() => t.close());

interface Field {
  id: string;
  key: string;
  type: string;
  label: { 'zh-CN': string; en: string };
  config?: Record<string, unknown>;
}
const field = (id: string, key: string, type: string, config?: Record<string, unknown>): Field => ({
  id,
  key,
  type,
  label: label(key),
  ...(config && { config }),
});
const form = (fields: Field[]) => ({ key: 'item', label: label('条目', 'Item'), fields });
const columnType = async (column: string) => {
  const found = await t.database.pool.query(
    `select data_type from information_schema.columns
     where table_schema = 'app_evo' and table_name = 'item' and column_name = $1`,
    [column],
  );
  return found.rows[0]?.data_type as string | undefined;
};

describe('publishing a form that has data', () => {
  it('renames, adds, re-orders, retypes, deletes and purges without losing data', async () => {
    await publish(
      call,
      'evo',
      form([field('a', 'name', 'text'), field('b', 'qty', 'text'), field('c', 'note', 'text')]),
    );
    const created = await call('POST', `${base}/records`, {
      values: { name: 'bolt', qty: '12', note: 'keep me' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;

    // Rename name → title, retype qty text → number, move note first, drop note from the draft,
    // add price.
    const v2 = await publish(
      call,
      'evo',
      form([
        field('b', 'qty', 'number'),
        field('a', 'title', 'text'),
        field('d', 'price', 'money'),
      ]),
    );
    expect(v2).toBe(2);
    const read = (await call('GET', `${base}/records/${id}`)).json();
    expect(read.values).toEqual({ qty: 12, title: 'bolt', price: null });
    expect(await columnType('qty')).toBe('numeric');
    // The deleted field is hidden and refused as input, but its data stays.
    const refused = await call('PATCH', `${base}/records/${id}`, {
      version: 1,
      values: { note: 'x' },
    });
    expect(refused.statusCode).toBe(400);
    const raw = await t.database.pool.query('select note from app_evo.item where id = $1', [id]);
    expect(raw.rows[0].note).toBe('keep me');
    const definition = (await call('GET', base)).json().definition;
    expect(definition.fields.find((f: Field) => f.id === 'c').deleted).toBe(true);

    // Bringing the field back (same id) brings its data back.
    await publish(
      call,
      'evo',
      form([
        field('b', 'qty', 'number'),
        field('a', 'title', 'text'),
        field('d', 'price', 'money'),
        field('c', 'note', 'text'),
      ]),
    );
    expect((await call('GET', `${base}/records/${id}`)).json().values.note).toBe('keep me');

    // Delete it again and purge: the column goes.
    await publish(
      call,
      'evo',
      form([
        field('b', 'qty', 'number'),
        field('a', 'title', 'text'),
        field('d', 'price', 'money'),
      ]),
    );
    const purged = await call('POST', `${base}/purge`, { field: 'note' });
    expect(purged.statusCode, purged.body).toBe(200);
    expect(await columnType('note')).toBeUndefined();
    const notDeleted = await call('POST', `${base}/purge`, { field: 'title' });
    expect(notDeleted.statusCode).toBe(409);
  });

  it('refuses a type change listing the rows that would not convert, changing nothing', async () => {
    const bad = await call('POST', '/api/apps/evo/forms/item/records', {
      values: { title: '42abc' },
    });
    expect(bad.statusCode).toBe(201);
    const before = (await call('GET', base)).json().version;
    const saved = await call('PUT', `${base}/draft`, {
      ...form([
        field('b', 'qty', 'number'),
        field('a', 'title', 'number'),
        field('d', 'price', 'money'),
      ]),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const refused = await call('POST', `${base}/publish`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('JNY_FORM_TYPE_CHANGE_ROWS_UNCONVERTIBLE');
    expect(refused.json().error.fields).toHaveLength(2); // "bolt" and "42abc"
    expect(refused.json().error.fields).toContainEqual({
      field: `records/${bad.json().id}`,
      reason: expect.stringContaining('42abc'),
    });
    expect((await call('GET', base)).json().version).toBe(before);
    expect(await columnType('title')).toBe('text');

    const unsupported = await call('PUT', `${base}/draft`, {
      ...form([field('b', 'qty', 'multiselect', { options: [{ value: 'x', label: label('x') }] })]),
    });
    expect(unsupported.statusCode).toBe(200);
    const refusedToo = await call('POST', `${base}/publish`);
    expect(refusedToo.statusCode).toBe(409);
    expect(refusedToo.json().error.code).toBe('JNY_FORM_PUBLISH_REFUSED');
    expect(refusedToo.json().error.fields[0].field).toBe('fields/b');
  });

  it('keeps every value through a random sequence of renames, additions and re-orders', async () => {
    await call('POST', '/api/apps', { key: 'rnd', label: label('随机', 'Random') });
    let seed = 20261123;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let fields: Field[] = [field('f0', 'k0', 'text')];
    const url = '/api/apps/rnd/forms/item';
    const expected = new Map<string, Map<string, unknown>>();
    await publish(call, 'rnd', form(fields));
    for (let step = 0; step < 12; step += 1) {
      const values: Record<string, unknown> = {};
      for (const f of fields) values[f.key] = `${f.id}-${step}`;
      const created = await call('POST', `${url}/records`, { values });
      expect(created.statusCode, created.body).toBe(201);
      expected.set(created.json().id, new Map(fields.map((f) => [f.id, values[f.key]])));
      const action = random(3);
      if (action === 0) fields = [...fields, field(`f${step + 1}`, `new${step}`, 'text')];
      else if (action === 1) {
        const i = random(fields.length);
        fields = fields.map((f, j) => (j === i ? { ...f, key: `${f.key}_r${step}` } : f));
      } else fields = [...fields].reverse();
      await publish(call, 'rnd', form(fields));
      const page = (await call('GET', `${url}/records?limit=500`)).json();
      for (const record of page.items) {
        const want = expected.get(record.id);
        for (const f of fields) {
          expect(record.values[f.key]).toBe(want?.get(f.id) ?? null);
        }
      }
    }
  });

  it('computes a new rollup over related records for the records that already exist', async () => {
    await call('POST', '/api/apps', { key: 'roll', label: label('汇总', 'Rollups') });
    await publish(call, 'roll', customerForm);
    await publish(call, 'roll', loanForm);
    const customer = (
      await call('POST', '/api/apps/roll/forms/customer/records', { values: { name: '赵六' } })
    ).json();
    for (const amount of ['1000.00', '2500.50']) {
      const loan = await call('POST', '/api/apps/roll/forms/loan/records', {
        values: { customer: customer.id, amount },
      });
      expect(loan.statusCode, loan.body).toBe(201);
    }
    await publish(call, 'roll', customerWithTotals);
    const read = (await call('GET', `/api/apps/roll/forms/customer/records/${customer.id}`)).json();
    expect(read.values).toMatchObject({ loan_total: '3500.5', loan_count: '2' });
  });
});

describe('the default list order index', () => {
  const createdIndexes = async () => {
    const found = await t.database.pool.query<{ name: string }>(
      `select indexname as name from pg_indexes
       where schemaname = 'app_idx' and tablename = 'customer'
         and indexdef like '%(created_at, id)' order by indexname`,
    );
    return found.rows.map((row) => row.name);
  };

  it('is created once by a first publish, and the migration drops a twin an earlier one made', async () => {
    await call('POST', '/api/apps', { key: 'idx', label: label('索引', 'Indexes') });
    await publish(call, 'idx', customerForm);
    const [planned, ...others] = await createdIndexes();
    expect(others).toEqual([]);

    await t.database.pool.query(
      'create index jny_i_0123456789abcdef on app_idx.customer (created_at, id)',
    );
    // A hashed index on other columns is no twin and stays.
    await t.database.pool.query(
      'create index jny_i_fedcba9876543210 on app_idx.customer (created_at)',
    );
    // Migrations take an untyped Kysely (they run against any schema version).
    await dropDuplicateCreatedIndexes(t.database.db as unknown as Kysely<unknown>);
    expect(await createdIndexes()).toEqual([planned]);
    const kept = await t.database.pool.query(
      "select from pg_indexes where schemaname = 'app_idx' and indexname = 'jny_i_fedcba9876543210'",
    );
    expect(kept.rowCount).toBe(1);
  });
});
