import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLending } from '../src/apps/seed-lending.ts';
import { ApiTokenStore } from '../src/auth/api-token-store.ts';
import { type Actor, WorkflowKit } from './workflow-kit.ts';

/**
 * One large loan through the template's approval workflow by the API, as each role of the
 * spec: a return for documents, the parallel risk and compliance reviews, the 2-of-3 committee
 * countersign, signing by the salesperson and disbursement by finance.
 */
describe('a loan through the lending CRM approval workflow', () => {
  let kit: WorkflowKit;
  const as = new Map<string, Actor>();
  const actor = (name: string) => {
    const found = as.get(name);
    if (!found) throw new Error(`no actor ${name}`);
    return found;
  };

  beforeAll(async () => {
    kit = await WorkflowKit.create();
    await seedLending(kit.database, { size: 'small', seed: 7 });
    const users = await kit.database.db
      .selectFrom('joinery.users')
      .select(['id', 'username'])
      .execute();
    for (const user of users) {
      const issued = await new ApiTokenStore(kit.database.db).issue(user.id, 'test', null);
      as.set(user.username, {
        id: user.id,
        name: user.username,
        headers: { authorization: `Bearer ${issued.token}` },
      });
    }
  }, 120_000);
  afterAll(async () => {
    await kit?.close();
  });

  it('goes from submission to disbursement', async () => {
    const sales = actor('sales1');
    const customer = await sql<{ id: string }>`
      select id from app_lending.customer where owner = ${sales.id}::uuid and not blacklisted
      order by created_at limit 1`.execute(kit.database.db);
    const product = await sql<{ id: string }>`
      select id from app_lending.product where name = '经营周转贷'`.execute(kit.database.db);
    const recordId = await kit.record(
      'lending',
      'loan_application',
      {
        customer: customer.rows[0]?.id,
        product: product.rows[0]?.id,
        amount: '300000.00',
        term: 12,
        repayment_method: 'interest_first',
        purpose: 'business',
        monthly_income: '20000.00',
        monthly_debt: '12000.00',
        status: 'in_review',
      },
      sales,
    );
    expect((await kit.readRecord('lending', 'loan_application', recordId)).debt_to_income).toBe(
      '60',
    );
    const started = await kit.start(sales, 'lending', 'loan_application', recordId);
    const id = started.instanceId;
    expect(await kit.openNodes(id)).toEqual(['first-review']);

    const claimAndApprove = async (name: string, node: string) => {
      const task = await kit.taskOf(actor(name), id, node);
      if (task.claimedBy === null && task.assignees.length > 1) {
        await kit.act(actor(name), task.id, { action: 'claim' });
      }
      return kit.act(actor(name), task.id, { action: 'approve', comment: `${node} ok` });
    };
    await claimAndApprove('reviewer1', 'first-review');
    // Second review returns the application for more documents (退回补件) to the first review.
    const second = await kit.taskOf(actor('reviewer2'), id, 'second-review');
    if (second.claimedBy === null)
      await kit.act(actor('reviewer2'), second.id, { action: 'claim' });
    await kit.act(actor('reviewer2'), second.id, {
      action: 'return',
      target: { kind: 'node', nodeId: 'first-review' },
      comment: '请补充收入证明 · income proof needed',
    });
    expect(await kit.openNodes(id)).toEqual(['first-review']);
    await claimAndApprove('reviewer1', 'first-review');
    await claimAndApprove('reviewer2', 'second-review');

    // 300,000 > 50,000: risk and compliance in parallel, both must pass.
    expect(await kit.openNodes(id)).toEqual(['compliance-review', 'risk-review']);
    await claimAndApprove('risk1', 'risk-review');
    expect(await kit.openNodes(id)).toEqual(['compliance-review']);
    await claimAndApprove('compliance1', 'compliance-review');

    // Over 200,000 (and a debt-to-income of 60%): the committee countersigns, two of three.
    expect(await kit.openNodes(id)).toEqual(['committee', 'committee', 'committee']);
    await kit.approve(id, actor('committee1'), actor('committee2'));
    expect(await kit.openNodes(id)).toEqual(['signing']);

    expect((await kit.readRecord('lending', 'loan_application', recordId)).status).toBe('approved');
    const signing = await kit.taskOf(sales, id, 'signing');
    await kit.act(sales, signing.id, { action: 'approve', patch: { signed_on: '2026-11-20' } });
    const disbursement = await kit.taskOf(actor('finance1'), id, 'disbursement');
    const done = await kit.act(actor('finance1'), disbursement.id, {
      action: 'approve',
      patch: { disbursed_on: '2026-11-21', bank_account: '6222020200112233446' },
    });
    expect(done.status).toBe('finished');
    expect(done.outcome).toBe('approved');
    const record = await kit.readRecord('lending', 'loan_application', recordId);
    expect(record.signed_on).toBe('2026-11-20');
    expect(record.disbursed_on).toBe('2026-11-21');
    // The workflow moves the status along (approved → signed → disbursed), which is also what
    // opens the application to finance's row scope at the disbursement step.
    expect(record.status).toBe('disbursed');
    expect(await kit.timeline(id)).toEqual([
      'started',
      'claimed@first-review',
      'approved@first-review',
      'step-approved@first-review',
      'claimed@second-review',
      'returned@second-review',
      'claimed@first-review',
      'approved@first-review',
      'step-approved@first-review',
      'claimed@second-review',
      'approved@second-review',
      'step-approved@second-review',
      'branched@route',
      'approved@risk-review',
      'step-approved@risk-review',
      'approved@compliance-review',
      'step-approved@compliance-review',
      'joined@reviews-done',
      'branched@committee-check',
      'approved@committee',
      'approved@committee',
      'step-approved@committee',
      'automated@mark-approved',
      'approved@signing',
      'step-approved@signing',
      'automated@mark-signed',
      'approved@disbursement',
      'step-approved@disbursement',
      'automated@mark-disbursed',
      'ended@end',
    ]);
  });
});
