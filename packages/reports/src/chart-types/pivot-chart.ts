import { matrix } from '../shape/matrix.ts';
import { splitColumns, tableDataset } from '../shape/table-tools.ts';
import { countProblems, keyProblem } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/** Options of a pivot table: which dimensions run down and which across (default: last across). */
export interface PivotOptions {
  readonly rows?: readonly string[];
  readonly columns?: readonly string[];
}

/** A pivot table: a 2-D matrix of the measures by row and column dimensions. */
export const pivotChart = defineChartType<PivotOptions>({
  type: 'pivot',
  version: 1,
  label: { 'zh-CN': '透视表', en: 'Pivot table' },
  optionsSchema: {
    type: 'object',
    properties: {
      rows: { type: 'array', items: { type: 'string' }, maxItems: 3 },
      columns: { type: 'array', items: { type: 'string' }, maxItems: 3 },
    },
    additionalProperties: false,
  },
  check: (input, options) => {
    const keys = input.dimensions.map((dimension) => dimension.key);
    return [
      ...countProblems('pivot', input, [2, 4], [1, 8]),
      ...(options.rows ?? []).flatMap((key, i) =>
        keyProblem(`/chart/options/rows/${i}`, key, keys),
      ),
      ...(options.columns ?? []).flatMap((key, i) =>
        keyProblem(`/chart/options/columns/${i}`, key, keys),
      ),
    ];
  },
  shape: (table, options) => {
    const { dimensions, measures } = splitColumns(table);
    const keys = dimensions.map(({ column }) => column.key);
    const columns = options.columns ?? keys.slice(-1);
    const rows = options.rows ?? keys.filter((key) => !columns.includes(key));
    return {
      dataset: tableDataset(table),
      series: [],
      matrix: matrix(
        table,
        rows,
        columns,
        measures.map(({ column }) => column.key),
      ),
    };
  },
});
