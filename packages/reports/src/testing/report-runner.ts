import type { LogicContext } from '@joinery/rules';
import type { DatasetCatalog } from '../dataset.ts';
import { prepareReport } from '../definition/prepare-report.ts';
import { buildReportQuery } from '../query/build-report-query.ts';
import type { ReportAccess } from '../report-access.ts';
import type { CellValue, ChartData } from '../shape/chart-data.ts';
import { shapeResult } from '../shape/shape-result.ts';

/** Runs a statement and returns its rows (the test's database connection). */
export type RunSql = (
  text: string,
  values: readonly unknown[],
) => Promise<readonly Record<string, unknown>[]>;

/** prepare → build → run → shape, as the server will do it, for tests. */
export function reportRunner(catalog: DatasetCatalog, runSql: RunSql) {
  return async (
    definition: unknown,
    access: ReportAccess,
    globalFilters: readonly unknown[] = [],
    context: LogicContext = {},
  ): Promise<ChartData> => {
    const report = prepareReport(definition, catalog);
    const query = buildReportQuery(report, { access, globalFilters, context });
    const rows = await runSql(query.compiled.sql, query.compiled.parameters);
    return shapeResult(report, rows, { locale: 'en' });
  };
}

/** The result rows as objects by column key. */
export function records(data: ChartData): Record<string, CellValue>[] {
  return data.table.rows.map((row) =>
    Object.fromEntries(data.table.columns.map((column, index) => [column.key, row[index] ?? null])),
  );
}
