import { tableDataset } from '../shape/table-tools.ts';
import { countProblems, NO_OPTIONS } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/** One or more headline numbers (no dimension): the dataset has one row, no series. */
export const kpiChart = defineChartType<Record<string, never>>({
  type: 'kpi',
  version: 1,
  label: { 'zh-CN': '指标卡', en: 'KPI number' },
  optionsSchema: NO_OPTIONS,
  check: (input) => countProblems('kpi', input, [0, 0], [1, 4]),
  shape: (table) => ({ dataset: tableDataset(table), series: [] }),
});
