import { JoineryError } from '@joinery/shared';
import type { Static } from 'typebox';
import type { Viewer } from '../access/viewer.ts';
import type { DashboardViewSchema } from './report-schemas.ts';
import type { ReportService } from './report-service.ts';
import type { StoredDashboard, StoredReport } from './report-store.ts';

/** A dashboard as a viewer opens it. */
export type DashboardView = Static<typeof DashboardViewSchema>;

/**
 * Dashboards as each viewer may see them. A widget shows only when its report exists and the
 * viewer may run it (`ReportService.mayRun`); the others are left out, not errors, so one
 * forbidden widget never spoils a dashboard. A dashboard with no widget left is not listed
 * and does not open (403) for anyone but an administrator.
 */
export class DashboardViews {
  readonly #reports: ReportService;

  constructor(reports: ReportService) {
    this.#reports = reports;
  }

  /** The dashboards of an app that show `viewer` at least one widget. */
  async visible(viewer: Viewer, appKey: string): Promise<StoredDashboard[]> {
    const all = await this.#reports.store.listDashboards(appKey);
    if (viewer.isAdmin) return all;
    const runnable = await this.#runnable(viewer, appKey);
    return all.filter((dashboard) =>
      dashboard.definition.widgets.some((widget) => runnable.has(widget.report)),
    );
  }

  /** One dashboard with the widgets `viewer` may run, each with its report's title and chart. */
  async open(viewer: Viewer, appKey: string, key: string): Promise<DashboardView> {
    const found = await this.#reports.store.getDashboard(appKey, key);
    const runnable = await this.#runnable(viewer, appKey);
    const widgets = found.definition.widgets.flatMap((widget) => {
      const report = runnable.get(widget.report);
      if (!report) return [];
      const definition = report.definition as {
        title?: Record<string, string>;
        chart: { type: string; version: number };
      };
      return [
        {
          ...widget,
          reportVersion: report.version,
          ...(definition.title && { title: definition.title }),
          chart: { type: definition.chart.type, version: definition.chart.version },
          run: `/api/apps/${encodeURIComponent(appKey)}/dashboards/${key}/widgets/${widget.id}/run`,
        },
      ];
    });
    if (widgets.length === 0 && !viewer.isAdmin) {
      throw new JoineryError('JNY_DASHBOARD_FORBIDDEN', { dashboard: key });
    }
    return {
      key: found.key,
      version: found.version,
      ...(found.definition.title && { title: found.definition.title }),
      globalFields: found.definition.globalFields,
      widgets,
    };
  }

  async #runnable(viewer: Viewer, appKey: string): Promise<Map<string, StoredReport>> {
    const reports = await this.#reports.visibleReports(viewer, appKey);
    return new Map(reports.map((report) => [report.key, report]));
  }
}
