import type { FormRights, ReportSummary } from '@joinery/shared';

/**
 * The reports whose data the user may export: every form a report reads grants them `export`
 * (what the server's XLSX export checks). The server refuses the others anyway; this keeps the
 * export button off widgets where it could only show a refusal.
 */
export function exportableReports(
  reports: readonly ReportSummary[],
  rights: Readonly<Record<string, FormRights>>,
): ReadonlySet<string> {
  return new Set(
    reports
      .filter((report) => {
        const sources = report.definition.sources ?? [];
        return (
          sources.length > 0 &&
          sources.every((source) => rights[source.dataset]?.actions.includes('export') === true)
        );
      })
      .map((report) => report.key),
  );
}
