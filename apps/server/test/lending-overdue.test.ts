import { repaymentSchedule } from '@joinery/lending-crm';
import { addDays, localDate } from '@joinery/rules';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/apps/demo-staff.ts';
import { seedLending } from '../src/apps/seed-lending.ts';
import { WorkflowKit } from './workflow-kit.ts';

const DAY = 86_400;

/**
 * The lending lifecycle past disbursement, on the template's own rules and the server's test
 * clock: a repayment reminder three days before a due date, the missed instalment marked overdue
 * the day after, the contract turned overdue, a collection case opened and given to a collector
 * with a task, and the case entering M2 a month later — each exactly once.
 */
describe('the lending CRM after disbursement: reminders, overdue and collection', () => {
  let kit: WorkflowKit;
  let contractId: string;
  let firstDue: string;

  const db = () => kit.database.db;
  const contract = () => kit.readRecord('lending', 'contract', contractId);
  const rows = async () =>
    (await contract()).repayment_schedule as { id: string; period: number; status: string }[];
  const cases = async () =>
    (
      await sql<{
        id: string;
        owner: string;
        collector: string | null;
        status: string;
        overdue_since: string;
        overdue_days: number;
        overdue_principal: string;
        bucket: string | null;
      }>`
        select id::text, owner::text, collector::text, status, to_char(overdue_since, 'YYYY-MM-DD') as overdue_since,
               overdue_days::int, overdue_principal::text, bucket
        from app_lending.collection_case where contract = ${contractId}::uuid`.execute(db())
    ).rows;

  const serverNow = async () =>
    new Date(
      (
        await kit.app.inject({ method: 'GET', url: '/api/test/clock', headers: kit.admin.headers })
      ).json().now as string,
    );
  /** Days from the first due date to the server's today, as the rules' `today` (Beijing) counts. */
  const daysOverdue = async () =>
    (Date.parse(localDate(await serverNow(), 'Asia/Shanghai')) - Date.parse(firstDue)) /
    (DAY * 1000);

  beforeAll(async () => {
    kit = await WorkflowKit.create({ worker: true });
    // Demo data of long ago: its instalments fall due far outside the weeks the test moves through.
    await seedLending(kit.database, { size: 'small', seed: 7, asOf: '2012-06-30' });
    const today = localDate(await serverNow(), 'Asia/Shanghai');
    firstDue = addDays(today, 5);
    const application = await sql<{ id: string; customer: string }>`
      select id::text, customer::text from app_lending.loan_application
      order by created_at limit 1`.execute(db());
    const schedule = repaymentSchedule({
      principal: '12000.00',
      apr: '18',
      term: 3,
      method: 'equal_principal',
      firstDue,
    });
    contractId = await kit.record('lending', 'contract', {
      application: application.rows[0]?.id,
      customer: application.rows[0]?.customer,
      principal: '12000.00',
      apr: '18',
      term: 3,
      repayment_method: 'equal_principal',
      signed_on: today,
      status: 'active',
      repayment_schedule: schedule.map((row) => ({
        period: row.period,
        due_date: row.dueDate,
        principal: row.principal,
        interest: row.interest,
        status: 'pending',
      })),
    });
  }, 180_000);
  afterAll(async () => {
    await kit?.close();
  });

  it('reminds the contract owner three days before the first due date', async () => {
    const reminders = async () =>
      (
        await sql<{ title: string }>`
          select title from joinery.notifications
          where user_id = ${kit.admin.id}::uuid and title like '还款提醒%' and title like ${`%${firstDue}%`}`.execute(
          db(),
        )
      ).rows;
    await kit.advanceClock(DAY);
    expect(await reminders()).toEqual([]);
    await kit.advanceClock(2 * DAY);
    expect(await reminders()).toEqual([
      {
        title: `还款提醒：第 1 期将于 ${firstDue} 到期 · Repayment reminder: instalment 1 is due on ${firstDue}`,
      },
    ]);
    expect((await rows()).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
  });

  it('marks the missed instalment overdue the day after, opens one case and gives it to a collector', async () => {
    await kit.advanceClock(3 * DAY);
    expect(await cases()).toEqual([]);
    await kit.advanceClock(DAY);
    expect((await rows()).map((r) => r.status)).toEqual(['overdue', 'pending', 'pending']);
    expect((await contract()).status).toBe('overdue');
    const opened = await cases();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      status: 'open',
      overdue_since: firstDue,
      // Counted when the scan ran: the clock jumped past the 09:00 firing time.
      overdue_days: await daysOverdue(),
      overdue_principal: '4000.00',
      bucket: 'M1',
    });
    const collector = await sql<{ n: number }>`
      select count(*)::int as n from joinery.user_roles ur join joinery.roles r on r.id = ur.role_id
      where r.key = 'collector' and ur.user_id = ${opened[0]?.owner}::uuid`.execute(db());
    expect(collector.rows[0]?.n).toBe(1);
    expect(opened[0]?.collector).toBe(opened[0]?.owner);
    const tasks = await sql<{ due_in_hours: number }>`
      select round(extract(epoch from due_at - created_at) / 3600)::int as due_in_hours
      from joinery.notifications
      where kind = 'task' and user_id = ${opened[0]?.owner}::uuid and record_id = ${opened[0]?.id}::uuid`.execute(
      db(),
    );
    expect(tasks.rows).toEqual([{ due_in_hours: 24 }]);
  });

  it('shows the case to its collector through the records API, and to no other collector', async () => {
    const [opened] = await cases();
    const collectors = await sql<{ id: string; username: string }>`
      select u.id::text, u.username from joinery.users u
      join joinery.user_roles ur on ur.user_id = u.id join joinery.roles r on r.id = ur.role_id
      where r.key = 'collector' order by u.username`.execute(db());
    const listed = async (username: string) => {
      const login = await kit.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      expect(login.statusCode, login.body).toBe(200);
      const session = login.cookies.find((c) => c.name === 'jny_session')?.value;
      const headers = { cookie: `jny_session=${session}` };
      const one = await kit.app.inject({
        method: 'GET',
        url: `/api/apps/lending/forms/collection_case/records/${opened?.id}`,
        headers,
      });
      return one.statusCode;
    };
    expect(collectors.rows.length).toBeGreaterThan(1);
    for (const { id, username } of collectors.rows) {
      expect(await listed(username)).toBe(id === opened?.collector ? 200 : 404);
    }
  });

  it('fires nothing twice, skips a paid instalment, and moves the case to M2 a month later', async () => {
    await kit.advanceClock(0);
    const current = await rows();
    const paid = current.map((row) => (row.period === 2 ? { ...row, status: 'paid' } : row));
    const version = (
      await kit.app.inject({
        method: 'GET',
        url: `/api/apps/lending/forms/contract/records/${contractId}`,
        headers: kit.admin.headers,
      })
    ).json().version as number;
    const patched = await kit.app.inject({
      method: 'PATCH',
      url: `/api/apps/lending/forms/contract/records/${contractId}`,
      headers: kit.admin.headers,
      payload: { version, values: { repayment_schedule: paid } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await kit.advanceClock(32 * DAY);
    expect((await rows()).map((r) => r.status)).toEqual(['overdue', 'paid', 'pending']);
    const [only, ...more] = await cases();
    expect(more).toEqual([]);
    expect(only).toMatchObject({ overdue_days: await daysOverdue(), bucket: 'M2' });
    expect(only?.overdue_days).toBeGreaterThan(30);
    const overdueRuns = await sql<{ n: number }>`
      select count(*)::int as n from joinery.automation_runs
      where rule_id = '5b7e4a2d-1f0c-4c83-8e7a-2a9d3c6b8e12' and status = 'succeeded'
        and trigger->>'recordId' = ${contractId}`.execute(db());
    expect(overdueRuns.rows[0]?.n).toBe(1);
  });
});
