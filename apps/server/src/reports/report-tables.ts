import type { ColumnType, Generated } from 'kysely';

type Instant = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** `joinery.reports`: the live version of each report definition of an app. */
export interface ReportsTable {
  id: Generated<string>;
  app_id: string;
  key: string;
  version: ColumnType<number, number | undefined, number>;
  definition: Json;
  updated_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** `joinery.report_versions`: every saved version of a report, the live one included. */
export interface ReportVersionsTable {
  report_id: string;
  version: number;
  definition: Json;
  saved_by: string | null;
  saved_at: Instant;
}

/** `joinery.dashboards`: widget layout and global filter fields of a dashboard. */
export interface DashboardsTable {
  id: Generated<string>;
  app_id: string;
  key: string;
  version: ColumnType<number, number | undefined, number>;
  definition: Json;
  updated_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** The report tables, merged into `JoineryDatabase`. */
export interface ReportTables {
  'joinery.reports': ReportsTable;
  'joinery.report_versions': ReportVersionsTable;
  'joinery.dashboards': DashboardsTable;
}
