import type { DatasetCatalog } from '../dataset.ts';
import type { ResolvedField } from './prepared-report.ts';

const hasOwn = Object.hasOwn;

/**
 * Resolves `field` or `relation.field` of dataset `datasetName` against the catalogue only;
 * null when the path names nothing there. Own properties only, so `__proto__` names nothing.
 */
export function resolveField(
  catalog: DatasetCatalog,
  datasetName: string,
  path: string,
): ResolvedField | null {
  const dataset = hasOwn(catalog, datasetName) ? catalog[datasetName] : undefined;
  if (!dataset) return null;
  const [name = '', sub, ...rest] = path.split('.');
  if (sub === undefined) {
    const field = hasOwn(dataset.fields, name) ? dataset.fields[name] : undefined;
    return field ? { path, dataset: datasetName, name, field } : null;
  }
  if (rest.length > 0 || !dataset.relations || !hasOwn(dataset.relations, name)) return null;
  const relation = dataset.relations[name];
  const target = relation && hasOwn(catalog, relation.dataset) ? catalog[relation.dataset] : null;
  const field = target && hasOwn(target.fields, sub) ? target.fields[sub] : undefined;
  if (!relation || !field) return null;
  const resolved: ResolvedField = {
    path,
    dataset: relation.dataset,
    name: sub,
    relation: name,
    field,
  };
  return relation.field === undefined
    ? resolved
    : { ...resolved, through: { dataset: datasetName, field: relation.field } };
}
