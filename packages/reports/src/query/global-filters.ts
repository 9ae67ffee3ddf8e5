import { JoineryError } from '@joinery/shared';
import { compileProblem } from '../definition/filter-problems.ts';
import type { PreparedReport } from '../definition/prepared-report.ts';
import { renameVars, varUses } from './logic-vars.ts';

/** The dashboard's global filters bound to each source's own fields. */
export interface BoundGlobalFilters {
  /** Per source index: the filters that apply, rewritten over the source's field paths. */
  readonly perSource: readonly (readonly { readonly logic: unknown; readonly pointer: string }[])[];
  readonly ignored: readonly number[];
}

/**
 * Binds each global filter (JSON-logic over the report's `globalFields` names) to every source
 * that binds all the names it reads, by renaming its `var`s to that source's fields. A name the
 * report does not declare at all is refused (`JNY_REPORT_FILTER_INVALID`): a typo must not
 * silently show unfiltered numbers.
 */
export function bindGlobalFilters(
  report: PreparedReport,
  filters: readonly unknown[],
): BoundGlobalFilters {
  const declared = new Set(Object.keys(report.definition.globalFields ?? {}));
  const perSource: { logic: unknown; pointer: string }[][] = report.sources.map(() => []);
  const ignored: number[] = [];
  filters.forEach((logic, index) => {
    const pointer = `/globalFilters/${index}`;
    // Bounded (depth, size) and well-formed before anything walks it.
    const invalid = compileProblem(logic, pointer);
    if (invalid) {
      throw new JoineryError('JNY_REPORT_FILTER_INVALID', {
        path: invalid.pointer,
        reason: invalid.message.en,
      });
    }
    const names = varUses(logic, pointer);
    for (const use of names) {
      if (!declared.has(use.path)) {
        throw new JoineryError('JNY_REPORT_FILTER_INVALID', {
          path: use.pointer,
          reason: `${use.path} is not a global field of this report`,
        });
      }
    }
    let applied = false;
    report.sources.forEach((source, sourceIndex) => {
      if (!names.every((use) => Object.hasOwn(source.globalFields, use.path))) return;
      const bound = renameVars(logic, (path) => source.globalFields[path]?.path ?? path, pointer);
      perSource[sourceIndex]?.push({ logic: bound, pointer });
      applied = true;
    });
    if (!applied) ignored.push(index);
  });
  return { perSource, ignored };
}
