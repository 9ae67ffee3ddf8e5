import type { PreparedReport } from './prepared-report.ts';

/**
 * The datasets a report may read, for the access layer to decide the viewer's rights on before
 * `buildReportQuery`: each source's dataset and every dataset its relations reach (a superset —
 * a relation the report does not use costs one unused entry, never a refusal).
 */
export function requiredDatasets(report: PreparedReport): string[] {
  const names = new Set<string>();
  for (const source of report.sources) {
    names.add(source.datasetName);
    for (const relation of Object.values(source.dataset.relations ?? {})) {
      names.add(relation.dataset);
    }
  }
  return [...names];
}
