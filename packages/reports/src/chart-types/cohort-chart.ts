import { matrix } from '../shape/matrix.ts';
import { splitColumns, tableDataset } from '../shape/table-tools.ts';
import { countProblems, keyProblem } from './chart-checks.ts';
import { defineChartType } from './chart-type.ts';

/** Options of a cohort (vintage) matrix: the measure in the cells (default the first). */
export interface CohortOptions {
  readonly measure?: string;
}

/**
 * A cohort or vintage matrix: the first dimension is the cohort (e.g. disbursement month), the
 * second the age (e.g. months on book, a `since` dimension); cells hold one measure. Drawn as a
 * heatmap, and returned as a matrix for the table view.
 */
export const cohortChart = defineChartType<CohortOptions>({
  type: 'cohort',
  version: 1,
  label: { 'zh-CN': '账龄矩阵', en: 'Cohort matrix' },
  optionsSchema: {
    type: 'object',
    properties: { measure: { type: 'string' } },
    additionalProperties: false,
  },
  check: (input, options) => [
    ...countProblems('cohort', input, [2, 2], [1, 8]),
    ...keyProblem(
      '/chart/options/measure',
      options.measure,
      input.measures.map((measure) => measure.key),
    ),
  ],
  shape: (table, options) => {
    const { dimensions, measures } = splitColumns(table);
    const [cohort, age] = dimensions;
    const measure = options.measure ?? measures[0]?.column.key;
    if (!cohort || !age || !measure) return { dataset: tableDataset(table), series: [] };
    return {
      dataset: tableDataset(table),
      series: [
        {
          type: 'heatmap',
          name: measure,
          encode: { x: age.column.key, y: cohort.column.key, value: measure },
        },
      ],
      matrix: matrix(table, [cohort.column.key], [age.column.key], [measure]),
    };
  },
});
