import type { LocalizedText } from '../locale.ts';

/**
 * Wire types of the reports and dashboards API (`/api/apps/:app/reports`, `…/dashboards`) that
 * the web app reads, as the server's route schemas describe them.
 */

/** A stored report: its definition is the report engine's (`@joinery/reports`). */
export interface ReportSummary {
  readonly key: string;
  readonly version: number;
  readonly definition: {
    readonly title?: LocalizedText;
    readonly sources?: readonly { readonly key: string; readonly dataset: string }[];
  };
  readonly updatedAt: string;
}

/** A dashboard's global filter field (a name its reports bind to their own fields). */
export interface GlobalField {
  readonly key: string;
  readonly type: 'date' | 'datetime' | 'text' | 'number';
  readonly label?: Readonly<Record<string, string>>;
}

/** A widget: its id (unique in the dashboard), its report, its place on the 24-column grid. */
export interface WidgetPlacement {
  readonly id: string;
  readonly report: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A stored dashboard (`GET /api/apps/:app/dashboards`). */
export interface DashboardSummary {
  readonly key: string;
  readonly version: number;
  readonly definition: {
    readonly title?: Readonly<Record<string, string>>;
    readonly globalFields: readonly GlobalField[];
    readonly widgets: readonly WidgetPlacement[];
  };
  readonly updatedAt: string;
}

/** A dashboard as the browser opens it (`GET /api/apps/:app/dashboards/:key`). */
export interface DashboardView {
  readonly key: string;
  readonly version: number;
  readonly title?: Readonly<Record<string, string>>;
  readonly globalFields: readonly GlobalField[];
  readonly widgets: readonly (WidgetPlacement & {
    readonly reportVersion: number;
    readonly title?: Readonly<Record<string, string>>;
    readonly chart: { readonly type: string; readonly version: number };
    /** Where to run it (`…/dashboards/:key/widgets/:id/run`): `POST` with the global filters. */
    readonly run: string;
  })[];
}

/** A result cell (money as a decimal string). */
export type ReportCell = string | number | boolean | null;

/**
 * One widget's data (`POST …/dashboards/:key/widgets/:id/run`, or `…/reports/:key/run`): an ECharts `dataset` and `series` to use as
 * they are, and the result table (for KPI numbers and tables).
 */
export interface ReportResult {
  readonly chart: { readonly type: string; readonly version: number };
  readonly dataset: {
    readonly dimensions: readonly {
      readonly name: string;
      readonly displayName: string;
      readonly type: 'ordinal' | 'number' | 'time';
    }[];
    readonly source: readonly (readonly ReportCell[])[];
  };
  readonly series: readonly {
    readonly type: string;
    readonly name: string;
    readonly encode: Readonly<Record<string, string | readonly string[]>>;
  }[];
  readonly table: {
    readonly columns: readonly {
      readonly key: string;
      readonly role: 'dimension' | 'measure';
      readonly displayName: string;
    }[];
    readonly rows: readonly (readonly ReportCell[])[];
  };
  readonly truncated: boolean;
  readonly version: number;
  /** Indexes of global filters none of the report's sources could apply. */
  readonly ignoredGlobalFilters: readonly number[];
  /** Display names of the users a dimension holds the ids of: `{ owner: { <id>: "王芳" } }`. */
  readonly labels: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Where a clicked data point leads (`POST …/widgets/:id/drill`, or `…/reports/:key/drill`). */
export interface DrillResult {
  readonly dataset: string;
  readonly filter: unknown;
  /** The browser's record list of the dataset, filter included. */
  readonly url: string;
}
