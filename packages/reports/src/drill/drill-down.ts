import { JoineryError } from '@joinery/shared';
import { bucketZone } from '../definition/prepare-dimensions.ts';
import type {
  PreparedDerived,
  PreparedDimension,
  PreparedMeasure,
  PreparedReport,
} from '../definition/prepared-report.ts';
import type { JsonLogic } from '../definition/report-definition.ts';
import { bindGlobalFilters } from '../query/global-filters.ts';
import type { CellValue } from '../shape/chart-data.ts';
import { rangeLabels } from '../shape/range-labels.ts';
import { bucketRange } from './bucket-range.ts';

/** A clicked data point, as `shapeResult` returned it. */
export interface DrillPoint {
  /** Values of the clicked group's dimensions, by key (a dimension left out is not narrowed). */
  readonly dimensions: Readonly<Record<string, CellValue>>;
  /** The clicked measure: its source decides the records; default the first measure. */
  readonly measure?: string;
}

/** Where a click leads: the records of one dataset matching a JSON-logic filter. */
export interface DrillTarget {
  readonly source: string;
  readonly dataset: string;
  /**
   * Exactly the records the point aggregates (before the viewer's scope, which the record list
   * applies anyway): the source filter, the measure's own filter, each dimension (a value, a
   * date bucket as `[start, end)`, a number range) and the dashboard's global filters.
   */
  readonly filter: JsonLogic;
}

/**
 * The record filter behind a data point, for the runtime to open the filtered record list.
 * A running total or a change drills into its own group's records. Refuses (with
 * `JNY_REPORT_DRILL_INVALID`) an unknown dimension or value, and age (`since`) dimensions,
 * which have no JSON-logic form.
 */
export function drillDown(
  report: PreparedReport,
  point: DrillPoint,
  options: {
    readonly globalFilters?: readonly unknown[];
    /** The business day of date buckets without a time zone (as `context.utcOffsetMinutes`). */
    readonly utcOffsetMinutes?: number;
  } = {},
): DrillTarget {
  if (typeof point.dimensions !== 'object' || point.dimensions === null) {
    throw invalid('the point has no dimension values');
  }
  const measure = point.measure
    ? report.measures.find((item) => item.key === point.measure)
    : report.measures[0];
  if (!measure) throw invalid(`unknown measure ${String(point.measure)}`);
  const aggregate = baseAggregate(report, measure);
  const sourceIndex = aggregate.sourceIndex;
  const source = report.sources[sourceIndex];
  if (!source) throw invalid('unknown source');
  const parts: JsonLogic[] = [];
  if (source.filter !== undefined) parts.push(source.filter);
  if (aggregate.filter !== undefined) parts.push(aggregate.filter);
  for (const [key, value] of Object.entries(point.dimensions)) {
    const dimension = report.dimensions.find((item) => item.key === key);
    if (!dimension) throw invalid(`unknown dimension ${key}`);
    parts.push(dimensionCondition(dimension, sourceIndex, value, options.utcOffsetMinutes));
  }
  const bound = bindGlobalFilters(report, options.globalFilters ?? []);
  for (const filter of bound.perSource[sourceIndex] ?? []) parts.push(filter.logic);
  return {
    source: source.key,
    dataset: source.datasetName,
    filter: parts.length === 0 ? true : parts.length === 1 ? parts[0] : { and: parts },
  };
}

/** The aggregate whose records a measure shows: itself, a ratio's numerator, a window's input. */
function baseAggregate(report: PreparedReport, measure: PreparedMeasure) {
  let current: PreparedMeasure | undefined = measure;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current.role === 'aggregate') return current;
    const definition: PreparedDerived['definition'] = current.definition;
    const next: string = definition.op === 'ratio' ? definition.numerator : definition.of;
    current = report.measures.find((item) => item.key === next);
  }
  throw invalid(`measure ${measure.key} has no records`);
}

function dimensionCondition(
  dimension: PreparedDimension,
  sourceIndex: number,
  value: CellValue,
  utcOffsetMinutes: number | undefined,
): JsonLogic {
  const resolved = dimension.fields[sourceIndex];
  if (!resolved) throw invalid(`dimension ${dimension.key} is not bound`);
  const field = { var: resolved.path };
  // Only a literal can stand for a value: an object would be read as a JSON-logic operation.
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
    throw invalid(`the value of ${dimension.key} is not a plain value`);
  }
  if (dimension.since) throw invalid(`an age dimension (${dimension.key}) cannot be drilled`);
  if (value === null) return { '==': [field, null] };
  if (dimension.bucket) {
    const type = resolved.field.type;
    if ((type !== 'date' && type !== 'datetime') || typeof value !== 'string') {
      throw invalid(`${dimension.key} needs a bucket start date`);
    }
    if (!isCalendarDate(value)) throw invalid(`${value} is not a date`);
    const zone = bucketZone(dimension, utcOffsetMinutes);
    const { from, to } = bucketRange(value, dimension.bucket, type, zone);
    return { and: [{ '>=': [field, from] }, { '<': [field, to] }] };
  }
  if (dimension.boundaries) {
    const index = rangeLabels(dimension.boundaries).indexOf(String(value));
    if (index < 0) throw invalid(`${String(value)} is not a range of ${dimension.key}`);
    const lower = dimension.boundaries[index - 1];
    const upper = dimension.boundaries[index];
    // JSON-logic compares null as 0, so an empty value must be excluded explicitly.
    const parts: JsonLogic[] = [{ '!=': [field, null] }];
    if (lower !== undefined) parts.push({ '>=': [field, Number(lower)] });
    if (upper !== undefined) parts.push({ '<': [field, Number(upper)] });
    return { and: parts };
  }
  if (dimension.kind === 'decimal') return { '==': [field, Number(value)] };
  return { '==': [field, value] };
}

function invalid(reason: string): JoineryError {
  return new JoineryError('JNY_REPORT_DRILL_INVALID', { reason });
}

/** A real `YYYY-MM-DD` date (not 2026-02-30). */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}
