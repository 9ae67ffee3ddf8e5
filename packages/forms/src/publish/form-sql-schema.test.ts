import { logicToSql } from '@joinery/rules';
import { describe, expect, it } from 'vitest';
import { validateAppDefinition } from '../schema/validate-app-definition.ts';
import { lendingApp } from '../testing/lending-app.fixture.ts';
import { coldDb } from './ddl-compiler.ts';
import { formSqlSchema } from './form-sql-schema.ts';

const app = validateAppDefinition(lendingApp);
if (!app.ok) throw new Error('fixture');
const [customer, application] = app.value.forms;
if (!customer || !application) throw new Error('fixture');

describe('formSqlSchema', () => {
  it('maps filterable columns to rule types, with relations to sibling forms', () => {
    const schema = formSqlSchema(application, { forms: app.value.forms });
    expect(schema.table).toBe('loan_application');
    expect(schema.fields).toMatchObject({
      amount: { column: 'amount', type: 'money' },
      term: { column: 'term', type: 'number' },
      dti: { column: 'dti', type: 'number' },
      signed_on: { column: 'signed_on', type: 'date' },
      created_at: { column: 'created_at', type: 'datetime' },
      serial_no: { column: 'serial_no', type: 'text' },
    });
    expect(schema.fields).not.toHaveProperty('attachments');
    expect(schema.fields).not.toHaveProperty('customer_city');
    expect(schema.relations?.customer?.fields).toMatchObject({
      grade: { type: 'text' },
      tags: { type: 'text[]' },
    });
  });

  it('lets the rule engine translate a filter over the form', () => {
    const schema = formSqlSchema(application, { forms: app.value.forms });
    const where = logicToSql(
      { and: [{ '>': [{ var: 'amount' }, 50000] }, { '==': [{ var: 'customer.grade' }, 'A'] }] },
      schema,
    );
    const compiled = coldDb.selectFrom('loan_application').selectAll().where(where).compile();
    expect(compiled.sql).toContain('"loan_application"."amount"');
    expect(compiled.sql).toContain('"customer"');
    expect(compiled.parameters).toContain('A');
  });
});
