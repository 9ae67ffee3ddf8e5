import type { DashboardSummary, FormRights, ReportSummary } from '@joinery/shared';

/**
 * The dashboards of an app that the user can use: those with at least one widget whose report
 * reads only forms the user may view. The server runs each widget under the user's rights
 * anyway; this keeps the menu free of dashboards that would only show refusals.
 */
export function visibleDashboards(
  dashboards: readonly DashboardSummary[],
  reports: readonly ReportSummary[],
  rights: Readonly<Record<string, FormRights>>,
): DashboardSummary[] {
  const byKey = new Map(reports.map((report) => [report.key, report]));
  const runnable = (key: string) => {
    const sources = byKey.get(key)?.definition.sources ?? [];
    return (
      sources.length > 0 &&
      sources.every((source) => rights[source.dataset]?.actions.includes('view') === true)
    );
  };
  return dashboards.filter((dashboard) =>
    dashboard.definition.widgets.some((widget) => runnable(widget.report)),
  );
}
