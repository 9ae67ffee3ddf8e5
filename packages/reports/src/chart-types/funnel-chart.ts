import type { CellValue, ChartShape, EChartsSeries, ResultTable } from '../shape/chart-data.ts';
import { splitColumns, tableDataset, tupleLabel } from '../shape/table-tools.ts';
import { countProblems, NO_OPTIONS } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/**
 * A conversion funnel. With several measures, each measure is a step (customers → applications
 * → approved…, possibly each from its own source) and each group of the dimensions is one
 * funnel: the dataset is transposed to one row per step, one column per group. With one
 * measure and one dimension, the dimension's values are the steps.
 */
function shapeFunnel(table: ResultTable): ChartShape {
  const { dimensions, measures } = splitColumns(table);
  const [onlyMeasure] = measures;
  const [onlyDimension] = dimensions;
  if (measures.length === 1 && onlyMeasure && onlyDimension) {
    return {
      dataset: tableDataset(table),
      series: [
        {
          type: 'funnel',
          name: onlyMeasure.column.displayName,
          encode: { itemName: onlyDimension.column.key, value: onlyMeasure.column.key },
        },
      ],
    };
  }
  const groups = table.rows.map((row) =>
    dimensions.length === 0 ? '' : tupleLabel(dimensions.map(({ index }) => row[index] ?? null)),
  );
  const source: CellValue[][] = measures.map(({ column, index }) => [
    column.displayName,
    ...table.rows.map((row) => row[index] ?? null),
  ]);
  const series: EChartsSeries[] = groups.map((label, g) => ({
    type: 'funnel',
    name: label,
    encode: { itemName: 'step', value: `group:${g}` },
  }));
  return {
    dataset: {
      dimensions: [
        { name: 'step', displayName: 'step', type: 'ordinal' },
        ...groups.map((label, g) => ({
          name: `group:${g}`,
          displayName: label,
          type: 'number' as const,
        })),
      ],
      source,
    },
    series,
  };
}

/** Funnel chart: steps as measures (one funnel per group), or one dimension's values as steps. */
export const funnelChart = defineChartType<Record<string, never>>({
  type: 'funnel',
  version: 1,
  label: { 'zh-CN': '漏斗图', en: 'Funnel' },
  optionsSchema: NO_OPTIONS,
  check: (input) =>
    input.measures.length === 1
      ? countProblems('funnel', input, [1, 1], [1, 1])
      : countProblems('funnel', input, [0, 2], [2, 12]),
  shape: shapeFunnel,
});
