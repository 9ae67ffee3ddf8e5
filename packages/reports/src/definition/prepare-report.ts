import { builtInChartTypes } from '../chart-types/built-in-chart-types.ts';
import type { ChartTypeRegistry } from '../chart-types/chart-type.ts';
import type { DatasetCatalog } from '../dataset.ts';
import { type DefinitionProblem, problem, throwIfProblems } from './definition-problem.ts';
import { refuseEncryptedFilters } from './encrypted-filters.ts';
import { filterProblems } from './filter-problems.ts';
import { prepareDimensions } from './prepare-dimensions.ts';
import { prepareMeasures } from './prepare-measures.ts';
import { prepareSources } from './prepare-sources.ts';
import type {
  ColumnKind,
  PreparedDimension,
  PreparedMeasure,
  PreparedReport,
  ResultColumn,
} from './prepared-report.ts';
import type { ReportDefinition } from './report-definition.ts';
import { MAX_REPORT_ROWS } from './report-definition-schema.ts';
import { assertReportDefinition } from './validate-report-definition.ts';

/** Options of `prepareReport`. */
export interface PrepareOptions {
  /** The chart types; default the built-in ones. */
  readonly chartTypes?: ChartTypeRegistry;
}

/**
 * Checks a report definition (any JSON) against its schema, the dataset catalogue and its chart
 * type, and returns it resolved and frozen. Throws `JNY_REPORT_DEFINITION_INVALID` listing every
 * problem with its JSON pointer (zh-CN and en). Viewer rights are not checked here: the same
 * prepared report serves every viewer through `buildReportQuery`.
 */
export function prepareReport(
  input: unknown,
  catalog: DatasetCatalog,
  options: PrepareOptions = {},
): PreparedReport {
  assertReportDefinition(input);
  throwIfProblems(filterProblems(input));
  const definition = deepFreeze(structuredClone(input));
  const problems: DefinitionProblem[] = [];
  const sources = prepareSources(definition, catalog, problems);
  throwIfProblems(problems);
  refuseEncryptedFilters(definition, catalog);
  const dimensions = prepareDimensions(definition, catalog, problems);
  const measures = prepareMeasures(definition, catalog, dimensions, problems);
  checkSort(definition, dimensions, measures, problems);
  definition.sources.forEach((source, index) => {
    if (!measures.some((item) => item.role === 'aggregate' && item.sourceIndex === index)) {
      problems.push(
        problem(
          `/sources/${index}`,
          `来源 ${source.key} 没有度量`,
          `The source ${source.key} has no measure`,
        ),
      );
    }
  });
  const chartTypes = options.chartTypes ?? builtInChartTypes;
  const chart = chartTypes.get(definition.chart.type, definition.chart.version);
  const chartOptions = definition.chart.options ?? {};
  if (!chart) {
    problems.push(
      problem(
        '/chart/type',
        `未知的图表类型 ${definition.chart.type}（版本 ${definition.chart.version}）`,
        `Unknown chart type ${definition.chart.type} (version ${definition.chart.version})`,
      ),
    );
  } else if (problems.length === 0) {
    problems.push(...chart.problems({ dimensions, measures }, chartOptions));
  }
  throwIfProblems(problems);
  if (!chart) throw new Error('unreachable: a missing chart type is a problem');
  const columns: ResultColumn[] = [
    ...dimensions.map((item) => column(item.key, 'dimension', item.kind, item.label)),
    ...measures.map((item) => column(item.key, 'measure', item.kind, item.label)),
  ];
  return Object.freeze({
    definition,
    catalog,
    sources: freezeAll(sources),
    dimensions: freezeAll(dimensions),
    measures: freezeAll(measures),
    columns: freezeAll(columns),
    chart,
    chartOptions,
    limit: definition.limit ?? MAX_REPORT_ROWS,
  });
}

function column(
  key: string,
  role: ResultColumn['role'],
  kind: ColumnKind,
  label: ResultColumn['label'],
): ResultColumn {
  return label ? { key, role, kind, label } : { key, role, kind };
}

function checkSort(
  definition: ReportDefinition,
  dimensions: readonly PreparedDimension[],
  measures: readonly PreparedMeasure[],
  problems: DefinitionProblem[],
): void {
  const keys = new Set([...dimensions, ...measures].map((item) => item.key));
  definition.sort?.forEach((item, index) => {
    if (!keys.has(item.key)) {
      problems.push(
        problem(`/sort/${index}/key`, `未知的列 ${item.key}`, `Unknown column ${item.key}`),
      );
    }
  });
}

/** Freezes a list and its items (not what they point into: datasets belong to the caller). */
function freezeAll<T extends object>(items: T[]): readonly T[] {
  for (const item of items) Object.freeze(item);
  return Object.freeze(items);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
