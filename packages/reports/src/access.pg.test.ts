import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import { isJoineryError } from '@joinery/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportQuery, fullAccess, prepareReport, type ReportAccess } from './index.ts';
import {
  generateLending,
  LENDING_DDL,
  lendingCatalog,
  lendingInserts,
} from './testing/lending-fixture.ts';
import { decimalSum } from './testing/reference.ts';
import { records, reportRunner } from './testing/report-runner.ts';

// Reports run under the viewer's rights: totals over exactly the rows their scope selects
// (related records included), and no field they may not read in a dimension, measure or filter.

const fixture = generateLending(23);
const apps = fixture.applications;
const customersById = new Map(fixture.customers.map((c) => [c.id, c]));
let database: TestDatabase;
let pool: pg.Pool;
const execute = async (text: string, values: readonly unknown[]) =>
  (await pool.query(text, [...values])).rows;
const runAs = reportRunner(lendingCatalog, execute);

const USER = 2;
const ownScope = { '==': [{ var: 'owner' }, { var: '$user.id' }] };
const salesAccess: ReportAccess = {
  applications: {
    scope: ownScope,
    readableColumns: new Set(['owner', 'status', 'submitted', 'term']),
  },
  customers: { scope: ownScope, readableColumns: new Set(['channel', 'owner', 'created']) },
  spend: { scope: true, readableColumns: 'all' },
};

async function run(definition: unknown, access: ReportAccess, globalFilters: unknown[] = []) {
  const report = prepareReport(definition, lendingCatalog);
  const query = buildReportQuery(report, {
    access,
    globalFilters,
    context: { user: { id: USER } },
  });
  return { report, query, rows: await execute(query.compiled.sql, query.compiled.parameters) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query(LENDING_DDL);
  for (const statement of lendingInserts(fixture))
    await pool.query(statement.text, statement.values);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

function refusal(action: () => unknown): {
  code: string;
  params: Readonly<Record<string, unknown>>;
} {
  try {
    action();
  } catch (error) {
    if (isJoineryError(error)) return { code: error.code, params: error.params };
    throw error;
  }
  throw new Error('not refused');
}

const byStatus = {
  version: 1,
  chart: { type: 'bar', version: 1 },
  sources: [{ key: 'a', dataset: 'applications' }],
  dimensions: [{ key: 'status', field: 'status' }],
  measures: [
    { key: 'n', op: 'count' },
    { key: 'terms', op: 'sum', field: 'term' },
  ],
};

describe('row scope', () => {
  it('totals cover exactly the rows the viewer may see', async () => {
    const { rows } = await run(byStatus, salesAccess);
    const mine = apps.filter((a) => a.owner === USER);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(apps.length);
    for (const row of rows) {
      const group = mine.filter((a) => a.status === row.status);
      expect(row.n).toBe(group.length);
      expect(row.terms).toBe(group.reduce((sum, a) => sum + a.term, 0));
    }
    expect(rows.reduce((sum, row) => sum + Number(row.n), 0)).toBe(mine.length);
  });

  it('a related record outside the scope reads as null, in dimensions and in filters', async () => {
    const visibleChannel = (a: (typeof apps)[number]) => {
      const customer = a.customerId === null ? undefined : customersById.get(a.customerId);
      return customer && customer.owner === USER ? customer.channel : null;
    };
    const { rows } = await run(
      {
        version: 1,
        chart: { type: 'table', version: 1 },
        sources: [{ key: 'a', dataset: 'applications' }],
        dimensions: [{ key: 'channel', field: 'customer.channel' }],
        measures: [
          { key: 'n', op: 'count' },
          { key: 'online', op: 'count', filter: { '==': [{ var: 'customer.channel' }, 'online'] } },
        ],
      },
      salesAccess,
    );
    const mine = apps.filter((a) => a.owner === USER);
    for (const row of rows) {
      expect(row.n).toBe(mine.filter((a) => visibleChannel(a) === row.channel).length);
      expect(row.online).toBe(row.channel === 'online' ? row.n : 0);
    }
  });

  it('each source of a cross-form report is scoped on its own', async () => {
    const { rows } = await run(
      {
        version: 1,
        chart: { type: 'kpi', version: 1 },
        sources: [
          { key: 'c', dataset: 'customers' },
          { key: 'a', dataset: 'applications' },
        ],
        measures: [
          { key: 'customers', op: 'count', source: 'c' },
          { key: 'applications', op: 'count', source: 'a' },
        ],
      },
      salesAccess,
    );
    expect(rows).toEqual([
      {
        customers: fixture.customers.filter((c) => c.owner === USER).length,
        applications: apps.filter((a) => a.owner === USER).length,
      },
    ]);
  });

  it('a scope may read fields the viewer cannot (it decides visibility, it is not shown)', async () => {
    const access: ReportAccess = {
      ...salesAccess,
      applications: {
        scope: { '>=': [{ var: 'amount' }, 100000] },
        readableColumns: new Set(['status']),
      },
    };
    const { rows } = await run({ ...byStatus, measures: [{ key: 'n', op: 'count' }] }, access);
    const total = rows.reduce((sum, row) => sum + Number(row.n), 0);
    expect(total).toBe(apps.filter((a) => a.amount !== null && Number(a.amount) >= 100000).length);
  });
});

describe('field rights', () => {
  const report = (patch: Record<string, unknown>) =>
    prepareReport({ ...byStatus, measures: [{ key: 'n', op: 'count' }], ...patch }, lendingCatalog);
  const build =
    (patch: Record<string, unknown>, globalFilters: unknown[] = []) =>
    () =>
      buildReportQuery(report(patch), {
        access: salesAccess,
        globalFilters,
      });

  it('an unreadable field cannot be summed, grouped or filtered on — directly or through a relation', () => {
    const unreadable = (field: string) => ({
      code: 'JNY_REPORT_FIELD_UNREADABLE',
      params: { field },
    });
    expect(refusal(build({ measures: [{ key: 's', op: 'sum', field: 'amount' }] }))).toEqual(
      unreadable('amount'),
    );
    expect(refusal(build({ measures: [{ key: 's', op: 'max', field: 'decided' }] }))).toEqual(
      unreadable('decided'),
    );
    expect(
      refusal(build({ dimensions: [{ key: 'd', field: 'amount', boundaries: [1] }] })),
    ).toEqual(unreadable('amount'));
    expect(refusal(build({ dimensions: [{ key: 'g', field: 'customer.grade' }] }))).toEqual(
      unreadable('customer.grade'),
    );
    expect(
      refusal(
        build({
          sources: [{ key: 'a', dataset: 'applications', filter: { '>': [{ var: 'amount' }, 0] } }],
        }),
      ),
    ).toEqual(unreadable('amount'));
    expect(
      refusal(
        build({
          measures: [{ key: 'n', op: 'count', filter: { '==': [{ var: 'customer.income' }, 0] } }],
        }),
      ),
    ).toEqual(unreadable('customer.income'));
    expect(
      refusal(build({ globalFields: { size: 'amount' } }, [{ '>': [{ var: 'size' }, 1000] }])),
    ).toEqual(unreadable('amount'));
  });

  it('a related field also needs the reference field leading to it, when the relation names one', () => {
    const applications = lendingCatalog.applications;
    if (!applications) throw new Error('fixture');
    const catalog = {
      ...lendingCatalog,
      applications: {
        ...applications,
        fields: {
          ...applications.fields,
          customer: { column: 'customer_id', type: 'number' as const },
        },
        relations: {
          customer: {
            dataset: 'customers',
            foreignKey: 'customer_id',
            targetKey: 'id',
            field: 'customer',
          },
        },
      },
    };
    const prepared = prepareReport(
      {
        ...byStatus,
        dimensions: [{ key: 'c', field: 'customer.channel' }],
        measures: [{ key: 'n', op: 'count' }],
      },
      catalog,
    );
    expect(refusal(() => buildReportQuery(prepared, { access: salesAccess }))).toEqual({
      code: 'JNY_REPORT_FIELD_UNREADABLE',
      params: { field: 'customer.channel' },
    });
    const withReference: ReportAccess = {
      ...salesAccess,
      applications: { scope: ownScope, readableColumns: new Set(['status', 'customer']) },
    };
    expect(() => buildReportQuery(prepared, { access: withReference })).not.toThrow();
  });

  it('a field the viewer sees masked cannot be grouped, counted or filtered on', () => {
    const masked: ReportAccess = {
      ...salesAccess,
      customers: {
        ...salesAccess.customers,
        scope: ownScope,
        readableColumns: 'all',
        maskedColumns: new Set(['channel']),
      },
    };
    const refused = (patch: Record<string, unknown>, globalFilters: unknown[] = []) =>
      refusal(() => buildReportQuery(report(patch), { access: masked, globalFilters }));
    const maskedError = (field: string) => ({ code: 'JNY_FIELD_MASKED_QUERY', params: { field } });
    expect(refused({ dimensions: [{ key: 'c', field: 'customer.channel' }] })).toEqual(
      maskedError('customer.channel'),
    );
    expect(
      refused({ measures: [{ key: 'n', op: 'count_distinct', field: 'customer.channel' }] }),
    ).toEqual(maskedError('customer.channel'));
    const online = { '==': [{ var: 'customer.channel' }, 'online'] };
    expect(refused({ measures: [{ key: 'n', op: 'count', filter: online }] })).toEqual(
      maskedError('customer.channel'),
    );
    expect(
      refused({ globalFields: { via: 'customer.channel' } }, [{ '==': [{ var: 'via' }, 'x'] }]),
    ).toEqual(maskedError('customer.channel'));
    expect(() => buildReportQuery(report({}), { access: masked })).not.toThrow();
  });

  it('an encrypted field is refused as such when the report is prepared', () => {
    const customers = lendingCatalog.customers;
    if (!customers) throw new Error('fixture');
    const { channel: _, ...fields } = customers.fields;
    const catalog = {
      ...lendingCatalog,
      customers: { ...customers, fields, encrypted: ['channel'] },
    };
    const encrypted = (patch: Record<string, unknown>) =>
      refusal(() =>
        prepareReport({ ...byStatus, measures: [{ key: 'n', op: 'count' }], ...patch }, catalog),
      );
    const error = { code: 'JNY_FIELD_ENCRYPTED_QUERY', params: { field: 'customer.channel' } };
    expect(encrypted({ dimensions: [{ key: 'c', field: 'customer.channel' }] })).toEqual(error);
    expect(
      encrypted({
        sources: [
          {
            key: 'a',
            dataset: 'applications',
            filter: { '==': [{ var: 'customer.channel' }, 'online'] },
          },
        ],
      }),
    ).toEqual(error);
    expect(encrypted({ dimensions: [{ key: 'c', field: 'customer.nothing' }] }).code).toBe(
      'JNY_REPORT_DEFINITION_INVALID',
    );
  });

  it('a field name computed at run time is refused (its readability cannot be checked)', () => {
    const computed = { '>': [{ var: { cat: ['amo', 'unt'] } }, 0] };
    expect(
      refusal(build({ sources: [{ key: 'a', dataset: 'applications', filter: computed }] })).code,
    ).toBe('JNY_REPORT_FILTER_INVALID');
  });

  it('a dataset without rights cannot be a source, nor be read through a relation', () => {
    const { customers: _, ...noCustomers } = salesAccess;
    const denied = () =>
      buildReportQuery(
        report({
          sources: [{ key: 'c', dataset: 'customers' }],
          dimensions: [{ key: 'g', field: 'grade' }],
        }),
        {
          access: noCustomers,
        },
      );
    expect(refusal(denied)).toEqual({
      code: 'JNY_REPORT_DATASET_FORBIDDEN',
      params: { dataset: 'customers' },
    });
    const through = () =>
      buildReportQuery(report({ dimensions: [{ key: 'c', field: 'customer.channel' }] }), {
        access: noCustomers,
      });
    expect(refusal(through)).toEqual({
      code: 'JNY_REPORT_FIELD_UNREADABLE',
      params: { field: 'customer.channel' },
    });
  });

  it('readable fields still work for the same viewer', async () => {
    const data = await runAs(
      { ...byStatus, measures: [{ key: 'n', op: 'count' }] },
      salesAccess,
      [],
      {
        user: { id: USER },
      },
    );
    expect(records(data).length).toBeGreaterThan(0);
  });
});

describe('global filters', () => {
  const definition = {
    version: 1,
    chart: { type: 'kpi', version: 1 },
    sources: [
      { key: 'c', dataset: 'customers' },
      { key: 'a', dataset: 'applications' },
      { key: 's', dataset: 'spend' },
    ],
    globalFields: { period: { c: 'created', a: 'submitted' }, owner: { c: 'owner', a: 'owner' } },
    measures: [
      { key: 'customers', op: 'count', source: 'c' },
      { key: 'applications', op: 'count', source: 'a' },
      { key: 'spend', op: 'sum', field: 'spend', source: 's' },
    ],
  };
  const from = '2026-01-01T00:00:00.000+08:00';
  const fromIso = new Date(from).toISOString();

  it('apply to every source binding their fields, and report those that apply nowhere', async () => {
    const access = fullAccess(Object.keys(lendingCatalog));
    const period = { '>=': [{ var: 'period' }, fromIso] };
    const { rows, query } = await run(definition, access, [period]);
    expect(rows).toEqual([
      {
        customers: fixture.customers.filter((c) => c.createdAt >= fromIso).length,
        applications: apps.filter((a) => a.submittedAt >= fromIso).length,
        spend: decimalSum(fixture.spend.map((s) => s.spend))?.toFixed(2),
      },
    ]);
    expect(query.ignoredGlobalFilters).toEqual([]);
    const spendOnly = prepareReport(
      { ...definition, sources: [definition.sources[2]], measures: [definition.measures[2]] },
      lendingCatalog,
    );
    const ignored = buildReportQuery(spendOnly, {
      access,
      globalFilters: [period],
    });
    expect(ignored.ignoredGlobalFilters).toEqual([0]);
    // Declared but bound to no source: accepted, and reported as not applied.
    const unbound = prepareReport(
      {
        ...definition,
        globalFields: { period: {} },
        sources: [definition.sources[2]],
        measures: [definition.measures[2]],
      },
      lendingCatalog,
    );
    const snapshot = buildReportQuery(unbound, { access, globalFilters: [period] });
    expect(snapshot.ignoredGlobalFilters).toEqual([0]);
  });

  it('refuse a name the report does not declare', () => {
    const report = prepareReport(definition, lendingCatalog);
    const typo = () =>
      buildReportQuery(report, {
        access: fullAccess(Object.keys(lendingCatalog)),
        globalFilters: [{ '==': [{ var: 'perod' }, 1] }],
      });
    expect(refusal(typo)).toMatchObject({ code: 'JNY_REPORT_FILTER_INVALID' });
  });
});
