export { builtInChartTypeList, builtInChartTypes } from './chart-types/built-in-chart-types.ts';
export type { CartesianOptions } from './chart-types/cartesian-chart.ts';
export type {
  ChartInput,
  ChartTypeDefinition,
  ChartTypeRegistry,
  RegisteredChartType,
} from './chart-types/chart-type.ts';
export { createChartTypeRegistry, defineChartType } from './chart-types/chart-type.ts';
export type { CohortOptions } from './chart-types/cohort-chart.ts';
export type { PieOptions } from './chart-types/pie-chart.ts';
export type { PivotOptions } from './chart-types/pivot-chart.ts';
export type { ScatterOptions } from './chart-types/scatter-chart.ts';
export type { Dataset, DatasetCatalog, DatasetField, DatasetRelation } from './dataset.ts';
export type { DefinitionProblem } from './definition/definition-problem.ts';
export { DEFAULT_UTC_OFFSET_MINUTES } from './definition/prepare-dimensions.ts';
export type { PrepareOptions } from './definition/prepare-report.ts';
export { prepareReport } from './definition/prepare-report.ts';
export type {
  ColumnKind,
  PreparedAggregate,
  PreparedDerived,
  PreparedDimension,
  PreparedMeasure,
  PreparedReport,
  PreparedSource,
  ResolvedField,
  ResultColumn,
} from './definition/prepared-report.ts';
export type {
  AggregateMeasure,
  AggregateOperation,
  ChangeMeasure,
  ChartDefinition,
  DateBucket,
  DimensionDefinition,
  DurationUnit,
  FieldBinding,
  JsonLogic,
  MeasureDefinition,
  RatioMeasure,
  ReportDefinition,
  RunningTotalMeasure,
  ShareMeasure,
  SortDefinition,
  SourceDefinition,
} from './definition/report-definition.ts';
export { MAX_REPORT_ROWS, reportDefinitionSchema } from './definition/report-definition-schema.ts';
export { requiredDatasets } from './definition/required-datasets.ts';
export {
  assertReportDefinition,
  reportDefinitionProblems,
} from './definition/validate-report-definition.ts';
export type { DrillPoint, DrillTarget } from './drill/drill-down.ts';
export { drillDown } from './drill/drill-down.ts';
export type { ReportQuery, ReportQueryOptions } from './query/build-report-query.ts';
export { buildReportQuery } from './query/build-report-query.ts';
export type { DatasetAccess, ReportAccess } from './report-access.ts';
export { fullAccess } from './report-access.ts';
export type {
  CellValue,
  ChartData,
  ChartShape,
  EChartsDimension,
  EChartsSeries,
  MatrixTable,
  ResultTable,
  ShapedColumn,
} from './shape/chart-data.ts';
export { chartDataSchema } from './shape/chart-data-schema.ts';
export type { ShapeOptions } from './shape/shape-result.ts';
export { shapeResult } from './shape/shape-result.ts';
