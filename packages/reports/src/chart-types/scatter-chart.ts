import { splitColumns, tableDataset } from '../shape/table-tools.ts';
import { countProblems, keyProblem } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/** Options of a scatter chart: the measures on each axis (default the first two). */
export interface ScatterOptions {
  readonly x?: string;
  readonly y?: string;
}

/** One point per group, placed by two measures; the dimensions show in the tooltip. */
export const scatterChart = defineChartType<ScatterOptions>({
  type: 'scatter',
  version: 1,
  label: { 'zh-CN': '散点图', en: 'Scatter' },
  optionsSchema: {
    type: 'object',
    properties: { x: { type: 'string' }, y: { type: 'string' } },
    additionalProperties: false,
  },
  check: (input, options) => {
    const keys = input.measures.map((measure) => measure.key);
    return [
      ...countProblems('scatter', input, [1, 3], [2, 3]),
      ...keyProblem('/chart/options/x', options.x, keys),
      ...keyProblem('/chart/options/y', options.y, keys),
    ];
  },
  shape: (table, options) => {
    const { dimensions, measures } = splitColumns(table);
    const x = options.x ?? measures[0]?.column.key ?? '';
    const y = options.y ?? measures[1]?.column.key ?? '';
    return {
      dataset: tableDataset(table),
      series: [
        {
          type: 'scatter',
          name: `${x} × ${y}`,
          encode: { x, y, tooltip: dimensions.map(({ column }) => column.key) },
        },
      ],
    };
  },
});
