import type { DatasetCatalog } from '../dataset.ts';
import { AGGREGATE_FIELD_TYPES, aggregateKind } from './column-kinds.ts';
import { type DefinitionProblem, duplicate, problem } from './definition-problem.ts';
import type {
  ColumnKind,
  PreparedDimension,
  PreparedMeasure,
  ResolvedField,
} from './prepared-report.ts';
import type { ReportDefinition } from './report-definition.ts';
import { resolveField, unresolvedField } from './resolve-field.ts';

/**
 * Resolves and checks the measures in order: aggregates against their source's dataset,
 * derived measures against the measures defined before them (problems collected).
 */
export function prepareMeasures(
  definition: ReportDefinition,
  catalog: DatasetCatalog,
  dimensions: readonly PreparedDimension[],
  problems: DefinitionProblem[],
): PreparedMeasure[] {
  const keys = new Set(dimensions.map((item) => item.key));
  const prepared: PreparedMeasure[] = [];
  const byKey = new Map<string, PreparedMeasure>();
  const dimensionKeys = new Set(dimensions.map((item) => item.key));
  definition.measures.forEach((measure, index) => {
    const at = `/measures/${index}`;
    if (keys.has(measure.key)) problems.push(duplicate(`${at}/key`, measure.key));
    keys.add(measure.key);
    const reference = (key: string, pointer: string, allowed: (m: PreparedMeasure) => boolean) => {
      const target = byKey.get(key);
      if (!target || !allowed(target)) {
        problems.push(
          problem(
            pointer,
            `${key} 不是前面定义的可用度量`,
            `${key} is not a usable measure defined earlier`,
          ),
        );
        return null;
      }
      return target;
    };
    const dimension = (key: string, pointer: string) => {
      if (!dimensionKeys.has(key)) {
        problems.push(problem(pointer, `未知的维度 ${key}`, `Unknown dimension ${key}`));
      }
    };
    let result: PreparedMeasure | null = null;
    switch (measure.op) {
      case 'ratio': {
        const isAggregate = (m: PreparedMeasure) => m.role === 'aggregate' && isNumeric(m.kind);
        reference(measure.numerator, `${at}/numerator`, isAggregate);
        reference(measure.denominator, `${at}/denominator`, isAggregate);
        result = { role: 'derived', key: measure.key, kind: 'decimal', definition: measure };
        break;
      }
      case 'share':
      case 'running_total':
      case 'change': {
        const target = reference(
          measure.of,
          `${at}/of`,
          (m) => isNumeric(m.kind) && (m.role === 'aggregate' || m.definition.op === 'ratio'),
        );
        if (measure.op === 'share') {
          measure.per?.forEach((key, i) => {
            dimension(key, `${at}/per/${i}`);
          });
        } else if (measure.along !== undefined) {
          dimension(measure.along, `${at}/along`);
        } else if (dimensions.length === 0) {
          problems.push(problem(at, '需要至少一个维度', 'Needs at least one dimension'));
        }
        const kind: ColumnKind =
          measure.op === 'share' || (measure.op === 'change' && measure.mode === 'ratio')
            ? 'decimal'
            : (target?.kind ?? 'number');
        result = { role: 'derived', key: measure.key, kind, definition: measure };
        break;
      }
      default: {
        const sourceKey = measure.source ?? definition.sources[0]?.key;
        const sourceIndex = definition.sources.findIndex((source) => source.key === sourceKey);
        const source = definition.sources[sourceIndex];
        if (!source) {
          problems.push(
            problem(`${at}/source`, `未知的来源 ${sourceKey}`, `Unknown source ${sourceKey}`),
          );
          break;
        }
        let field: ResolvedField | undefined;
        let since: ResolvedField | undefined;
        if (measure.since !== undefined) {
          since = resolveField(catalog, source.dataset, measure.since) ?? undefined;
          if (!since)
            problems.push(unresolvedField(catalog, source.dataset, `${at}/since`, measure.since));
        }
        if (measure.field !== undefined) {
          field = resolveField(catalog, source.dataset, measure.field) ?? undefined;
          if (!field)
            problems.push(unresolvedField(catalog, source.dataset, `${at}/field`, measure.field));
          else if (since) {
            const types = [field.field.type, since.field.type];
            const durationOp = ['sum', 'avg', 'min', 'max'].includes(measure.op);
            if (
              !durationOp ||
              !(types.every((t) => t === 'date') || types.every((t) => t === 'datetime'))
            ) {
              problems.push(
                problem(
                  `${at}/since`,
                  '时长需要 sum/avg/min/max，且两端同为日期或同为日期时间',
                  'A duration needs sum/avg/min/max and two dates or two datetimes',
                ),
              );
            }
          } else if (!AGGREGATE_FIELD_TYPES[measure.op].includes(field.field.type)) {
            problems.push(
              problem(
                `${at}/field`,
                `${measure.op} 不能用于 ${field.field.type} 类型的字段`,
                `${measure.op} does not apply to a ${field.field.type} field`,
              ),
            );
          }
        } else if (measure.op !== 'count') {
          problems.push(
            problem(`${at}/field`, `${measure.op} 需要字段`, `${measure.op} needs a field`),
          );
        }
        result = {
          role: 'aggregate',
          key: measure.key,
          kind: since ? 'number' : aggregateKind(measure.op, field?.field.type),
          op: measure.op,
          sourceIndex,
          pointer: at,
          ...(field ? { field } : {}),
          ...(since ? { since, unit: measure.unit ?? 'day' } : {}),
          ...(measure.filter === undefined ? {} : { filter: measure.filter }),
        };
      }
    }
    if (result) {
      const labelled = measure.label ? { ...result, label: measure.label } : result;
      prepared.push(labelled);
      byKey.set(measure.key, labelled);
    }
  });
  return prepared;
}

function isNumeric(kind: ColumnKind): boolean {
  return kind === 'number' || kind === 'decimal';
}
