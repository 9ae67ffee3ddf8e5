import { tableDataset } from '../shape/table-tools.ts';
import { countProblems, NO_OPTIONS } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/** The grouped result as a plain table (any dimensions and measures). */
export const tableChart = defineChartType<Record<string, never>>({
  type: 'table',
  version: 1,
  label: { 'zh-CN': '明细表', en: 'Table' },
  optionsSchema: NO_OPTIONS,
  check: (input) => countProblems('table', input, [0, 4], [1, 20]),
  shape: (table) => ({ dataset: tableDataset(table), series: [] }),
});
