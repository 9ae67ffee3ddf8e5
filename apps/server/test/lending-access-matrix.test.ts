import { LENDING_ROLES, type LendingRole } from '@joinery/lending-crm';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/apps/demo-staff.ts';
import { prepareLendingDemo } from '../src/apps/lending-demo.ts';
import { migrateJobQueue } from '../src/jobs/job-worker.ts';
import { caller } from './records-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

// The regulator's question, asked of the lending CRM as installed: for each role and each form,
// what may its users list, read, create, edit, delete and export; which rows do they see; which
// fields are hidden from them or shown masked; and are their writes outside that refused?
// Every answer comes from the real API on the demo data, signed in as the role's demo user.

type Form =
  | 'customer'
  | 'follow_up'
  | 'product'
  | 'loan_application'
  | 'contract'
  | 'disbursement'
  | 'repayment'
  | 'collection_case'
  | 'channel_spend';
type Action = 'view' | 'create' | 'edit' | 'delete' | 'export';
/** Which rows: every row, the user's own, those in review states, those assigned to them. */
type Rows = 'all' | 'own' | 'review' | 'payout' | 'assigned';
/** What the role may do with a form; a form missing from its row is closed to the role. */
interface Grant {
  readonly can: readonly Action[];
  readonly rows: Rows;
  /** Personal data (phone, ID and bank numbers) shown in clear; any other is masked. */
  readonly clear?: readonly string[];
  /** Fields the role never sees. */
  readonly hidden?: readonly string[];
}

const FORMS: readonly Form[] = [
  'customer',
  'follow_up',
  'product',
  'loan_application',
  'contract',
  'disbursement',
  'repayment',
  'collection_case',
  'channel_spend',
];
/** The fields holding personal data that is masked unless a role may unmask it. */
const PERSONAL: Partial<Record<Form, readonly string[]>> = {
  customer: ['mobile', 'id_number'],
  loan_application: ['bank_account'],
  disbursement: ['bank_account'],
};
const READ: readonly Action[] = ['view'];
const ALL: readonly Action[] = ['view', 'create', 'edit', 'delete', 'export'];
const everywhere = (grant: Grant) =>
  Object.fromEntries(FORMS.map((form) => [form, grant])) as Record<Form, Grant>;

/** The matrix as the template means it (examples/lending-crm/app/roles). */
const MATRIX: Readonly<Record<LendingRole, Partial<Record<Form, Grant>>>> = {
  sales: {
    customer: { can: ['view', 'create', 'edit'], rows: 'own', clear: ['mobile'] },
    follow_up: { can: ['view', 'create', 'edit'], rows: 'own' },
    product: { can: READ, rows: 'all' },
    loan_application: { can: ['view', 'create', 'edit'], rows: 'own' },
    contract: { can: READ, rows: 'own' },
  },
  reviewer: {
    customer: { can: READ, rows: 'all' },
    product: { can: READ, rows: 'all' },
    loan_application: { can: ['view', 'edit'], rows: 'review', hidden: ['bank_account'] },
  },
  risk: {
    customer: { can: ['view', 'edit'], rows: 'all' },
    product: { can: READ, rows: 'all' },
    loan_application: { can: ['view', 'edit'], rows: 'all', hidden: ['bank_account'] },
    contract: { can: READ, rows: 'all' },
    collection_case: { can: READ, rows: 'all' },
  },
  compliance: {
    customer: { can: READ, rows: 'all', clear: ['id_number'] },
    loan_application: { can: READ, rows: 'review' },
    disbursement: { can: READ, rows: 'all' },
  },
  committee: {
    customer: { can: READ, rows: 'all' },
    product: { can: READ, rows: 'all' },
    loan_application: { can: READ, rows: 'review', hidden: ['bank_account'] },
  },
  finance: {
    customer: { can: READ, rows: 'all' },
    loan_application: { can: ['view', 'edit'], rows: 'payout', clear: ['bank_account'] },
    contract: { can: ['view', 'create', 'edit'], rows: 'all' },
    disbursement: { can: ['view', 'create', 'edit'], rows: 'all', clear: ['bank_account'] },
    repayment: { can: ['view', 'create', 'edit'], rows: 'all' },
    channel_spend: { can: ['view', 'create', 'edit'], rows: 'all' },
  },
  collector: {
    collection_case: { can: ['view', 'edit'], rows: 'assigned' },
  },
  support: Object.fromEntries(
    FORMS.filter((form) => form !== 'channel_spend').map((form) => [
      form,
      { can: READ, rows: 'all' },
    ]),
  ),
  manager: everywhere({ can: ['view', 'export'], rows: 'all' }),
  admin: everywhere({
    can: ALL,
    rows: 'all',
    clear: ['mobile', 'id_number', 'bank_account'],
  }),
};

let t: TestApp;
const as: Record<string, ReturnType<typeof caller>> = {};
const ids: Record<string, string> = {};

/** The rows a scope reaches, as SQL over the form's table (the test's own oracle). */
function scopeSql(rows: Rows, userId: string): RawBuilder<SqlBool> {
  switch (rows) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'own':
      return sql<SqlBool>`owner = ${userId}`;
    case 'review':
      return sql<SqlBool>`status in ('in_review', 'returned', 'approved')`;
    case 'payout':
      return sql<SqlBool>`status in ('approved', 'signed', 'disbursed')`;
    case 'assigned':
      return sql<SqlBool>`collector = ${userId}`;
  }
}

/** One live record of `form` inside (or outside) the scope, or undefined when there is none. */
async function recordId(form: Form, where: RawBuilder<SqlBool>): Promise<string | undefined> {
  const found = await sql<{ id: string }>`
    select id::text from ${sql.id('app_lending', form)} where deleted_at is null and ${where}
    order by id limit 1`.execute(t.database.db);
  return found.rows[0]?.id;
}

async function liveCount(form: Form, where: RawBuilder<SqlBool>): Promise<number> {
  const found = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.id('app_lending', form)}
    where deleted_at is null and ${where}`.execute(t.database.db);
  return found.rows[0]?.n ?? 0;
}

const user = (role: LendingRole) => `${role}1`;
const api = (role: LendingRole) => {
  const call = as[user(role)];
  if (!call) throw new Error(`not signed in: ${role}`);
  return call;
};
const records = (form: Form) => `/api/apps/lending/forms/${form}/records`;

beforeAll(async () => {
  t = await createTestApp();
  await migrateJobQueue(t.database.pool); // installing the template queues its scheduled rules
  await prepareLendingDemo(t.database, pino({ level: 'silent' }));
  for (const role of LENDING_ROLES) {
    for (const username of [
      user(role),
      ...(role === 'sales' || role === 'collector' ? [`${role}2`] : []),
    ]) {
      as[username] = caller(t, await t.login(username, DEMO_PASSWORD));
      const row = await t.database.db
        .selectFrom('joinery.users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      ids[username] = row.id;
    }
  }
}, 180_000);
afterAll(() => t?.close());

describe('the lending access matrix', () => {
  it('names every role of the template', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...LENDING_ROLES].sort());
  });

  describe.each(LENDING_ROLES.map((role) => [role]))('%s', (role) => {
    it.each(FORMS.map((form) => [form]))(
      'on %s: lists, reads, creates, edits, deletes and exports as granted',
      async (form) => {
        const grant = MATRIX[role][form];
        const call = api(role);
        const can = (action: Action) => grant?.can.includes(action) ?? false;
        const scope = scopeSql(grant?.rows ?? 'all', ids[user(role)] ?? '');
        const inside = await recordId(form, scope);
        const outside = await recordId(form, sql<SqlBool>`not (${scope})`);

        const list = await call('GET', `${records(form)}?count=true&limit=100`);
        expect(list.statusCode, `list ${list.body}`).toBe(can('view') ? 200 : 403);
        if (can('view')) {
          expect(list.json().total, 'rows seen').toBe(await liveCount(form, scope));
          expectFields(form, grant, list.json().items);
          await expectMaskedUnqueryable(role, form, grant);
        }
        if (inside) {
          const read = await call('GET', `${records(form)}/${inside}`);
          expect(read.statusCode, 'read a row in scope').toBe(can('view') ? 200 : 403);
          const edit = await call('PATCH', `${records(form)}/${inside}`, {
            version: 999_999,
            values: {},
          });
          // 409: allowed, and stopped only by the stale version (nothing is written).
          expect(edit.statusCode, `edit ${edit.body}`).toBe(can('edit') ? 409 : 403);
          const remove = await call('DELETE', `${records(form)}/${inside}?version=999999`);
          expect(remove.statusCode, 'delete').toBe(can('delete') ? 409 : 403);
        }
        if (outside && grant) {
          const read = await call('GET', `${records(form)}/${outside}`);
          expect(read.statusCode, 'a row out of scope does not exist').toBe(404);
          const edit = await call('PATCH', `${records(form)}/${outside}`, {
            version: 999_999,
            values: {},
          });
          expect(edit.statusCode, 'edit out of scope').toBe(can('edit') ? 404 : 403);
        }
        // 400: allowed, and stopped by validation (an unknown field; nothing is written).
        const create = await call('POST', records(form), { values: { no_such_field: 1 } });
        expect(create.statusCode, `create ${create.body}`).toBe(can('create') ? 400 : 403);
        const exported = await call('GET', `/api/apps/lending/forms/${form}/export?format=csv`);
        expect(exported.statusCode, 'export').toBe(can('export') ? 200 : 403);
      },
      60_000,
    );
  });
});

/**
 * Field rights on writes, on a record inside the role's rows: [role, form, field, value, status]
 * — 403 refused naming the field; 409 allowed (stopped only by the stale version sent).
 */
const FIELD_WRITES: [LendingRole, Form, string, unknown, number][] = [
  ['sales', 'loan_application', 'credit_score', 800, 403],
  ['sales', 'loan_application', 'risk_flag', true, 403],
  ['sales', 'loan_application', 'purpose', 'car', 409],
  ['reviewer', 'loan_application', 'amount', '1.00', 403],
  ['reviewer', 'loan_application', 'bank_account', '6222020200112233445', 403],
  ['reviewer', 'loan_application', 'credit_score', 700, 409],
  ['risk', 'customer', 'name', '张三', 403],
  ['risk', 'customer', 'risk_level', 'high', 409],
  ['finance', 'loan_application', 'amount', '1.00', 403],
  ['finance', 'loan_application', 'disbursed_on', '2026-11-21', 409],
  ['collector', 'collection_case', 'overdue_days', 1, 403],
  ['collector', 'collection_case', 'promise_date', '2026-12-01', 409],
];

describe('field write rights', () => {
  it.each(FIELD_WRITES)('%s writing %s.%s → %i', async (role, form, field, value, status) => {
    const scope = scopeSql(MATRIX[role][form]?.rows ?? 'all', ids[user(role)] ?? '');
    const id = await recordId(form, scope);
    const response = await api(role)('PATCH', `${records(form)}/${id}`, {
      version: 999_999,
      values: { [field]: value },
    });
    expect(response.statusCode, response.body).toBe(status);
    if (status === 403) expect(response.json().error.fields[0].field).toBe(`/body/values/${field}`);
  });
});

/**
 * Personal data a role sees masked cannot be filtered or sorted on (403 naming it), else a
 * filter such as "starts with 1101" would reveal it; in clear it can (an encrypted field only
 * by equality, never sorted).
 */
async function expectMaskedUnqueryable(role: LendingRole, form: Form, grant?: Grant) {
  for (const key of PERSONAL[form] ?? []) {
    if (grant?.hidden?.includes(key)) continue;
    const clear = grant?.clear?.includes(key) ?? false;
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: key }, '0'] }));
    const filtered = await api(role)('GET', `${records(form)}?filter=${filter}`);
    expect(filtered.statusCode, `filter on ${key}: ${filtered.body}`).toBe(clear ? 200 : 403);
    const sorted = await api(role)('GET', `${records(form)}?sort=${key}`);
    if (!clear) {
      expect(sorted.statusCode, `sort on ${key}`).toBe(403);
      for (const refused of [filtered, sorted]) {
        expect(refused.json().error).toMatchObject({ code: 'JNY_FIELD_MASKED_QUERY' });
        expect(refused.json().error.message).toContain(key);
      }
    }
  }
}

/** Hidden fields are absent; personal data is masked unless the role may see it in clear. */
function expectFields(
  form: Form,
  grant: Grant | undefined,
  items: { id: string; values: Record<string, unknown> }[],
) {
  for (const key of grant?.hidden ?? []) {
    expect(
      items.every((item) => !(key in item.values)),
      `${key} hidden`,
    ).toBe(true);
  }
  for (const key of PERSONAL[form] ?? []) {
    if (grant?.hidden?.includes(key)) continue;
    const shown = items.find((item) => typeof item.values[key] === 'string');
    expect(shown, `some ${form} row shows ${key}`).toBeDefined();
    const value = String(shown?.values[key]);
    if (grant?.clear?.includes(key)) expect(value, `${key} in clear`).not.toContain('*');
    else expect(value, `${key} masked`).toMatch(/\*{4}/);
  }
}
