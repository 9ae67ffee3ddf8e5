import { areaChart, barChart, lineChart } from './cartesian-chart.ts';
import { createChartTypeRegistry } from './chart-type.ts';
import { cohortChart } from './cohort-chart.ts';
import { funnelChart } from './funnel-chart.ts';
import { kpiChart } from './kpi-chart.ts';
import { pieChart } from './pie-chart.ts';
import { pivotChart } from './pivot-chart.ts';
import { scatterChart } from './scatter-chart.ts';
import { tableChart } from './table-chart.ts';

/** Joinery's chart types, version 1 each. Register a new version beside the old, never instead. */
export const builtInChartTypeList = Object.freeze([
  kpiChart,
  barChart,
  lineChart,
  areaChart,
  pieChart,
  funnelChart,
  tableChart,
  pivotChart,
  scatterChart,
  cohortChart,
]);

/** The registry of the built-in chart types (the default of `prepareReport`). */
export const builtInChartTypes = createChartTypeRegistry(builtInChartTypeList);
