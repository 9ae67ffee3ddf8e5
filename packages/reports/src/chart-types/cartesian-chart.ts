import type { ChartShape, EChartsSeries, ResultTable } from '../shape/chart-data.ts';
import {
  distinctTuples,
  echartsType,
  splitColumns,
  tableDataset,
  tupleKey,
  tupleLabel,
} from '../shape/table-tools.ts';
import { countProblems } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/** Options of bar, line and area charts. */
export interface CartesianOptions {
  /** Stack the series (per category). */
  readonly stack?: boolean;
  /** Bars along the y axis (bar only). */
  readonly horizontal?: boolean;
  readonly smooth?: boolean;
}

const optionsSchema = {
  type: 'object',
  properties: {
    stack: { type: 'boolean' },
    horizontal: { type: 'boolean' },
    smooth: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

/**
 * The first dimension is the category axis; each measure is a series. With a second dimension,
 * its values become series too: the dataset is spread wide (one column per value × measure,
 * named `<measure>:<index>`), since an ECharts series reads one column.
 */
function shapeCartesian(
  kind: 'bar' | 'line' | 'area',
  table: ResultTable,
  options: CartesianOptions,
): ChartShape {
  const { dimensions, measures } = splitColumns(table);
  const [category, split] = dimensions;
  if (!category) return { dataset: tableDataset(table), series: [] };
  const base = {
    type: kind === 'area' ? ('line' as const) : kind,
    ...(options.stack ? { stack: 'total' } : {}),
    ...(kind === 'area' ? { areaStyle: {} } : {}),
    ...(options.smooth && kind !== 'bar' ? { smooth: true } : {}),
  };
  const encode = (value: string) =>
    options.horizontal && kind === 'bar'
      ? { y: category.column.key, x: value }
      : { x: category.column.key, y: value };
  if (!split) {
    return {
      dataset: tableDataset(table),
      series: measures.map(({ column }) => ({
        ...base,
        name: column.displayName,
        encode: encode(column.key),
      })),
    };
  }
  const categories = distinctTuples(table.rows, [category.index]);
  const splits = distinctTuples(table.rows, [split.index]);
  const splitIndex = new Map(splits.map((tuple, index) => [tupleKey(tuple), index]));
  const categoryIndex = new Map(categories.map((tuple, index) => [tupleKey(tuple), index]));
  const width = 1 + splits.length * measures.length;
  const source = categories.map((tuple) => {
    const row = new Array(width).fill(null);
    row[0] = tuple[0] ?? null;
    return row;
  });
  for (const row of table.rows) {
    const r = categoryIndex.get(tupleKey([row[category.index] ?? null]));
    const s = splitIndex.get(tupleKey([row[split.index] ?? null]));
    const target = r === undefined ? undefined : source[r];
    if (!target || s === undefined) continue;
    measures.forEach(({ index }, m) => {
      target[1 + s * measures.length + m] = row[index] ?? null;
    });
  }
  const series: EChartsSeries[] = [];
  const columns = [
    {
      name: category.column.key,
      displayName: category.column.displayName,
      type: echartsType(category.column.kind, 'dimension'),
    },
  ];
  splits.forEach((tuple, s) => {
    measures.forEach(({ column }) => {
      const name = `${column.key}:${s}`;
      const label =
        measures.length === 1 ? tupleLabel(tuple) : `${tupleLabel(tuple)} · ${column.displayName}`;
      columns.push({ name, displayName: label, type: echartsType(column.kind, 'measure') });
      series.push({ ...base, name: label, encode: encode(name) });
    });
  });
  return { dataset: { dimensions: columns, source }, series };
}

const cartesian = (type: 'bar' | 'line' | 'area', zh: string, en: string) =>
  defineChartType<CartesianOptions>({
    type,
    version: 1,
    label: { 'zh-CN': zh, en },
    optionsSchema,
    check: (input) => countProblems(type, input, [1, 2], [1, 20]),
    shape: (table, options) => shapeCartesian(type, table, options),
  });

/** Bars per category (optionally stacked or horizontal). */
export const barChart = cartesian('bar', '柱状图', 'Bar');
/** Lines over a category or time axis. */
export const lineChart = cartesian('line', '折线图', 'Line');
/** Filled lines (ECharts line series with `areaStyle`). */
export const areaChart = cartesian('area', '面积图', 'Area');
