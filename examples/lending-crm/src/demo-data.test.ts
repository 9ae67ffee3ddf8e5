import { checkNationalId } from '@joinery/forms';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  type DemoItem,
  type DemoOptions,
  type DemoRow,
  type DemoStaff,
  demoBlock,
  demoHeadRows,
  lendingDemoRows,
} from './demo-data.ts';
import { blockSummary, DemoSequence, settleBlock } from './demo-sequence.ts';

const staff: DemoStaff = {
  salesByChannel: {
    online_ads: ['00000000-0000-4000-8000-000000000001'],
    referral: ['00000000-0000-4000-8000-000000000002'],
    partner: ['00000000-0000-4000-8000-000000000003'],
    offline_store: ['00000000-0000-4000-8000-000000000004'],
    telemarketing: ['00000000-0000-4000-8000-000000000005'],
  },
  collectors: ['00000000-0000-4000-8000-000000000006'],
  finance: ['00000000-0000-4000-8000-000000000007'],
};
type Row = Readonly<Record<string, unknown>>;

function generate(seed: number): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  for (const item of lendingDemoRows({ size: 'small', seed, asOf: '2026-11-23', staff })) {
    if ('flush' in item) continue;
    const list = tables.get(item.table) ?? [];
    list.push(item.row);
    tables.set(item.table, list);
  }
  return tables;
}
const rowsOf = (tables: Map<string, Row[]>, table: string) => tables.get(table) ?? [];

describe('the lending demo data', () => {
  const data = generate(42);

  it('is the same for the same seed and different for another', () => {
    expect(JSON.stringify([...generate(42)])).toBe(JSON.stringify([...data]));
    expect(JSON.stringify([...generate(43)])).not.toBe(JSON.stringify([...data]));
  });

  it('has the small size: 300 customers and 600 applications in every state', () => {
    expect(rowsOf(data, 'customer')).toHaveLength(300);
    const applications = rowsOf(data, 'loan_application');
    expect(applications).toHaveLength(600);
    expect(new Set(applications.map((a) => a.status))).toEqual(
      new Set([
        'draft',
        'in_review',
        'returned',
        'approved',
        'signed',
        'withdrawn',
        'rejected',
        'disbursed',
      ]),
    );
    const serials = applications.map((a) => String(a.serial_no));
    expect(new Set(serials).size).toBe(600);
    expect(serials[0]).toMatch(/^LA-\d{8}-\d{4}$/);
  });

  it('spreads applications over 18 months', () => {
    const months = new Set(
      rowsOf(data, 'loan_application').map((a) => String(a.created_at).slice(0, 7)),
    );
    expect(months.size).toBeGreaterThanOrEqual(18);
  });

  it('gives customers zh_CN names, unique mobiles and valid, unique national ID numbers', () => {
    const customers = rowsOf(data, 'customer');
    for (const customer of customers) {
      expect(checkNationalId(String(customer.id_number))).toBeNull();
      expect(String(customer.name)).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
      expect(String(customer.mobile)).toMatch(/^1[3-9]\d{9}$/);
      expect(customer.birth_date).toBe(
        `${String(customer.id_number).slice(6, 10)}-${String(customer.id_number).slice(10, 12)}-${String(customer.id_number).slice(12, 14)}`,
      );
    }
    expect(new Set(customers.map((c) => c.mobile)).size).toBe(customers.length);
    expect(new Set(customers.map((c) => c.id_number)).size).toBe(customers.length);
  });

  it('gives every disbursed application a contract whose schedule adds up to the cent', () => {
    const disbursed = rowsOf(data, 'loan_application').filter((a) => a.status === 'disbursed');
    const contracts = rowsOf(data, 'contract');
    expect(contracts).toHaveLength(disbursed.length);
    const schedule = rowsOf(data, 'contract__repayment_schedule');
    for (const contract of contracts) {
      const rows = schedule.filter((r) => r.parent_id === contract.id);
      expect(rows).toHaveLength(Number(contract.term));
      const principal = rows.reduce((t, r) => t.plus(String(r.principal)), new Decimal(0));
      expect(principal.toFixed(2)).toBe(contract.principal);
      expect(new Decimal(String(contract.total_principal)).eq(String(contract.principal))).toBe(
        true,
      );
    }
  });

  it('records repayments exactly for the paid instalments', () => {
    const schedule = rowsOf(data, 'contract__repayment_schedule');
    const paid = schedule.filter((r) => r.status === 'paid');
    const repayments = rowsOf(data, 'repayment');
    expect(repayments).toHaveLength(paid.length);
    const total = (values: unknown[]) =>
      values.reduce<Decimal>((t, v) => t.plus(String(v)), new Decimal(0)).toFixed(2);
    expect(total(repayments.map((r) => r.amount))).toBe(
      total(paid.flatMap((r) => [r.principal, r.interest])),
    );
  });

  it('opens a collection case for each contract with missed payments, in the right bucket', () => {
    const schedule = rowsOf(data, 'contract__repayment_schedule');
    const overdueContracts = new Set(
      schedule.filter((r) => r.status === 'overdue').map((r) => r.parent_id),
    );
    const open = rowsOf(data, 'collection_case').filter((c) => c.status !== 'recovered');
    expect(overdueContracts.size).toBeGreaterThan(0);
    expect(new Set(open.map((c) => c.contract))).toEqual(overdueContracts);
    for (const item of open) {
      const firstMissed = schedule
        .filter((r) => r.parent_id === item.contract && r.status === 'overdue')
        .map((r) => String(r.due_date))
        .sort()[0];
      expect(item.overdue_since).toBe(firstMissed);
      const days = Math.round(
        (Date.parse('2026-11-23') - Date.parse(String(firstMissed))) / 86_400_000,
      );
      expect(item.overdue_days).toBe(days);
      expect(item.bucket).toBe(bucketOf(days));
    }
    expect(bucketOf(1)).toBe('M1');
    expect(bucketOf(30)).toBe('M1');
    expect(bucketOf(31)).toBe('M2');
    expect(bucketOf(60)).toBe('M2');
    expect(bucketOf(61)).toBe('M3+');
  });

  it('marks batch boundaries for streaming writers', () => {
    const items: DemoItem[] = [
      ...lendingDemoRows({ size: 'small', seed: 1, asOf: '2026-11-23', staff }),
    ];
    expect(items.at(-1)).toEqual({ flush: true, customers: 300 });
  });

  it('gives the same rows when blocks are generated apart, in any order, and settled in order', () => {
    const options: DemoOptions = { size: 'medium', seed: 5, asOf: '2026-11-23', staff };
    const inOrder: DemoItem[] = [];
    let flushes = 0;
    for (const item of lendingDemoRows(options)) {
      if ('flush' in item && ++flushes === 3) break;
      inOrder.push(item);
    }
    // As worker threads would: the blocks generated last first, settled in block order.
    const blocks = new Map<number, DemoRow[]>();
    for (const block of [2, 1, 0]) blocks.set(block, demoBlock(options, block));
    const sequence = new DemoSequence();
    const apart: DemoItem[] = [...demoHeadRows(options)];
    for (const block of [0, 1, 2]) {
      const rows = blocks.get(block) as DemoRow[];
      settleBlock(rows, sequence.settle(blockSummary(rows)));
      apart.push(...rows);
      if (block < 2) apart.push({ flush: true, customers: (block + 1) * 1000 });
    }
    expect(JSON.stringify(apart)).toBe(JSON.stringify(inOrder));
    // Serial numbers continue across blocks: unique, and each day's numbers 1..n.
    const serials = inOrder.flatMap((item) =>
      'table' in item && item.table === 'loan_application' ? [String(item.row.serial_no)] : [],
    );
    expect(new Set(serials).size).toBe(serials.length);
    const perDay = new Map<string, number[]>();
    for (const serial of serials) {
      const day = serial.slice(0, 11);
      perDay.set(day, [...(perDay.get(day) ?? []), Number(serial.slice(12))]);
    }
    for (const numbers of perDay.values()) {
      expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('replaces an ID number an earlier block already gave, keeping it valid', () => {
    const options: DemoOptions = { size: 'medium', seed: 5, asOf: '2026-11-23', staff };
    const rows = demoBlock(options, 0);
    const sequence = new DemoSequence();
    sequence.settle(blockSummary(rows));
    // The same block again: every customer's ID number is taken, so each is replaced.
    const again = demoBlock(options, 0);
    settleBlock(again, sequence.settle(blockSummary(again)));
    const ids = (list: DemoRow[]) =>
      list.filter((r) => r.table === 'customer').map((r) => String(r.row.id_number));
    const all = [...ids(rows), ...ids(again)];
    expect(new Set(all).size).toBe(all.length);
    for (const item of again.filter((r) => r.table === 'customer')) {
      const id = String(item.row.id_number);
      expect(checkNationalId(id)).toBeNull();
      expect(item.row.gender).toBe(Number(id[16]) % 2 === 1 ? 'male' : 'female');
      expect(id.slice(6, 14)).toBe(String(item.row.birth_date).replaceAll('-', ''));
    }
  });
});
