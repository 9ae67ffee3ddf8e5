import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { logicToSql, type SqlSchema } from '../index.ts';

// Compiles without a database: the shape of the SQL and where values go.
const db = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const schema: SqlSchema = {
  table: 'loans',
  fields: {
    amount: { column: 'amount', type: 'number' },
    name: { column: 'name', type: 'text' },
    owner: { column: 'owner_id', type: 'number' },
    grade: { column: 'grade', type: 'text' },
  },
  relations: {
    customer: {
      table: 'customers',
      foreignKey: 'customer_id',
      targetKey: 'id',
      fields: { grade: { column: 'grade', type: 'text' } },
    },
  },
};

function compiled(logic: unknown, context = {}) {
  return sql`${logicToSql(logic, schema, context)}`.compile(db);
}

function refusal(logic: unknown): unknown {
  try {
    logicToSql(logic, schema);
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('logicToSql', () => {
  it('sends every value as a parameter and quotes identifiers from the schema', () => {
    const evil = "x'; drop table loans; --";
    const query = compiled({
      and: [{ '==': [{ var: 'name' }, evil] }, { '>': [{ var: 'amount' }, 5] }],
    });
    expect(query.sql).not.toContain('drop table');
    expect(query.sql).toContain('"loans"."name"');
    expect(query.parameters).toContain(evil);
    expect(query.parameters).toContain(5);
  });

  it('turns context values into parameters', () => {
    const query = compiled({ '==': [{ var: 'owner' }, { var: '$user.id' }] }, { user: { id: 42 } });
    expect(query.parameters).toEqual([42]);
    const today = compiled(
      { '==': [{ var: 'name' }, { today: [] }] },
      { now: new Date('2026-05-06T07:00:00Z') },
    );
    expect(today.parameters).toEqual(['2026-05-06']);
  });

  it('reads related fields through a correlated subquery', () => {
    const query = compiled({ '==': [{ var: 'customer.grade' }, 'A'] });
    expect(query.sql).toContain('from "customers" as "jny_rel_customer"');
    expect(query.sql).toContain('"jny_rel_customer"."id" = "loans"."customer_id"');
  });

  it('refuses unknown fields, never passing the name through', () => {
    expect(refusal({ '==': [{ var: 'name"; drop' }, 1] })).toMatchObject({
      code: 'JNY_RULE_SQL_UNKNOWN_FIELD',
      params: { field: 'name"; drop', path: '/==/0/var' },
    });
    expect(refusal({ var: 'customer.secret' })).toMatchObject({
      code: 'JNY_RULE_SQL_UNKNOWN_FIELD',
    });
    expect(refusal({ var: '__proto__' })).toMatchObject({ code: 'JNY_RULE_SQL_UNKNOWN_FIELD' });
  });

  it('refuses what it cannot translate faithfully, with the reason and path', () => {
    expect(refusal({ and: [true, { '==': [{ var: 'name' }, 5] }] })).toMatchObject({
      code: 'JNY_RULE_SQL_UNSUPPORTED',
      params: { path: '/and/1/==' },
    });
    expect(refusal({ or: [{ regex_match: [{ var: 'name' }, 'a'] }] })).toMatchObject({
      code: 'JNY_RULE_SQL_UNSUPPORTED',
      params: { path: '/or/0/regex_match' },
    });
    expect(refusal({ '<': [{ var: 'name' }, { var: 'grade' }] })).toMatchObject({
      code: 'JNY_RULE_SQL_UNSUPPORTED',
    });
    expect(refusal({ some: [{ var: 'rows' }, true] })).toMatchObject({
      code: 'JNY_RULE_SQL_UNSUPPORTED',
    });
  });

  it('validates the expression like compileLogic', () => {
    expect(refusal({ nope: [] })).toMatchObject({ code: 'JNY_RULE_UNKNOWN_OPERATOR' });
  });

  it('folds conditions that read no field', () => {
    expect(compiled({ '==': [1, '1'] }).sql).toBe('true');
    expect(compiled({ '==': [{ var: '$user.id' }, 1] }, { user: { id: 2 } }).sql).toBe('false');
  });
});
