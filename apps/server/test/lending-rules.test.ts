import { fakeNationalId } from '@joinery/lending-crm';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLendingDemo } from '../src/apps/lending-demo.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

/** The template's automation rules, run by the server's automation runtime on Postgres. */
describe('the lending CRM rules', () => {
  let test: TestApp;
  let admin: SignedIn;
  const values = async (form: string, id: string) => {
    const response = await test.app.inject({
      method: 'GET',
      url: `/api/apps/lending/forms/${form}/records/${id}`,
      headers: admin.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { owner: string | null; values: Record<string, unknown> };
  };
  const create = async (form: string, input: Record<string, unknown>) => {
    const response = await test.app.inject({
      method: 'POST',
      url: `/api/apps/lending/forms/${form}/records`,
      headers: admin.headers,
      payload: { values: input },
    });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { id: string }).id;
  };
  const update = async (form: string, id: string, input: Record<string, unknown>) => {
    const current = await test.app.inject({
      method: 'GET',
      url: `/api/apps/lending/forms/${form}/records/${id}`,
      headers: admin.headers,
    });
    const version = (current.json() as { version: number }).version;
    const response = await test.app.inject({
      method: 'PATCH',
      url: `/api/apps/lending/forms/${form}/records/${id}`,
      headers: admin.headers,
      payload: { values: input, version },
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  let customerId: string;

  beforeAll(async () => {
    test = await createTestApp();
    await prepareLendingDemo(test.database, pino({ level: 'silent' }));
    admin = await test.login('admin', test.adminPassword);
    customerId = await create('customer', {
      name: '测试客户',
      mobile: '13912345678',
      id_number: fakeNationalId('110105', '1990-03-07', 123),
      channel: 'referral',
      monthly_income: '30000.00',
      credit_score: 800,
      overdue_count: 0,
      consent_at: '2026-11-01T00:00:00Z',
      consent_version: 'v2.1',
    });
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('assigns a lead entered by an administrator or integration round-robin within its channel team, and grades it', async () => {
    const record = await values('customer', customerId);
    const team = await sql<{ id: string }>`
      select u.id from joinery.users u join joinery.departments d on d.id = u.department_id
      where d.name = '转介绍销售组'`.execute(test.database.db);
    expect(team.rows.map((r) => r.id)).toContain(record.owner);
    expect(record.values.grade).toBe('A');
    expect(record.values.birth_date).toBe('1990-03-07');
    expect(record.values.gender).toBe('male');
  });

  it('re-grades on profile changes and opens a follow-up with a deadline by grade', async () => {
    await update('customer', customerId, { credit_score: 700, monthly_income: '10000.00' });
    expect((await values('customer', customerId)).values.grade).toBe('B');
    // One when the new customer was graded A (due in a day), one now it is B (three days);
    // `today` in rules is the Beijing calendar day (JOINERY_UTC_OFFSET_MINUTES, 480 by default).
    const followUps = await sql<{ days: number; status: string }>`
      select (next_follow_up - (now() at time zone 'Asia/Shanghai')::date)::int as days, status
      from app_lending.follow_up where customer = ${customerId}::uuid
      order by days`.execute(test.database.db);
    expect(followUps.rows).toEqual([
      { days: 1, status: 'open' },
      { days: 3, status: 'open' },
    ]);
    await update('customer', customerId, { credit_score: 500 });
    expect((await values('customer', customerId)).values.grade).toBe('D');
    const after = await sql<{ n: number }>`
      select count(*)::int as n from app_lending.follow_up where customer = ${customerId}::uuid`.execute(
      test.database.db,
    );
    expect(after.rows[0]?.n).toBe(2);
    await update('customer', customerId, { credit_score: 800 });
  });

  it('refuses an application of a blacklisted customer with a clear message, writing nothing', async () => {
    await update('customer', customerId, { blacklisted: true });
    const product = await sql<{ id: string }>`
      select id from app_lending.product where name = '消费分期'`.execute(test.database.db);
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/apps/lending/forms/loan_application/records',
      headers: { ...admin.headers, 'accept-language': 'zh-CN' },
      payload: {
        values: {
          customer: customerId,
          product: product.rows[0]?.id,
          amount: '10000.00',
          term: 6,
          repayment_method: 'equal_instalment',
          purpose: 'education',
          monthly_income: '10000.00',
          status: 'draft',
        },
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toEqual({
      code: 'JNY_AUTOMATION_REFUSED',
      message: '该客户在黑名单中，不能提交进件',
    });
    const written = await sql<{ n: number }>`
      select count(*)::int as n from app_lending.loan_application
      where customer = ${customerId}::uuid`.execute(test.database.db);
    expect(written.rows[0]?.n).toBe(0);
  });

  it('notifies the owner when the risk level rises to high', async () => {
    const owner = (await values('customer', customerId)).owner;
    await update('customer', customerId, { risk_level: 'high' });
    const notes = await sql<{ n: number }>`
      select count(*)::int as n from joinery.notifications
      where user_id = ${owner}::uuid and title like '%风险%'`.execute(test.database.db);
    expect(notes.rows[0]?.n).toBe(1);
  });
});
