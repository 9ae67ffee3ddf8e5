import { JoineryError } from '@joinery/shared';
import type { DatasetCatalog } from '../dataset.ts';
import { type DefinitionProblem, problem } from './definition-problem.ts';
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

/**
 * The problem of a path {@link resolveField} found nothing for: a field the dataset does not
 * have. A path naming a field stored encrypted (here or through a relation) is refused outright
 * with `JNY_FIELD_ENCRYPTED_QUERY` naming it: its column holds only ciphertext, which no report
 * can group, aggregate or filter on.
 */
export function unresolvedField(
  catalog: DatasetCatalog,
  datasetName: string,
  pointer: string,
  path: string,
): DefinitionProblem {
  if (namesEncrypted(catalog, datasetName, path)) {
    throw new JoineryError('JNY_FIELD_ENCRYPTED_QUERY', { field: path.slice(0, 64) });
  }
  return problem(
    pointer,
    `数据集 ${datasetName} 没有字段 ${path}`,
    `The dataset ${datasetName} has no field ${path}`,
  );
}

/** True when `path` (`field` or `relation.field`) names an encrypted field of the catalogue. */
export function namesEncrypted(
  catalog: DatasetCatalog,
  datasetName: string,
  path: string,
): boolean {
  const dataset = hasOwn(catalog, datasetName) ? catalog[datasetName] : undefined;
  const [name = '', sub, ...rest] = path.split('.');
  if (!dataset || rest.length > 0) return false;
  if (sub === undefined) return dataset.encrypted?.includes(name) ?? false;
  const relation =
    dataset.relations && hasOwn(dataset.relations, name) ? dataset.relations[name] : undefined;
  const target =
    relation && hasOwn(catalog, relation.dataset) ? catalog[relation.dataset] : undefined;
  return target?.encrypted?.includes(sub) ?? false;
}
