import { Decimal } from 'decimal.js';
import type { DatasetCatalog } from '../dataset.ts';
import { fieldKind } from './column-kinds.ts';
import { type DefinitionProblem, problem } from './definition-problem.ts';
import { bindEverywhere } from './prepare-sources.ts';
import type { ColumnKind, PreparedDimension } from './prepared-report.ts';
import type { ReportDefinition } from './report-definition.ts';

/** The business day when the run's context gives none: Beijing time (UTC+8, no DST). */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

/**
 * Where a dimension's date buckets start their days: its own IANA `timeZone`, or else the run's
 * business day as minutes east of UTC (`context.utcOffsetMinutes`, the server's
 * `JOINERY_UTC_OFFSET_MINUTES`), so reports group by the same calendar `today` is decided in.
 */
export function bucketZone(
  dimension: PreparedDimension,
  utcOffsetMinutes?: number,
): string | number {
  return dimension.timeZone ?? utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES;
}

/** Resolves and checks the dimensions in every source (problems collected). */
export function prepareDimensions(
  definition: ReportDefinition,
  catalog: DatasetCatalog,
  problems: DefinitionProblem[],
): PreparedDimension[] {
  return (definition.dimensions ?? []).flatMap((dimension, index) => {
    const at = `/dimensions/${index}`;
    const fields = bindEverywhere(definition, catalog, dimension.field, `${at}/field`, problems);
    const since = dimension.since
      ? bindEverywhere(definition, catalog, dimension.since, `${at}/since`, problems)
      : undefined;
    if (!fields || since === null) return [];
    // Date buckets of a date in one source and a datetime in another compare as timestamps.
    const types = new Set(
      fields.map((item) =>
        dimension.bucket && item.field.type === 'datetime' ? 'date' : item.field.type,
      ),
    );
    const [type] = types;
    if (types.size > 1 || type === undefined) {
      problems.push(
        problem(
          `${at}/field`,
          '各来源的字段类型不一致',
          'The sources bind fields of different types',
        ),
      );
      return [];
    }
    const isDate = type === 'date' || type === 'datetime';
    if (type === 'text[]') {
      problems.push(
        problem(`${at}/field`, '多选字段不能作为维度', 'A multi-select cannot be a dimension'),
      );
      return [];
    }
    if (dimension.bucket && !isDate) {
      problems.push(
        problem(`${at}/bucket`, '只有日期字段能按时间分组', 'Only a date can be bucketed'),
      );
    }
    if (since?.some((item) => item.field.type !== 'date' && item.field.type !== 'datetime')) {
      problems.push(problem(`${at}/since`, '起点必须是日期字段', 'The start must be a date'));
    }
    const { timeZone } = dimension;
    if (timeZone !== undefined && !isTimeZone(timeZone)) {
      problems.push(
        problem(`${at}/timeZone`, `未知的时区 ${timeZone}`, `Unknown time zone ${timeZone}`),
      );
    }
    let boundaries: string[] | undefined;
    if (dimension.boundaries) {
      if (type !== 'number' && type !== 'money') {
        problems.push(
          problem(`${at}/boundaries`, '只有数值字段能按区间分组', 'Only a number can have ranges'),
        );
      }
      boundaries = dimension.boundaries.map((value) => new Decimal(value).toString());
      if (
        boundaries.some((value, i) => i > 0 && !new Decimal(value).gt(boundaries?.[i - 1] ?? 0))
      ) {
        problems.push(
          problem(
            `${at}/boundaries`,
            '区间边界必须严格递增',
            'Boundaries must be strictly ascending',
          ),
        );
      }
    }
    const kind: ColumnKind = since
      ? 'number'
      : dimension.bucket
        ? 'date'
        : boundaries
          ? 'range'
          : fieldKind(type);
    const prepared: PreparedDimension = {
      key: dimension.key,
      kind,
      fields,
      ...(timeZone !== undefined ? { timeZone } : {}),
      ...(dimension.label ? { label: dimension.label } : {}),
      ...(since ? { since } : {}),
      ...(dimension.bucket ? { bucket: dimension.bucket } : {}),
      ...(boundaries ? { boundaries } : {}),
    };
    return [prepared];
  });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
