import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import type { DatasetCatalog } from '../dataset.ts';
import { prepareReport } from '../definition/prepare-report.ts';
import { fullAccess } from '../report-access.ts';
import { lendingCatalog } from '../testing/lending-fixture.ts';
import { buildReportQuery } from './build-report-query.ts';

// Identifiers reach SQL only from the catalogue and always quoted; values only as parameters.

const catalog: DatasetCatalog = {
  odd: {
    table: 'we"ird table',
    fields: {
      name: { column: 'na"me; drop table x', type: 'text' },
      amount: { column: 'amount', type: 'money' },
    },
  },
};

describe('buildReportQuery', () => {
  it('quotes catalogue identifiers and passes every value as a parameter', () => {
    const hostile = "'; drop table customers; --";
    const report = prepareReport(
      {
        version: 1,
        chart: { type: 'table', version: 1 },
        sources: [{ key: 'o', dataset: 'odd', filter: { '!=': [{ var: 'name' }, hostile] } }],
        dimensions: [{ key: 'name', field: 'name' }],
        measures: [{ key: 'total', op: 'sum', field: 'amount' }],
        limit: 50,
      },
      catalog,
    );
    const { compiled } = buildReportQuery(report, { access: fullAccess(['odd']) });
    expect(compiled.sql).toContain('"we""ird table"');
    expect(compiled.sql).toContain('"na""me; drop table x"');
    expect(compiled.sql).not.toContain(hostile);
    expect(compiled.parameters).toContain(hostile);
    expect(compiled.parameters).toContain(51);
    // One statement.
    expect(compiled.sql.startsWith('with ')).toBe(true);
    expect(compiled.sql.split(';')).toHaveLength(
      1 + (compiled.sql.match(/"[^"]*;[^"]*"/g)?.length ?? 0),
    );
  });

  it('reads related fields through one scoped left join, in filters too (no per-row lookup)', () => {
    const report = prepareReport(
      {
        version: 1,
        chart: { type: 'table', version: 1 },
        sources: [
          { key: 'a', dataset: 'applications', filter: { '==': [{ var: 'customer.grade' }, 'A'] } },
        ],
        dimensions: [{ key: 'channel', field: 'customer.channel' }],
        measures: [{ key: 'n', op: 'count', filter: { '!=': [{ var: 'customer.grade' }, 'B'] } }],
      },
      lendingCatalog,
    );
    const { compiled } = buildReportQuery(report, {
      access: fullAccess(['applications', 'customers']),
    });
    expect(compiled.sql.match(/left join/g)).toHaveLength(1);
    expect(compiled.sql).not.toMatch(/\(select "jny_rel/);
    expect(compiled.sql.match(/ as not materialized/g)).toHaveLength(1);
  });

  it('points rule-engine errors at the filter inside the definition', () => {
    const report = prepareReport(
      {
        version: 1,
        chart: { type: 'kpi', version: 1 },
        sources: [{ key: 'o', dataset: 'odd' }],
        measures: [
          { key: 'n', op: 'count' },
          { key: 'm', op: 'count', filter: { starts_with: [{ var: 'amount' }, 'x'] } },
        ],
      },
      catalog,
    );
    try {
      buildReportQuery(report, { access: fullAccess(['odd']) });
      expect.unreachable();
    } catch (error) {
      expect(isJoineryError(error) && error.code).toBe('JNY_RULE_SQL_UNSUPPORTED');
      expect(isJoineryError(error) && error.params.path).toBe('/measures/1/filter/starts_with');
    }
  });

  it('is deterministic for the same input (cacheable as a prepared statement)', () => {
    const report = prepareReport(
      {
        version: 1,
        chart: { type: 'kpi', version: 1 },
        sources: [{ key: 'o', dataset: 'odd' }],
        measures: [{ key: 'n', op: 'count' }],
      },
      catalog,
    );
    const options = { access: fullAccess(['odd']), context: { now: new Date(0) } };
    expect(buildReportQuery(report, options).compiled.sql).toBe(
      buildReportQuery(report, options).compiled.sql,
    );
  });
});
