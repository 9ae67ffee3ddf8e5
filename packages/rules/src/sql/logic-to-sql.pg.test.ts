import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import { isJoineryError } from '@joinery/shared';
import fc from 'fast-check';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileLogic, logicToSql, type SqlSchema, truthy } from '../index.ts';

// Integration test through the public entry: the SQL filter and the in-memory evaluation must
// select exactly the same rows, on random conditions over random rows in a real Postgres.

const schema: SqlSchema = {
  table: 'loans',
  fields: {
    amount: { column: 'amount', type: 'number' },
    fee: { column: 'fee', type: 'money' },
    name: { column: 'name', type: 'text' },
    active: { column: 'active', type: 'boolean' },
    due: { column: 'due', type: 'date' },
    seen: { column: 'seen_at', type: 'datetime' },
    tags: { column: 'tags', type: 'text[]' },
  },
  relations: {
    customer: {
      table: 'customers',
      foreignKey: 'customer_id',
      targetKey: 'id',
      fields: {
        grade: { column: 'grade', type: 'text' },
        score: { column: 'score', type: 'number' },
      },
    },
  },
};

const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 4 });
const numbers = fc.constantFrom(-3, -1, 0, 1, 2, 3, 0.5, -1.5, 1000, 0.1, 0.3);
const money = fc.constantFrom(0, 0.1, 0.2, 0.3, 100.25, -5, 1000);
const texts = fc.constantFrom('', 'a', 'abc', 'B', '0', '5', 'null', 'x y', 'ab');
const dates = fc.constantFrom('2024-01-31', '2024-02-29', '2023-12-01', '2024-01-01');
const datetimes = fc.constantFrom('2024-01-01T00:00:00.000Z', '2024-06-30T12:34:56.789Z');
const customers = [
  { id: 1, grade: 'A', score: 700 },
  { id: 2, grade: 'B', score: null },
  { id: 3, grade: null, score: 550.5 },
];

const row = fc.record({
  amount: nullable(numbers),
  fee: nullable(money),
  name: nullable(texts),
  active: nullable(fc.boolean()),
  due: nullable(dates),
  seen: nullable(datetimes),
  tags: nullable(fc.constantFrom([], ['a'], ['a', 'b'], ['abc'])),
  customerId: fc.constantFrom(null, 1, 2, 3, 99),
});
type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

const fieldNames = [...Object.keys(schema.fields), 'customer.grade', 'customer.score'];
const field = fc.constantFrom(...fieldNames).map((name) => ({ var: name }));
const numberField = fc
  .constantFrom('amount', 'fee', 'customer.score')
  .map((name) => ({ var: name }));
const constant = fc.oneof(
  numbers,
  texts,
  dates,
  datetimes,
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('2024-02', '2024-01-31T00:00:00Z', ' 3 ', '1e3'),
  fc.constant({ var: '$user.level' }),
);
const operand = fc.oneof(numberField, numbers);
const arithmetic = fc.oneof(
  fc
    .tuple(fc.constantFrom('+', '*'), fc.array(operand, { minLength: 1, maxLength: 3 }))
    .map(([op, args]) => ({ [op]: args })),
  fc.array(operand, { minLength: 1, maxLength: 2 }).map((args) => ({ '-': args })),
  fc.tuple(operand, operand).map((args) => ({ '/': args })),
);
const value = fc.oneof(
  { weight: 3, arbitrary: field },
  { weight: 3, arbitrary: constant },
  { weight: 1, arbitrary: arithmetic },
);

const { condition } = fc.letrec<{ condition: unknown }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(fc.constantFrom('==', '!=', '===', '!==', '<', '<=', '>', '>='), value, value)
      .map(([op, a, b]) => ({ [op]: [a, b] })),
    fc
      .tuple(fc.constantFrom('<', '<='), numberField, numbers, numbers)
      .map(([op, a, b, c]) => ({ [op]: [b, a, c] })),
    field,
    fc
      .tuple(
        field,
        fc.array(fc.oneof(numbers, texts, dates, fc.boolean(), fc.constant(null)), {
          maxLength: 4,
        }),
      )
      .map(([f, list]) => ({ in: [f, list] })),
    fc
      .tuple(texts, fc.constantFrom({ var: 'name' }, { var: 'tags' }))
      .map(([needle, f]) => ({ in: [needle, f] })),
    fc
      .tuple(fc.constantFrom('starts_with', 'ends_with', 'contains'), texts)
      .map(([op, text]) => ({ [op]: [{ var: 'name' }, text] })),
    fc.array(tie('condition'), { maxLength: 3 }).map((items) => ({ and: items })),
    fc.array(tie('condition'), { maxLength: 3 }).map((items) => ({ or: items })),
    tie('condition').map((item) => ({ '!': item })),
    fc.array(tie('condition'), { minLength: 1, maxLength: 4 }).map((items) => ({ if: items })),
  ),
}));

const context = { user: { id: 7, level: 3 }, now: new Date('2024-03-01T00:00:00.000Z') };

let database: TestDatabase;
let db: Kysely<Record<string, never>>;
let rows: Row[];

function record(source: Row): Record<string, unknown> {
  const customer = customers.find((candidate) => candidate.id === source.customerId) ?? null;
  const { customerId: _, ...fields } = source;
  return { ...fields, customer: customer && { grade: customer.grade, score: customer.score } };
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = new Kysely({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
  });
  await sql`create table customers (id int primary key, grade text, score float8)`.execute(db);
  await sql`create table loans (id serial primary key, amount float8, fee numeric(14, 2), name text, active boolean, due date, seen_at timestamptz(3), tags text[], customer_id int)`.execute(
    db,
  );
  for (const customer of customers) {
    await sql`insert into customers values (${customer.id}, ${customer.grade}, ${customer.score})`.execute(
      db,
    );
  }
  rows = fc.sample(row, { numRuns: 80 });
  rows.push({
    amount: null,
    fee: null,
    name: null,
    active: null,
    due: null,
    seen: null,
    tags: null,
    customerId: null,
  });
  for (const item of rows) {
    await sql`insert into loans (amount, fee, name, active, due, seen_at, tags, customer_id) values (${item.amount}, ${item.fee}, ${item.name}, ${item.active}, ${item.due}, ${item.seen}, ${item.tags}, ${item.customerId})`.execute(
      db,
    );
  }
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

async function selectedBySql(logic: unknown): Promise<number[]> {
  const where = logicToSql(logic, schema, context);
  const result = await sql<{ id: number }>`select id from loans where ${where} order by id`.execute(
    db,
  );
  return result.rows.map((found) => found.id);
}

function selectedInMemory(logic: unknown): number[] {
  const compiled = compileLogic(logic);
  return rows.flatMap((item, index) =>
    truthy(compiled(record(item), context)) ? [index + 1] : [],
  );
}

describe('logicToSql agrees with compileLogic on a real Postgres', () => {
  it('selects the same rows for random conditions', async () => {
    let translated = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(condition, async (logic) => {
        let ids: number[];
        try {
          ids = await selectedBySql(logic);
        } catch (error) {
          if (isJoineryError(error) && error.code === 'JNY_RULE_SQL_UNSUPPORTED') {
            refused += 1;
            return;
          }
          throw error;
        }
        translated += 1;
        expect(ids).toEqual(selectedInMemory(logic));
      }),
      { numRuns: 400 },
    );
    expect(translated).toBeGreaterThan(refused);
  });

  it('filters by a lending rule with a relation and context values', async () => {
    const logic = {
      and: [
        { '<=': [{ var: 'amount' }, 1000] },
        { in: [{ var: 'customer.grade' }, ['A', 'B']] },
        { '>=': [{ var: 'amount' }, { var: '$user.level' }] },
      ],
    };
    expect(await selectedBySql(logic)).toEqual(selectedInMemory(logic));
  });
});
