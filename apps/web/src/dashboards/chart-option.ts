import type { ReportResult } from '@joinery/shared';

/** Series types drawn on x/y axes (the others, pie and funnel, have none). */
const AXES = new Set(['bar', 'line', 'scatter', 'heatmap']);

/**
 * The ECharts option for a widget's result: the server's `dataset` (user ids named) and `series`
 * used as they are, with the axes, tooltip and legend they need. Axes follow the series' `encode`: a category
 * axis for the ordinal dimension, a value axis for the measure (a horizontal bar swaps them).
 */
export function chartOption(result: ReportResult): Record<string, unknown> {
  const dataset = {
    dimensions: result.dataset.dimensions.map((d) => ({
      name: d.name,
      displayName: d.displayName,
      type: d.type,
    })),
    // Dimensions holding user ids show the users' names (the drill-down keeps the ids).
    source: result.dataset.source.map((row) =>
      row.map((cell, index) => {
        const names = result.labels[result.dataset.dimensions[index]?.name ?? ''];
        return names && typeof cell === 'string' ? (names[cell] ?? cell) : cell;
      }),
    ),
  };
  const series = result.series.map((s) => ({ ...s, datasetIndex: 0 }));
  const option: Record<string, unknown> = {
    dataset,
    series,
    tooltip: {
      trigger: series.some((s) => AXES.has(s.type) && s.type !== 'scatter') ? 'axis' : 'item',
    },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
  };
  const first = result.series[0];
  if (!first || !AXES.has(first.type)) return option;
  const typeOf = (name: unknown) =>
    result.dataset.dimensions.find((d) => d.name === name)?.type === 'number'
      ? 'value'
      : 'category';
  option.xAxis = { type: typeOf(first.encode.x) };
  option.yAxis = { type: typeOf(first.encode.y) };
  if (first.type === 'heatmap') {
    const values = result.dataset.source
      .map((row) => row[result.dataset.dimensions.findIndex((d) => d.name === first.encode.value)])
      .map(Number)
      .filter(Number.isFinite);
    option.visualMap = {
      min: Math.min(0, ...values),
      max: Math.max(1, ...values),
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
    };
    option.legend = { show: false };
    option.tooltip = { trigger: 'item' };
  }
  return option;
}
