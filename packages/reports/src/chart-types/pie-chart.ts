import { splitColumns, tableDataset } from '../shape/table-tools.ts';
import { countProblems } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/** Options of a pie chart. */
export interface PieOptions {
  /** Draw a ring (ECharts `radius: ['40%', '70%']` on the client). */
  readonly donut?: boolean;
}

/** Slices per value of one dimension, sized by one measure. */
export const pieChart = defineChartType<PieOptions>({
  type: 'pie',
  version: 1,
  label: { 'zh-CN': '饼图', en: 'Pie' },
  optionsSchema: {
    type: 'object',
    properties: { donut: { type: 'boolean' } },
    additionalProperties: false,
  },
  check: (input) => countProblems('pie', input, [1, 1], [1, 1]),
  shape: (table) => {
    const { dimensions, measures } = splitColumns(table);
    const [dimension] = dimensions;
    const [measure] = measures;
    if (!dimension || !measure) return { dataset: tableDataset(table), series: [] };
    return {
      dataset: tableDataset(table),
      series: [
        {
          type: 'pie',
          name: measure.column.displayName,
          encode: { itemName: dimension.column.key, value: measure.column.key },
        },
      ],
    };
  },
});
