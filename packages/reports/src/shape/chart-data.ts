import type { ColumnKind } from '../definition/prepared-report.ts';

/** One value of a result cell, as it reaches the browser (money as a decimal string). */
export type CellValue = string | number | boolean | null;

/** A result column with its display name resolved in the viewer's language. */
export interface ShapedColumn {
  readonly key: string;
  readonly role: 'dimension' | 'measure';
  readonly kind: ColumnKind;
  readonly displayName: string;
}

/** The query's rows normalised (numbers as numbers, decimals as strings), columns in order. */
export interface ResultTable {
  readonly columns: readonly ShapedColumn[];
  readonly rows: readonly (readonly CellValue[])[];
}

/** An ECharts `dataset.dimensions` entry. */
export interface EChartsDimension {
  readonly name: string;
  readonly displayName: string;
  readonly type: 'ordinal' | 'number' | 'time';
}

/** An ECharts series reading the dataset through `encode` (column names). */
export interface EChartsSeries {
  readonly type: 'bar' | 'line' | 'pie' | 'funnel' | 'scatter' | 'heatmap';
  readonly name: string;
  readonly encode: Readonly<Record<string, string | readonly string[]>>;
  readonly stack?: string;
  readonly areaStyle?: Readonly<Record<string, never>>;
  readonly smooth?: boolean;
}

/**
 * A 2-D table (pivot tables, cohort matrices): header values of the row dimensions and of the
 * column dimensions, and one cell per row × column × measure (null where no group exists).
 */
export interface MatrixTable {
  readonly rowDimensions: readonly string[];
  readonly columnDimensions: readonly string[];
  readonly measures: readonly string[];
  readonly rowHeaders: readonly (readonly CellValue[])[];
  readonly columnHeaders: readonly (readonly CellValue[])[];
  /** `cells[row][column * measures.length + measure]`. */
  readonly cells: readonly (readonly CellValue[])[];
}

/** What a chart type makes of the result. */
export interface ChartShape {
  readonly dataset: {
    readonly dimensions: readonly EChartsDimension[];
    readonly source: readonly (readonly CellValue[])[];
  };
  readonly series: readonly EChartsSeries[];
  readonly matrix?: MatrixTable;
}

/**
 * The answer for one widget: an ECharts `dataset` + `series` (use them as they are), a matrix
 * for pivot and cohort charts, the result table itself (for XLSX export and the table view),
 * and whether the group limit cut the result.
 */
export interface ChartData extends ChartShape {
  readonly chart: { readonly type: string; readonly version: number };
  readonly table: ResultTable;
  readonly truncated: boolean;
}
