import { JoineryError } from '@joinery/shared';
import type { DatasetCatalog } from '../dataset.ts';
import { varUses } from '../query/logic-vars.ts';
import type { ReportDefinition } from './report-definition.ts';
import { namesEncrypted } from './resolve-field.ts';

/**
 * Refuses a definition whose source or measure filters read an encrypted field
 * (`JNY_FIELD_ENCRYPTED_QUERY` naming it): its column holds only ciphertext, so the filter could
 * never run. Checked when the report is prepared, so such a definition is never saved.
 */
export function refuseEncryptedFilters(
  definition: ReportDefinition,
  catalog: DatasetCatalog,
): void {
  const datasetOf = (key: string | undefined) =>
    (definition.sources.find((source) => source.key === key) ?? definition.sources[0])?.dataset;
  const conditions = [
    ...definition.sources.map((source) => ({ logic: source.filter, dataset: source.dataset })),
    ...definition.measures.map((measure) => ({
      logic: 'filter' in measure ? measure.filter : undefined,
      dataset: datasetOf('source' in measure ? measure.source : undefined),
    })),
  ];
  for (const { logic, dataset } of conditions) {
    if (logic === undefined || dataset === undefined) continue;
    for (const { path } of varUses(logic)) {
      if (namesEncrypted(catalog, dataset, path)) {
        throw new JoineryError('JNY_FIELD_ENCRYPTED_QUERY', { field: path.slice(0, 64) });
      }
    }
  }
}
