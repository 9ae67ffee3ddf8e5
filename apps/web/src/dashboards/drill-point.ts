import type { ReportCell, ReportResult } from '@joinery/shared';

/** A clicked data point as the drill route takes it. */
export interface DrillPoint {
  readonly dimensions: Readonly<Record<string, ReportCell>>;
  readonly measure?: string;
}

/** The measure column a series draws: its value (pie, funnel, heatmap) or its y (or x) axis. */
function valueColumn(result: ReportResult, seriesIndex: number): string | undefined {
  const encode = result.series[seriesIndex]?.encode ?? {};
  const measures = new Set(
    result.table.columns.filter((c) => c.role === 'measure').map((c) => c.key),
  );
  const candidates = [encode.value, encode.y, encode.x].filter(
    (name): name is string => typeof name === 'string',
  );
  // A chart split by a second dimension names its columns `measure:splitIndex`.
  return candidates.find((name) => measures.has(name.replace(/:\d+$/, '')));
}

/**
 * The point behind a click on series `seriesIndex`, row `dataIndex` of the dataset: the values
 * of the clicked row's dimensions, and the measure the series draws. A chart split by a second
 * dimension keeps that dimension in the series (`measure:s`): its value is the s-th distinct
 * value of the dimension in the result, in the order the server split them.
 */
export function drillPoint(
  result: ReportResult,
  seriesIndex: number,
  dataIndex: number,
): DrillPoint | undefined {
  const row = result.dataset.source[dataIndex];
  if (!row) return undefined;
  const names = result.dataset.dimensions.map((d) => d.name);
  const dimensions: Record<string, ReportCell> = {};
  const column = valueColumn(result, seriesIndex);
  const split = column === undefined ? undefined : /:(\d+)$/.exec(column);
  result.table.columns.forEach((c, index) => {
    if (c.role !== 'dimension') return;
    const at = names.indexOf(c.key);
    if (at >= 0) {
      dimensions[c.key] = row[at] ?? null;
      return;
    }
    if (!split) return;
    const distinct: ReportCell[] = [];
    for (const tableRow of result.table.rows) {
      const value = tableRow[index] ?? null;
      if (!distinct.includes(value)) distinct.push(value);
    }
    const value = distinct[Number(split[1])];
    if (value !== undefined) dimensions[c.key] = value;
  });
  const measure = column?.replace(/:\d+$/, '');
  return { dimensions, ...(measure === undefined ? {} : { measure }) };
}
