import type { DatasetCatalog } from '../dataset.ts';

/** Rows of the test fixture: a small lending book, generated from a seed. */
export interface CustomerRow {
  readonly id: number;
  readonly channel: string | null;
  readonly owner: number;
  readonly grade: string | null;
  readonly createdAt: string;
  readonly income: string;
}

export interface ApplicationRow {
  readonly id: number;
  readonly customerId: number | null;
  readonly owner: number;
  readonly amount: string | null;
  readonly term: number;
  readonly status: string;
  readonly submittedAt: string;
  readonly reviewedAt: string | null;
  readonly decidedOn: string | null;
}

export interface SpendRow {
  readonly id: number;
  readonly channel: string;
  readonly month: string;
  readonly spend: string;
}

export interface LendingFixture {
  readonly customers: readonly CustomerRow[];
  readonly applications: readonly ApplicationRow[];
  readonly spend: readonly SpendRow[];
}

/** The datasets of the fixture, as the runtime would describe them. */
export const lendingCatalog: DatasetCatalog = {
  customers: {
    table: 'customers',
    fields: {
      channel: { column: 'channel', type: 'text' },
      owner: { column: 'owner', type: 'number' },
      grade: { column: 'grade', type: 'text' },
      created: { column: 'created_at', type: 'datetime' },
      income: { column: 'income', type: 'money' },
    },
  },
  applications: {
    table: 'applications',
    fields: {
      owner: { column: 'owner', type: 'number' },
      amount: { column: 'amount', type: 'money' },
      term: { column: 'term', type: 'number' },
      status: { column: 'status', type: 'text' },
      submitted: { column: 'submitted_at', type: 'datetime' },
      reviewed: { column: 'reviewed_at', type: 'datetime' },
      decided: { column: 'decided_on', type: 'date' },
    },
    relations: { customer: { dataset: 'customers', foreignKey: 'customer_id', targetKey: 'id' } },
  },
  spend: {
    table: 'channel_spend',
    fields: {
      channel: { column: 'channel', type: 'text' },
      month: { column: 'month', type: 'date' },
      spend: { column: 'spend', type: 'money' },
    },
  },
};

/** The fixture's tables (columns as the catalogue names them). */
export const LENDING_DDL = `
create table customers (id int primary key, channel text, owner int not null, grade text,
  created_at timestamptz(3) not null, income numeric(14,2) not null);
create table applications (id int primary key, customer_id int, owner int not null,
  amount numeric(14,2), term int not null, status text not null,
  submitted_at timestamptz(3) not null, reviewed_at timestamptz(3), decided_on date);
create table channel_spend (id int primary key, channel text not null, month date not null,
  spend numeric(14,2) not null);
`;

export const CHANNELS = ['online', 'agent', 'branch', 'partner'] as const;
export const STATUSES = ['submitted', 'rejected', 'approved', 'signed', 'disbursed'] as const;

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A lending book over 2025-11 … 2026-04, with the awkward cases reports must get right:
 * timestamps around midnight in Shanghai (bucket edges), money like 0.10 + 0.20, nulls in
 * dimensions and measures, applications of customers outside a viewer's scope, dangling
 * references.
 */
export function generateLending(
  seed: number,
  customerCount = 240,
  applicationCount = 700,
): LendingFixture {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const start = Date.parse('2025-11-01T00:00:00.000+08:00');
  const span = Date.parse('2026-05-01T00:00:00.000+08:00') - start;
  const instant = () => {
    // Some instants fall a few minutes around a Shanghai midnight.
    const base = start + Math.floor(next() * span);
    if (next() < 0.15) {
      const day = Math.floor((base - start) / 86_400_000);
      return new Date(
        start + day * 86_400_000 + Math.floor((next() - 0.5) * 600_000),
      ).toISOString();
    }
    return new Date(base).toISOString();
  };
  const money = (max: number) => {
    const cents = next() < 0.1 ? pick([10, 20, 30, 1]) : Math.floor(next() * max * 100);
    return (cents / 100).toFixed(2);
  };
  const customers: CustomerRow[] = Array.from({ length: customerCount }, (_, index) => ({
    id: index + 1,
    channel: next() < 0.05 ? null : pick(CHANNELS),
    owner: 1 + Math.floor(next() * 4),
    grade: next() < 0.1 ? null : pick(['A', 'B', 'C', 'D']),
    createdAt: instant(),
    income: money(50_000),
  }));
  const applications: ApplicationRow[] = Array.from({ length: applicationCount }, (_, index) => {
    const submittedAt = instant();
    const decided = next() < 0.8;
    const decidedOn = decided
      ? new Date(Date.parse(submittedAt) + Math.floor(next() * 120) * 86_400_000 + 8 * 3_600_000)
          .toISOString()
          .slice(0, 10)
      : null;
    const reviewedAt = decided
      ? new Date(Date.parse(submittedAt) + Math.floor(next() * 72 * 3_600_000)).toISOString()
      : null;
    return {
      id: index + 1,
      customerId:
        next() < 0.03 ? null : next() < 0.02 ? 9999 : 1 + Math.floor(next() * customerCount),
      owner: 1 + Math.floor(next() * 4),
      amount: next() < 0.04 ? null : money(300_000),
      term: pick([6, 12, 24, 36]),
      status: pick(STATUSES),
      submittedAt,
      reviewedAt,
      decidedOn,
    };
  });
  const spend: SpendRow[] = [];
  for (const channel of CHANNELS) {
    for (const month of ['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01']) {
      spend.push({ id: spend.length + 1, channel, month, spend: money(100_000) });
    }
  }
  return { customers, applications, spend };
}

/** Parameterised inserts of the fixture's rows (at most 500 rows a statement). */
export function lendingInserts(fixture: LendingFixture): { text: string; values: unknown[] }[] {
  const statements: { text: string; values: unknown[] }[] = [];
  const add = (table: string, columns: string[], rows: unknown[][]) => {
    for (let offset = 0; offset < rows.length; offset += 500) {
      const chunk = rows.slice(offset, offset + 500);
      const values: unknown[] = [];
      const tuples = chunk.map((row) => {
        const placeholders = row.map((value) => {
          values.push(value);
          return `$${values.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      statements.push({
        text: `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`,
        values,
      });
    }
  };
  add(
    'customers',
    ['id', 'channel', 'owner', 'grade', 'created_at', 'income'],
    fixture.customers.map((c) => [c.id, c.channel, c.owner, c.grade, c.createdAt, c.income]),
  );
  add(
    'applications',
    [
      'id',
      'customer_id',
      'owner',
      'amount',
      'term',
      'status',
      'submitted_at',
      'reviewed_at',
      'decided_on',
    ],
    fixture.applications.map((a) => [
      a.id,
      a.customerId,
      a.owner,
      a.amount,
      a.term,
      a.status,
      a.submittedAt,
      a.reviewedAt,
      a.decidedOn,
    ]),
  );
  add(
    'channel_spend',
    ['id', 'channel', 'month', 'spend'],
    fixture.spend.map((s) => [s.id, s.channel, s.month, s.spend]),
  );
  return statements;
}
