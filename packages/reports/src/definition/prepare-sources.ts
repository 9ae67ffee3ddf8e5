import type { DatasetCatalog } from '../dataset.ts';
import { type DefinitionProblem, duplicate, problem } from './definition-problem.ts';
import type { PreparedSource, ResolvedField } from './prepared-report.ts';
import type { FieldBinding, ReportDefinition } from './report-definition.ts';
import { resolveField, unresolvedField } from './resolve-field.ts';

/** Resolves the sources' datasets and their global-field bindings (problems collected). */
export function prepareSources(
  definition: ReportDefinition,
  catalog: DatasetCatalog,
  problems: DefinitionProblem[],
): PreparedSource[] {
  const seen = new Set<string>();
  return definition.sources.flatMap((source, index) => {
    const at = `/sources/${index}`;
    if (seen.has(source.key)) problems.push(duplicate(`${at}/key`, source.key));
    seen.add(source.key);
    const dataset = Object.hasOwn(catalog, source.dataset) ? catalog[source.dataset] : undefined;
    if (!dataset) {
      problems.push(
        problem(
          `${at}/dataset`,
          `未知的数据集 ${source.dataset}`,
          `Unknown dataset ${source.dataset}`,
        ),
      );
      return [];
    }
    const globalFields: Record<string, ResolvedField> = {};
    for (const [name, binding] of Object.entries(definition.globalFields ?? {})) {
      const path = typeof binding === 'string' ? binding : binding[source.key];
      if (path === undefined) continue;
      const pointer =
        typeof binding === 'string'
          ? `/globalFields/${name}`
          : `/globalFields/${name}/${source.key}`;
      const resolved = resolveField(catalog, source.dataset, path);
      if (resolved) globalFields[name] = resolved;
      else problems.push(unresolvedField(catalog, source.dataset, pointer, path));
    }
    const prepared: PreparedSource = {
      key: source.key,
      datasetName: source.dataset,
      dataset,
      globalFields,
      ...(source.filter === undefined ? {} : { filter: source.filter }),
    };
    return [prepared];
  });
}

/** Resolves a binding in every source; null (with problems) when any is missing. */
export function bindEverywhere(
  definition: ReportDefinition,
  catalog: DatasetCatalog,
  binding: FieldBinding,
  at: string,
  problems: DefinitionProblem[],
): ResolvedField[] | null {
  const fields: ResolvedField[] = [];
  for (const source of definition.sources) {
    const path = typeof binding === 'string' ? binding : binding[source.key];
    const pointer = typeof binding === 'string' ? at : `${at}/${source.key}`;
    if (path === undefined) {
      problems.push(
        problem(
          pointer,
          `缺少来源 ${source.key} 的字段`,
          `No field given for source ${source.key}`,
        ),
      );
      return null;
    }
    const resolved = resolveField(catalog, source.dataset, path);
    if (!resolved) {
      problems.push(unresolvedField(catalog, source.dataset, pointer, path));
      return null;
    }
    fields.push(resolved);
  }
  if (typeof binding !== 'string') {
    for (const key of Object.keys(binding)) {
      if (!definition.sources.some((source) => source.key === key)) {
        problems.push(problem(`${at}/${key}`, `未知的来源 ${key}`, `Unknown source ${key}`));
      }
    }
  }
  return fields;
}
