import { caller, label } from './records-fixture.ts';
import type { TestApp } from './test-app.ts';

const options = (...values: string[]) => values.map((value) => ({ value, label: label(value) }));

/** Customers with an acquisition channel. */
export const customerForm = {
  key: 'customer',
  label: label('客户', 'Customer'),
  fields: [
    { id: 'c1', key: 'name', type: 'text', label: label('姓名', 'Name') },
    {
      id: 'c2',
      key: 'channel',
      type: 'select',
      label: label('渠道', 'Channel'),
      config: { options: options('online', 'agent', 'branch') },
    },
  ],
};

/** Deals of customers: an amount in money, a status, a signing instant and a product. */
export const dealForm = {
  key: 'deal',
  label: label('交易', 'Deal'),
  fields: [
    {
      id: 'd1',
      key: 'customer',
      type: 'relation',
      label: label('客户', 'Customer'),
      config: { form: 'customer' },
    },
    { id: 'd2', key: 'amount', type: 'money', label: label('金额', 'Amount') },
    {
      id: 'd3',
      key: 'status',
      type: 'select',
      label: label('状态', 'Status'),
      config: { options: options('open', 'won', 'lost') },
    },
    { id: 'd4', key: 'signed_at', type: 'datetime', label: label('签约时间', 'Signed at') },
    { id: 'd5', key: 'product', type: 'text', label: label('产品', 'Product') },
  ],
};

/** Funnel across two forms by channel: customers → deals → won deals. */
export const funnel = {
  version: 1,
  chart: { type: 'funnel', version: 1 },
  sources: [
    { key: 'c', dataset: 'customer' },
    { key: 'd', dataset: 'deal' },
  ],
  dimensions: [{ key: 'channel', field: { c: 'channel', d: 'customer.channel' } }],
  measures: [
    { key: 'customers', op: 'count', source: 'c' },
    { key: 'deals', op: 'count', source: 'd' },
    { key: 'won', op: 'count', source: 'd', filter: { '==': [{ var: 'status' }, 'won'] } },
  ],
};

/** One generated customer. */
export interface CustomerRow {
  readonly name: string;
  readonly channel: string;
}

/** One generated deal; `customer` is an index into the customers. */
export interface DealRow {
  readonly customer: number;
  /** In cents, so the independent computation is exact. */
  readonly cents: number;
  readonly status: string;
  readonly signedAt: string;
  readonly product: string;
}

/** A small deterministic generator (LCG), so every run inserts the same rows. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Nine customers over three channels and 150 deals over six months; a third of the signing
 * instants fall within eight hours of a UTC month boundary, so a month bucketed in UTC instead
 * of Asia/Shanghai would count them in the wrong month.
 */
export function generateRows(): { customers: CustomerRow[]; deals: DealRow[] } {
  const next = random(20261123);
  const channels = ['online', 'agent', 'branch'];
  const customers = Array.from({ length: 9 }, (_, i) => ({
    name: `客户${i}`,
    channel: channels[i % 3] ?? 'online',
  }));
  const statuses = ['open', 'won', 'lost'];
  const products = ['car', 'home', 'personal'];
  const deals = Array.from({ length: 150 }, (_, i) => {
    const month = 1 + Math.floor(next() * 6);
    const edge = i % 3 === 0;
    const day = edge ? (next() < 0.5 ? 1 : 28) : 2 + Math.floor(next() * 25);
    const hour = edge ? (day === 1 ? Math.floor(next() * 8) : 16 + Math.floor(next() * 8)) : 12;
    const signedAt = new Date(Date.UTC(2026, month - 1, day, hour, 30)).toISOString();
    return {
      customer: Math.floor(next() * customers.length),
      cents: 100_000 + Math.floor(next() * 50_000_000),
      status: statuses[Math.floor(next() * 3)] ?? 'open',
      signedAt,
      product: products[Math.floor(next() * 3)] ?? 'car',
    };
  });
  return { customers, deals };
}

/** `YYYY-MM-01` of an instant in China Standard Time (UTC+8, no daylight saving). */
export function shanghaiMonth(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${local.toISOString().slice(0, 7)}-01`;
}

/** Cents as the exact decimal string Postgres prints for a numeric sum (`1234.50`). */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Sums per key. */
export function groupSum<T>(
  rows: readonly T[],
  key: (row: T) => string,
  value: (row: T) => number,
) {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + value(row));
  return totals;
}

/** A new user with one new role holding `permissions` on `app`, signed in. */
export async function userWithRole(
  t: TestApp,
  admin: ReturnType<typeof caller>,
  app: string,
  username: string,
  permissions: unknown,
): Promise<{ id: string; call: ReturnType<typeof caller> }> {
  const role = await admin('POST', '/api/roles', {
    key: username,
    name: label(username),
    permissions: { apps: { [app]: permissions } },
  });
  if (role.statusCode !== 201) throw new Error(role.body);
  const created = await admin('POST', '/api/users', {
    username,
    displayName: username,
    password: `${username}-Password-1`,
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const id: string = created.json().id;
  const assigned = await admin('PUT', `/api/users/${id}/roles`, { roleIds: [role.json().id] });
  if (assigned.statusCode !== 200) throw new Error(assigned.body);
  return { id, call: caller(t, await t.login(username, `${username}-Password-1`)) };
}
