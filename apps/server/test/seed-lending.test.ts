import { LENDING_APP_DIR, lendingDemoRows } from '@joinery/lending-crm';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppPackage } from '../src/apps/app-package-service.ts';
import { DEMO_PASSWORD, ensureDemoStaff } from '../src/apps/demo-staff.ts';
import { importApp } from '../src/apps/import-app.ts';
import { type SeedOutcome, seedLending } from '../src/apps/seed-lending.ts';
import type { SeedEvent } from '../src/apps/seed-progress.ts';
import { seedNow, WORKFLOW_STATES } from '../src/apps/seed-workflows.ts';
import { FormRegistry } from '../src/metadata/form-registry.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

const AS_OF = '2026-11-23';
const SEED = 11;
type Row = Readonly<Record<string, unknown>>;

/** Indexes and constraints of the app's tables, as Postgres prints them. */
const SCHEMA_OBJECTS = sql<{ definition: string }>`
  select pg_get_indexdef(i.indexrelid) as definition from pg_index i
  join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
  where n.nspname = 'app_lending'
  union all
  select c.conname || ' ' || pg_get_constraintdef(c.oid) from pg_constraint c
  join pg_namespace n on n.oid = c.connamespace where n.nspname = 'app_lending'
  order by 1`;

describe('joinery seed lending, through COPY on Postgres', () => {
  let test: TestApp;
  let outcome: SeedOutcome;
  const events: SeedEvent[] = [];
  const generated = new Map<string, Row[]>();
  const rowsOf = (table: string) => generated.get(table) ?? [];
  const db = () => test.database.db;
  const list = async (who: SignedIn, form: string, query = '') => {
    const response = await test.app.inject({
      method: 'GET',
      url: `/api/apps/lending/forms/${form}/records?count=true&limit=500${query}`,
      headers: who.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { total: number; items: { id: string; values: Row }[] };
  };
  const userId = async (username: string) =>
    (
      await db()
        .selectFrom('joinery.users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    test = await createTestApp();
    // The same generator run the seed makes: the plain values the API must give back.
    const staff = await ensureDemoStaff(db());
    for (const item of lendingDemoRows({ size: 'small', seed: SEED, asOf: AS_OF, staff })) {
      if ('flush' in item) continue;
      const rows = generated.get(item.table) ?? [];
      rows.push(item.row);
      generated.set(item.table, rows);
    }
    outcome = await seedLending(test.database, {
      size: 'small',
      seed: SEED,
      asOf: AS_OF,
      progress: (event) => events.push(event),
    });
  }, 180_000);
  afterAll(async () => {
    await test?.close();
  });

  it('loads every generated row and reports its progress', async () => {
    expect(outcome.seeded).toBe(true);
    for (const [table, rows] of generated) {
      expect(outcome.rows[table], table).toBe(rows.length);
      const stored = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.id('app_lending', table)}`.execute(db());
      expect(stored.rows[0]?.n, table).toBe(rows.length);
    }
    const progress = events.filter((e) => e.kind === 'rows');
    expect(progress.at(-1)).toMatchObject({ customers: 300, total: 300 });
    const underWay = rowsOf('loan_application').filter((row) =>
      (WORKFLOW_STATES as readonly unknown[]).includes(row.status),
    ).length;
    expect(events.slice(-2)).toEqual([
      { kind: 'step', message: 'analysing tables' },
      {
        kind: 'step',
        message: `running the approval workflow of ${underWay} applications under way`,
      },
    ]);
  });

  it('counts the applications of every workflow state as generated', async () => {
    const stored = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from app_lending.loan_application group by status`.execute(
      db(),
    );
    const expected: Record<string, number> = {};
    for (const row of rowsOf('loan_application')) {
      const status = String(row.status);
      expected[status] = (expected[status] ?? 0) + 1;
    }
    expect(Object.fromEntries(stored.rows.map((r) => [r.status, r.n]))).toEqual(expected);
    expect(Object.keys(expected)).toHaveLength(8);
  });

  it('stores schedules that add up to each contract to the cent', async () => {
    const contracts = await sql<{
      principal: string;
      total_principal: string;
      total_interest: string;
      principal_sum: string;
      interest_sum: string;
      rows: number;
      term: string;
    }>`
      select c.principal, c.total_principal::numeric(18, 2)::text as total_principal,
             c.total_interest::numeric(18, 2)::text as total_interest, c.term::text as term,
             sum(s.principal)::numeric(18, 2)::text as principal_sum,
             sum(s.interest)::numeric(18, 2)::text as interest_sum,
             count(s.id)::int as rows
      from app_lending.contract c
      join app_lending.contract__repayment_schedule s on s.parent_id = c.id
      group by c.id`.execute(db());
    expect(contracts.rows).toHaveLength(rowsOf('contract').length);
    for (const c of contracts.rows) {
      expect(c.rows).toBe(Number(c.term));
      expect(c.principal_sum).toBe(c.principal);
      expect(c.total_principal).toBe(c.principal);
      expect(c.interest_sum).toBe(c.total_interest);
    }
  });

  it('opens a collection case in the right bucket for every contract with missed payments', async () => {
    const missed = await sql<{
      contract: string;
      since: string;
      days: number;
      bucket: string | null;
      overdue_principal: string;
      case_principal: string;
    }>`
      select c.id as contract, to_char(min(s.due_date), 'YYYY-MM-DD') as since,
             (${AS_OF}::date - min(s.due_date))::int as days, x.bucket,
             sum(s.principal)::numeric(18, 2)::text as overdue_principal, x.overdue_principal::text as case_principal
      from app_lending.contract c
      join app_lending.contract__repayment_schedule s on s.parent_id = c.id and s.status = 'overdue'
      left join app_lending.collection_case x on x.contract = c.id and x.status <> 'recovered'
      group by c.id, x.id`.execute(db());
    expect(missed.rows.length).toBeGreaterThan(0);
    for (const row of missed.rows) {
      const bucket = row.days > 60 ? 'M3+' : row.days > 30 ? 'M2' : 'M1';
      expect(row.bucket, row.contract).toBe(bucket);
      expect(row.overdue_principal).toBe(row.case_principal);
    }
    const strays = await sql<{ n: number }>`
      select count(*)::int as n from app_lending.collection_case x
      where x.status <> 'recovered' and not exists (
        select 1 from app_lending.contract__repayment_schedule s
        where s.parent_id = x.contract and s.status = 'overdue')`.execute(db());
    expect(strays.rows[0]?.n).toBe(0);
  });

  it('seals sensitive fields through their codec, so the API reads them back in clear', async () => {
    const stored = await sql<{ mobile: string; mobile__bidx: string | null; id_number: string }>`
      select mobile, mobile__bidx, id_number from app_lending.customer`.execute(db());
    for (const row of stored.rows) {
      expect(row.mobile).toMatch(/^jny1:/);
      expect(row.id_number).toMatch(/^jny1:/);
      expect(row.mobile__bidx).toBeTruthy();
    }
    const admin = await test.login('admin', test.adminPassword);
    const page = await list(admin, 'customer');
    expect(page.total).toBe(300);
    const plain = new Map(rowsOf('customer').map((c) => [String(c.id), c]));
    for (const item of page.items) {
      expect(item.values.mobile).toBe(plain.get(item.id)?.mobile);
      expect(item.values.id_number).toBe(plain.get(item.id)?.id_number);
    }
    // Equality search runs on the blind index, so it finds a seeded value.
    const wanted = String(rowsOf('customer')[7]?.mobile);
    const found = await list(
      admin,
      'customer',
      `&filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'mobile' }, wanted] }))}`,
    );
    expect(found.items.map((i) => i.values.mobile)).toEqual([wanted]);
  });

  it('lists the seeded records through the API with each role’s rights applied', async () => {
    const sales = await test.login('sales1', DEMO_PASSWORD);
    const salesId = await userId('sales1');
    const own = rowsOf('customer').filter((c) => c.owner === salesId);
    expect(own.length).toBeGreaterThan(0);
    const salesCustomers = await list(sales, 'customer');
    expect(salesCustomers.total).toBe(own.length);
    expect(new Set(salesCustomers.items.map((i) => i.id))).toEqual(
      new Set(own.map((c) => String(c.id))),
    );
    const salesApplications = await list(sales, 'loan_application');
    expect(salesApplications.total).toBe(
      rowsOf('loan_application').filter((a) => a.owner === salesId).length,
    );

    const support = await test.login('support1', DEMO_PASSWORD);
    const masked = await list(support, 'customer');
    expect(masked.total).toBe(300);
    for (const item of masked.items)
      expect(String(item.values.mobile)).toMatch(/^\d{3}\*{4}\d{4}$/);

    const collector = await test.login('collector1', DEMO_PASSWORD);
    const collectorId = await userId('collector1');
    const cases = await list(collector, 'collection_case');
    const assigned = rowsOf('collection_case').filter((c) => c.collector === collectorId);
    expect(assigned.length).toBeGreaterThan(0);
    expect(cases.total).toBe(assigned.length);
  });

  it('gives every record the history of a create through the API, subform rows included', async () => {
    const entries = await sql<{ form: string; n: number }>`
      select f.key as form, count(*)::int as n from joinery.record_history h
      join joinery.forms f on f.id = h.form_id
      where h.action = 'create' and h.record_version = 1 group by f.key`.execute(db());
    const expected = Object.fromEntries(
      [...generated]
        .filter(([table]) => !table.includes('__'))
        .map(([table, rows]) => [table, rows.length]),
    );
    expect(Object.fromEntries(entries.rows.map((r) => [r.form, r.n]))).toEqual(expected);
    const contract = rowsOf('contract')[0] as Row;
    const admin = await test.login('admin', test.adminPassword);
    const response = await test.app.inject({
      method: 'GET',
      url: `/api/apps/lending/forms/contract/records/${String(contract.id)}/history`,
      headers: admin.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const [entry] = (
      response.json() as { items: { action: string; changes: Record<string, { to: unknown }> }[] }
    ).items;
    expect(entry?.action).toBe('create');
    expect(entry?.changes.serial_no?.to).toBe(contract.serial_no);
    const schedule = entry?.changes.repayment_schedule?.to as Row[];
    expect(schedule).toHaveLength(Number(contract.term));
    expect(schedule[0]).toMatchObject({
      period: 1,
      principal: expect.stringMatching(/^\d+\.\d{2}$/),
    });
    const customer = rowsOf('customer')[0] as Row;
    const customerHistory = await test.app.inject({
      method: 'GET',
      url: `/api/apps/lending/forms/customer/records/${String(customer.id)}/history`,
      headers: admin.headers,
    });
    const changes = (
      customerHistory.json() as { items: { changes: Record<string, { to: unknown }> }[] }
    ).items[0]?.changes;
    expect(changes?.mobile?.to).toBe(customer.mobile);
  });

  it('gives values in the form the API shows them, so the history holds them as they are', async () => {
    const forms = new FormRegistry(db());
    for (const [table, rows] of generated) {
      const [formKey, subformKey] = table.split('__') as [string, string | undefined];
      const form = await forms.get('lending', formKey);
      const columns = subformKey
        ? (form.table.subforms.find((s) => s.table === table)?.columns ?? [])
        : form.table.columns;
      for (const column of columns) {
        if (column.sensitive) continue;
        for (const row of rows) {
          const value = row[column.column];
          if (value === null || value === undefined) continue;
          expect(column.bound.fromDb(value), `${table}.${column.column}`).toEqual(value);
        }
      }
    }
  });

  it('builds the same indexes and constraints again after the load', async () => {
    // A fresh template install on another database is the reference.
    const other = await createTestApp();
    let reference: string[];
    try {
      await ensureDemoStaff(other.database.db);
      await importApp(other.database.db, await loadAppPackage(LENDING_APP_DIR));
      reference = (await SCHEMA_OBJECTS.execute(other.database.db)).rows.map((r) => r.definition);
    } finally {
      await other.close();
    }
    const after = (await SCHEMA_OBJECTS.execute(db())).rows.map((r) => r.definition);
    expect(after).toEqual(reference);
    expect(after.length).toBeGreaterThan(50);
  }, 120_000);

  it('gives every application whose approval is under way an instance at the step its state means', async () => {
    const underWay = rowsOf('loan_application').filter((row) =>
      (WORKFLOW_STATES as readonly unknown[]).includes(row.status),
    );
    const states = new Set(underWay.map((row) => row.status));
    expect(states).toEqual(new Set(WORKFLOW_STATES));
    expect(outcome.rows.workflow_instances).toBe(underWay.length);
    const instances = await sql<{
      id: string;
      record_id: string;
      submitter: string;
      status: string;
      started_at: Date;
      open: string[];
      steps: string[];
    }>`
      select i.id, i.record_id, i.submitter, i.status, i.started_at,
             coalesce((select array_agg(t.node_id order by t.node_id) from joinery.workflow_tasks t
                       where t.instance_id = i.id and t.status = 'open'), '{}') as open,
             coalesce((select array_agg(h.action || '@' || coalesce(h.node_id, '') order by h.id)
                       from joinery.workflow_history h where h.instance_id = i.id), '{}') as steps
      from joinery.workflow_instances i`.execute(db());
    // One instance per application under way, none for drafts or finished applications.
    expect(instances.rows.map((i) => i.record_id).sort()).toEqual(
      underWay.map((row) => String(row.id)).sort(),
    );
    const byRecord = new Map(instances.rows.map((i) => [i.record_id, i]));
    const reviews = [
      'first-review',
      'second-review',
      'risk-review',
      'compliance-review',
      'committee',
    ];
    for (const row of underWay) {
      const instance = byRecord.get(String(row.id));
      if (instance === undefined) throw new Error(`no instance for ${String(row.id)}`);
      // Submitted by the application's owner when the data says it was submitted.
      expect(instance.submitter, String(row.id)).toBe(row.owner);
      expect(new Date(instance.started_at).toISOString()).toBe(row.submitted_at);
      const where = `${String(row.status)} ${instance.open.join(',')} ${instance.steps.join(' ')}`;
      if (row.status === 'in_review') {
        expect(instance.status, where).toBe('running');
        expect(instance.open.length, where).toBeGreaterThan(0);
        expect(
          instance.open.every((node) => reviews.includes(node)),
          where,
        ).toBe(true);
      } else if (row.status === 'returned') {
        expect(instance.status, where).toBe('returned');
        expect(instance.steps, where).toContain(
          instance.steps.find((s) => s.startsWith('returned@')),
        );
      } else {
        // Approved: every review passed and the automated step marked it; signed: signed too.
        expect(instance.status, where).toBe('running');
        expect(instance.steps, where).toEqual(
          expect.arrayContaining(['approved@first-review', 'approved@second-review']),
        );
        expect(
          instance.steps.some((s) => s.endsWith('@mark-approved')),
          where,
        ).toBe(true);
        // One task per finance user at the disbursement.
        expect([...new Set(instance.open)], where).toEqual([
          row.status === 'approved' ? 'signing' : 'disbursement',
        ]);
        if (row.status === 'signed') {
          expect(
            instance.steps.some((s) => s.endsWith('@mark-signed')),
            where,
          ).toBe(true);
        }
      }
    }
    // The automated steps kept each application's status.
    const statuses = await sql<{ id: string; status: string }>`
      select id::text, status from app_lending.loan_application`.execute(db());
    const generatedStatus = new Map(
      rowsOf('loan_application').map((r) => [String(r.id), r.status]),
    );
    for (const row of statuses.rows) expect(row.status).toBe(generatedStatus.get(row.id));
  });

  it('spreads the open reviews’ deadlines around the seed’s now: some overdue, most not', async () => {
    const now = seedNow(AS_OF);
    expect(new Date(now).toISOString()).toBe(`${AS_OF}T23:59:00.000Z`);
    const open = await db()
      .selectFrom('joinery.workflow_tasks')
      .select(['node_id', 'kind', 'deadline', 'opened_at'])
      .where('status', '=', 'open')
      .execute();
    const timed = open.filter((t) => t.deadline !== null);
    expect(timed.length).toBeGreaterThan(10);
    const overdue = timed.filter((t) => new Date(t.deadline as Date).getTime() < now);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(timed.length / 2);
    // Nothing is dated after the seed's now, and no deadline is more than a day ahead of it.
    for (const task of timed) {
      expect(new Date(task.opened_at).getTime()).toBeLessThanOrEqual(now);
      expect(new Date(task.deadline as Date).getTime()).toBeLessThanOrEqual(now + 86_400_000);
    }
    expect(new Set(timed.map((t) => t.node_id))).toEqual(
      new Set(['first-review', 'second-review', 'risk-review', 'compliance-review']),
    );
    // Each open task with a deadline has its reminder and escalation queued, as a step would.
    const timers = await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker.jobs where task_identifier = 'workflow_timer'`.execute(
      db(),
    );
    expect(timers.rows[0]?.n).toBe(2 * timed.length);
  });

  it('lists seeded open tasks in a reviewer’s inbox, and a reviewer can act on one', async () => {
    const reviewer = await test.login('reviewer1', DEMO_PASSWORD);
    const me = await userId('reviewer1');
    const inbox = await test.app.inject({
      method: 'GET',
      url: '/api/workflow/tasks?box=todo&app=lending&limit=200',
      headers: reviewer.headers,
    });
    expect(inbox.statusCode, inbox.body).toBe(200);
    const listed = inbox.json() as {
      items: {
        id: string;
        instanceId: string;
        nodeId: string;
        recordId: string;
        claimedBy: string | null;
      }[];
      counts: Record<string, number>;
    };
    // Exactly the open review tasks offered to (or claimed by) this reviewer.
    const expected = await sql<{ record_id: string }>`
      select i.record_id from joinery.workflow_tasks t
      join joinery.workflow_instances i on i.id = t.instance_id
      where t.status = 'open' and ${me}::uuid = any(t.assignees)
        and (t.claimed_by is null or t.claimed_by = ${me}::uuid)`.execute(db());
    expect(listed.items.map((t) => t.recordId).sort()).toEqual(
      expected.rows.map((r) => r.record_id).sort(),
    );
    const seeded = new Set(rowsOf('loan_application').map((row) => String(row.id)));
    expect(listed.items.every((t) => seeded.has(t.recordId))).toBe(true);
    const task = listed.items.find((t) => t.nodeId === 'first-review' && t.claimedBy === null);
    if (task === undefined) throw new Error('no open first review for reviewer1');
    const approved = await test.app.inject({
      method: 'POST',
      url: `/api/workflow/tasks/${task.id}/actions`,
      headers: reviewer.headers,
      payload: { action: 'approve', comment: '同意' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const next = (approved.json() as { openTasks: { nodeId: string; assignees: string[] }[] })
      .openTasks;
    expect(next.map((t) => t.nodeId)).toEqual(['second-review']);
    expect(next[0]?.assignees).not.toContain(me);
    const timeline = await test.app.inject({
      method: 'GET',
      url: `/api/workflow/instances/${task.instanceId}/timeline`,
      headers: reviewer.headers,
    });
    expect(timeline.statusCode, timeline.body).toBe(200);
    const { entries } = timeline.json() as { entries: { action: string; actor: string }[] };
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['started', 'approved']));
    expect(entries.find((e) => e.action === 'approved')?.actor).toBe(me);
  });

  it('leaves an app that already has customers alone', async () => {
    const again = await seedLending(test.database, { size: 'small', seed: SEED + 1, asOf: AS_OF });
    expect(again.seeded).toBe(false);
    const n = await sql<{ n: number }>`select count(*)::int as n from app_lending.customer`.execute(
      db(),
    );
    expect(n.rows[0]?.n).toBe(300);
  });
});
