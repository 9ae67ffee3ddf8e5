import type {
  DashboardSummary,
  DashboardView,
  DrillResult,
  ReportCell,
  ReportResult,
  ReportSummary,
} from '@joinery/shared';
import type { ApiClient } from './api-client.ts';

const appPath = (app: string) => `/api/apps/${encodeURIComponent(app)}`;

/** The dashboards of an app. */
export async function listDashboards(client: ApiClient, app: string) {
  const body = await client.get<{ items: DashboardSummary[] }>(`${appPath(app)}/dashboards`);
  return body.items;
}

/** The report definitions of an app (which datasets each reads). */
export async function listReports(client: ApiClient, app: string) {
  const body = await client.get<{ items: ReportSummary[] }>(`${appPath(app)}/reports`);
  return body.items;
}

/** A dashboard with its global filter fields and widgets. */
export function getDashboard(client: ApiClient, app: string, dashboard: string) {
  return client.get<DashboardView>(`${appPath(app)}/dashboards/${encodeURIComponent(dashboard)}`);
}

const widgetPath = (app: string, dashboard: string, widget: string) =>
  `${appPath(app)}/dashboards/${encodeURIComponent(dashboard)}/widgets/${encodeURIComponent(widget)}`;

/** Runs one widget (by its id) under the user's rights, with the dashboard's global filters. */
export function runWidget(
  client: ApiClient,
  app: string,
  dashboard: string,
  widget: string,
  globalFilters: readonly unknown[],
) {
  return client.post<ReportResult>(`${widgetPath(app, dashboard, widget)}/run`, {
    body: { globalFilters },
  });
}

/** The record list behind a clicked data point of a widget. */
export function drillWidget(
  client: ApiClient,
  app: string,
  dashboard: string,
  widget: string,
  point: { readonly dimensions: Readonly<Record<string, ReportCell>>; readonly measure?: string },
  globalFilters: readonly unknown[],
) {
  return client.post<DrillResult>(`${widgetPath(app, dashboard, widget)}/drill`, {
    body: { point, globalFilters },
  });
}

/**
 * A widget's data (its result table) as an XLSX file, under the user's rights with the
 * dashboard's global filters; the server audits the export and needs `export` on its forms.
 */
export function exportWidget(
  client: ApiClient,
  app: string,
  dashboard: string,
  widget: string,
  globalFilters: readonly unknown[],
) {
  return client.download('POST', `${widgetPath(app, dashboard, widget)}/export`, {
    body: { globalFilters },
  });
}
