import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../test/apply-plan.ts';
import type { FieldDefinition, FormDefinition } from '../schema/app-definition.ts';
import { validateAppDefinition } from '../schema/validate-app-definition.ts';
import { field, label, lendingApp } from '../testing/lending-app.fixture.ts';
import { planPublish } from './plan-publish.ts';

const app = validateAppDefinition(lendingApp);
if (!app.ok) throw new Error(`fixture: ${JSON.stringify(app.problems)}`);
const [customerForm, applicationForm] = app.value.forms;
if (!customerForm || !applicationForm) throw new Error('fixture');

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

function nextVersion(form: FormDefinition, fields: readonly FieldDefinition[]): FormDefinition {
  return { ...form, version: form.version + 1, fields };
}

const kinds = (plan: ReturnType<typeof planPublish>) => plan.steps.map((step) => step.kind);

describe('planPublish (pure)', () => {
  it('creates schema, table with system columns, child and junction tables, indexes', () => {
    const plan = planPublish(null, applicationForm, { appKey: 'lending' });
    expect(plan.schema).toBe('app_lending');
    expect(plan.refusals).toEqual([]);
    const create = plan.steps.find((step) => step.kind === 'create-table');
    expect(create?.sql.sql).toContain('create table "app_lending"."loan_application"');
    expect(create?.sql.sql).toContain('"amount" numeric(18, 2)');
    expect(create?.sql.sql).toContain('"customer" uuid references "app_lending"."customer" ("id")');
    expect(create?.sql.sql).not.toContain('customer_city');
    expect(plan.steps.map((step) => step.sql.sql).join('\n')).toContain(
      'create table "app_lending"."loan_application__guarantors"',
    );
    for (const step of plan.steps) expect(step.sql.parameters).toEqual([]);
  });

  it('a relabel, a reorder or a rule change is metadata only', () => {
    const fields = [...customerForm.fields]
      .reverse()
      .map((f) => ({ ...f, label: label('新', 'New') }));
    const plan = planPublish(customerForm, nextVersion(customerForm, fields), {
      appKey: 'lending',
    });
    expect(plan).toMatchObject({ steps: [], checks: [], refusals: [] });
  });

  it('refuses a vanished field, a purge of a live field, a changed form key and version', () => {
    const without = customerForm.fields.filter((f) => f.key !== 'city');
    expect(
      planPublish(customerForm, nextVersion(customerForm, without), {
        appKey: 'lending',
      }).refusals.map((r) => r.reason),
    ).toEqual(['fieldVanished']);
    expect(
      planPublish(customerForm, nextVersion(customerForm, without), {
        appKey: 'lending',
        purge: ['f4'],
      }).refusals.map((r) => r.reason),
    ).toEqual(['purgeNotDeleted']);
    expect(
      planPublish(
        customerForm,
        { ...customerForm, key: 'client', version: 2 },
        { appKey: 'lending' },
      ).refusals.map((r) => r.reason),
    ).toEqual(['formKeyChanged']);
    expect(
      planPublish(customerForm, customerForm, { appKey: 'lending' }).refusals.map((r) => r.reason),
    ).toEqual(['versionNotNext']);
  });

  it('refuses type changes with no safe cast, and storage changes', () => {
    const change = (type: string, config?: Record<string, unknown>) =>
      planPublish(
        customerForm,
        nextVersion(
          customerForm,
          customerForm.fields.map((f) =>
            f.key === 'blacklisted' ? { ...f, type, ...(config ? { config } : {}) } : f,
          ),
        ),
        { appKey: 'lending' },
      ).refusals.map((r) => r.reason);
    expect(change('date')).toEqual(['typeChangeUnsupported']);
    expect(change('subform')).toEqual(['storageChanged']);
    expect(change('text')).toEqual([]);
  });

  it('quotes identifiers: keys never reach SQL as text', () => {
    const plan = planPublish(null, customerForm, { appKey: 'lending' });
    for (const step of plan.steps) expect(step.sql.sql).not.toMatch(/\bmobile\b(?!")/);
  });
});

describe('planPublish against Postgres', () => {
  it('creates the lending tables and accepts a row', async () => {
    expect(await applyPlan(client, planPublish(null, customerForm, { appKey: 'lending' }))).toEqual(
      { applied: true },
    );
    expect(
      await applyPlan(client, planPublish(null, applicationForm, { appKey: 'lending' })),
    ).toEqual({ applied: true });
    const { rows } = await client.query(
      `insert into app_lending.customer (name, mobile, tags) values ('张三', '13800138000', '{vip}') returning id, version, created_at`,
    );
    expect(rows[0]).toMatchObject({ version: 1 });
    await client.query(
      'insert into app_lending.loan_application (customer, amount, serial_no) values ($1, $2, $3)',
      [rows[0].id, '1234.50', 'LA-20261122-0001'],
    );
    await expect(
      client.query('insert into app_lending.customer (name, mobile) values ($1, $2)', [
        '李四',
        '13800138000',
      ]),
    ).rejects.toThrow(/unique/);
  });

  it('renames, swaps, adds, changes types with checks, deletes and purges', async () => {
    const v1 = customerForm;
    const swapped = v1.fields.map((f) =>
      f.key === 'city' ? { ...f, key: 'name' } : f.key === 'name' ? { ...f, key: 'city' } : f,
    );
    const v2 = nextVersion(v1, [...swapped, field('f10', 'score', 'text')]);
    expect(await applyPlan(client, planPublish(v1, v2, { appKey: 'lending' }))).toEqual({
      applied: true,
    });
    const { rows } = await client.query('select name, city from app_lending.customer');
    expect(rows).toEqual([{ name: null, city: '张三' }]);

    await client.query(`update app_lending.customer set score = 'high'`);
    const v3 = nextVersion(
      v2,
      v2.fields.map((f) => (f.key === 'score' ? { ...f, type: 'number' } : f)),
    );
    const refused = await applyPlan(client, planPublish(v2, v3, { appKey: 'lending' }));
    expect(refused).toMatchObject({
      applied: false,
      refusals: ['conversion'],
      rows: [{ value: 'high' }],
    });

    await client.query(`update app_lending.customer set score = ' 12.5 '`);
    expect(await applyPlan(client, planPublish(v2, v3, { appKey: 'lending' }))).toEqual({
      applied: true,
    });
    const scores = await client.query('select score from app_lending.customer');
    expect(scores.rows).toEqual([{ score: '12.5' }]);

    const v4 = nextVersion(
      v3,
      v3.fields.map((f) => (f.key === 'score' ? { ...f, deleted: true } : f)),
    );
    const hide = planPublish(v3, v4, { appKey: 'lending' });
    expect(hide.steps).toEqual([]);
    expect(hide.warnings).toHaveLength(1);
    expect(await applyPlan(client, hide)).toEqual({ applied: true });

    const v5 = nextVersion(
      v4,
      v4.fields.filter((f) => f.key !== 'score'),
    );
    const purge = planPublish(v4, v5, { appKey: 'lending', purge: ['f10'] });
    expect(kinds(purge)).toEqual(['drop-column']);
    expect(await applyPlan(client, purge)).toEqual({ applied: true });
    const columns = await client.query(
      `select column_name from information_schema.columns where table_schema = 'app_lending' and table_name = 'customer'`,
    );
    expect(columns.rows.map((row) => row.column_name)).not.toContain('score');
  });

  it('refuses number → money when a value has more than two decimals (found by the property test)', async () => {
    const v1: FormDefinition = {
      key: 'rates',
      label: label('费率', 'Rates'),
      version: 1,
      fields: [field('r1', 'rate', 'number', { typeVersion: 1 })],
    };
    expect(await applyPlan(client, planPublish(null, v1, { appKey: 'lending' }))).toEqual({
      applied: true,
    });
    await client.query(`insert into app_lending.rates (rate) values ('-342.356'), ('1.5')`);
    const v2 = nextVersion(v1, [field('r1', 'rate', 'money', { typeVersion: 1 })]);
    const outcome = await applyPlan(client, planPublish(v1, v2, { appKey: 'lending' }));
    expect(outcome).toMatchObject({ applied: false, rows: [{ value: '-342.356' }] });
    await client.query(`update app_lending.rates set rate = 2 where rate = -342.356`);
    expect(await applyPlan(client, planPublish(v1, v2, { appKey: 'lending' }))).toEqual({
      applied: true,
    });
    const { rows } = await client.query(
      'select rate::text as rate from app_lending.rates order by rate',
    );
    expect(rows).toEqual([{ rate: '1.50' }, { rate: '2.00' }]);
  });

  it('swaps the type index when a multi-select becomes a select (found by the property test)', async () => {
    const options = ['a', 'b'].map((value) => ({ value, label: label(value, value) }));
    const v1: FormDefinition = {
      key: 'tagged',
      label: label('标签', 'Tagged'),
      version: 1,
      fields: [field('t1', 'tags', 'multiselect', { typeVersion: 1, config: { options } })],
    };
    expect(await applyPlan(client, planPublish(null, v1, { appKey: 'lending' }))).toEqual({
      applied: true,
    });
    await client.query(`insert into app_lending.tagged (tags) values ('{a}'), (null)`);
    const v2 = nextVersion(v1, [
      field('t1', 'tags', 'select', { typeVersion: 1, config: { options } }),
    ]);
    const plan = planPublish(v1, v2, { appKey: 'lending' });
    expect(kinds(plan)).toEqual(['drop-index', 'alter-column-type', 'create-index']);
    expect(await applyPlan(client, plan)).toEqual({ applied: true });
    const { rows } = await client.query('select tags from app_lending.tagged order by tags');
    expect(rows).toEqual([{ tags: 'a' }, { tags: null }]);
  });

  it('renames and retypes the same field in one publish, checking the old column', async () => {
    const v1: FormDefinition = {
      key: 'combo',
      label: label('组合', 'Combo'),
      version: 1,
      fields: [
        field('c1', 'a', 'text', { typeVersion: 1 }),
        field('c2', 'b', 'text', { typeVersion: 1 }),
      ],
    };
    expect(await applyPlan(client, planPublish(null, v1, { appKey: 'lending' }))).toEqual({
      applied: true,
    });
    await client.query(`insert into app_lending.combo (a, b) values ('12.5', 'x')`);
    const v2 = nextVersion(v1, [
      field('c1', 'b', 'number', { typeVersion: 1 }),
      field('c2', 'a', 'text', { typeVersion: 1 }),
    ]);
    const plan = planPublish(v1, v2, { appKey: 'lending' });
    expect(plan.checks[0]?.sql.sql).toContain('from "app_lending"."combo" where "a" is not null');
    expect(kinds(plan)).toEqual([
      'rename-column',
      'rename-column',
      'rename-column',
      'rename-column',
      'alter-column-type',
    ]);
    expect(await applyPlan(client, plan)).toEqual({ applied: true });
    const { rows } = await client.query('select a, b::text as b from app_lending.combo');
    expect(rows).toEqual([{ a: 'x', b: '12.5' }]);
  });

  it('finds duplicates a cast would create under a unique index', async () => {
    const v1: FormDefinition = {
      key: 'codes',
      label: label('编码', 'Codes'),
      version: 1,
      fields: [field('k1', 'code', 'text', { typeVersion: 1, validations: { unique: true } })],
    };
    expect(await applyPlan(client, planPublish(null, v1, { appKey: 'lending' }))).toEqual({
      applied: true,
    });
    await client.query(`insert into app_lending.codes (code) values (' 7'), ('7')`);
    const v2 = nextVersion(v1, [
      field('k1', 'code', 'number', { typeVersion: 1, validations: { unique: true } }),
    ]);
    const outcome = await applyPlan(client, planPublish(v1, v2, { appKey: 'lending' }));
    expect(outcome).toMatchObject({
      applied: false,
      refusals: ['duplicates'],
      rows: [{ value: '7' }],
    });
  });

  it('refuses a unique index over duplicates, listing them', async () => {
    await client.query(`update app_lending.customer set city = 'x'`);
    await client.query(
      `insert into app_lending.customer (city, mobile) values ('x', '13900139000')`,
    );
    const live = { ...customerForm, version: 5, fields: customerForm.fields };
    const plan = planPublish(
      live,
      nextVersion(
        live,
        live.fields.map((f) => (f.key === 'city' ? { ...f, validations: { unique: true } } : f)),
      ),
      { appKey: 'lending' },
    );
    const outcome = await applyPlan(client, plan);
    expect(outcome).toMatchObject({
      applied: false,
      refusals: ['duplicates'],
      rows: [{ value: 'x' }],
    });
  });

  it('renames a subform (its child table) and changes a row field', async () => {
    const v2 = nextVersion(
      applicationForm,
      applicationForm.fields.map((f) =>
        f.key === 'guarantors'
          ? {
              ...f,
              key: 'sureties',
              fields: (f.fields ?? []).map((row) =>
                row.key === 'name' ? { ...row, key: 'full_name' } : row,
              ),
            }
          : f,
      ),
    );
    const plan = planPublish(applicationForm, v2, { appKey: 'lending' });
    expect(kinds(plan)).toEqual(['rename-table', 'rename-column']);
    expect(await applyPlan(client, plan)).toEqual({ applied: true });
    await client.query(
      `insert into app_lending.loan_application__sureties (parent_id, full_name) select id, 'x' from app_lending.loan_application`,
    );
  });
});

describe('publish errors', () => {
  it('turns refusals and check rows into catalogue errors', async () => {
    const { assertPublishable, unconvertibleRowsError } = await import('./publish-errors.ts');
    const plan = planPublish(customerForm, customerForm, { appKey: 'lending' });
    expect(() => assertPublishable(plan, 'customer', 'en')).toThrow(
      /cannot be published: The next version must be 2/,
    );
    const ok = planPublish(null, customerForm, { appKey: 'lending' });
    expect(assertPublishable(ok, 'customer', 'zh-CN')).toBe(ok);
    const check = {
      kind: 'conversion',
      table: 't',
      fieldId: 'f',
      field: 'score',
      from: 'text',
      to: 'number',
      sql: { sql: '', parameters: [] },
    } as const;
    const error = unconvertibleRowsError(check, [{ id: 'r1', value: 'high' }], 'zh-CN');
    expect(error.status).toBe(409);
    expect(error.fields).toEqual([{ field: 'records/r1', reason: '值 "high" 无法转换' }]);
  });
});
