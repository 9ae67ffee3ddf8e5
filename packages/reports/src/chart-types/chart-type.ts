import type { LocalizedText } from '@joinery/shared';
import { Ajv } from 'ajv';
import { ajvProblems } from '../definition/ajv-problems.ts';
import type { DefinitionProblem } from '../definition/definition-problem.ts';
import type { PreparedDimension, PreparedMeasure } from '../definition/prepared-report.ts';
import type { ChartShape, ResultTable } from '../shape/chart-data.ts';

/** What a chart type checks: the report's dimensions and measures, in definition order. */
export interface ChartInput {
  readonly dimensions: readonly PreparedDimension[];
  readonly measures: readonly PreparedMeasure[];
}

/**
 * A chart type: its options (a JSON schema), the dimensions and measures it can draw, and how
 * it turns the result table into an ECharts dataset and series. A saved report names the type
 * and version, so a new version registers beside the old one and a saved report never changes
 * meaning.
 */
export interface ChartTypeDefinition<Options> {
  readonly type: string;
  readonly version: number;
  readonly label: LocalizedText;
  /** A JSON schema of the options object (checked before `check` and `shape` see it). */
  readonly optionsSchema: Readonly<Record<string, unknown>>;
  /** Problems with the report for this chart, with pointers into the definition. */
  check(input: ChartInput, options: Options): DefinitionProblem[];
  shape(table: ResultTable, options: Options): ChartShape;
}

/** A chart type with its options type erased, as the registry holds it. */
export interface RegisteredChartType {
  readonly type: string;
  readonly version: number;
  readonly label: LocalizedText;
  /** Problems of the options (at `/chart/options…`) and of the report for this chart. */
  problems(input: ChartInput, options: unknown): DefinitionProblem[];
  /** Shapes the table; `options` must have passed `problems`. */
  shape(table: ResultTable, options: unknown): ChartShape;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });

/**
 * Declares a chart type. The options schema is compiled once here, so a malformed schema fails
 * at start-up, not on the first report.
 */
export function defineChartType<Options>(
  definition: ChartTypeDefinition<Options>,
): RegisteredChartType {
  const validate = ajv.compile(definition.optionsSchema);
  const isOptions = (value: unknown): value is Options => validate(value);
  return Object.freeze({
    type: definition.type,
    version: definition.version,
    label: definition.label,
    problems(input: ChartInput, options: unknown): DefinitionProblem[] {
      if (!isOptions(options)) return ajvProblems(validate.errors, '/chart/options');
      return definition.check(input, options);
    },
    shape(table: ResultTable, options: unknown): ChartShape {
      if (!isOptions(options)) throw new TypeError(`Unchecked options for ${definition.type}`);
      return definition.shape(table, options);
    },
  });
}

/** Chart types by `type@version`. */
export interface ChartTypeRegistry {
  get(type: string, version: number): RegisteredChartType | undefined;
  list(): readonly RegisteredChartType[];
}

/** A registry; refuses two registrations of the same type and version (checked at start-up). */
export function createChartTypeRegistry(types: readonly RegisteredChartType[]): ChartTypeRegistry {
  const byKey = new Map<string, RegisteredChartType>();
  for (const chartType of types) {
    const key = `${chartType.type}@${chartType.version}`;
    if (byKey.has(key)) throw new Error(`Chart type ${key} is registered twice`);
    byKey.set(key, chartType);
  }
  const all = Object.freeze([...byKey.values()]);
  return Object.freeze({
    get: (type: string, version: number) => byKey.get(`${type}@${version}`),
    list: () => all,
  });
}
