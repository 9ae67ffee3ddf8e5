import { compileLogic } from '@joinery/rules';
import { isJoineryError } from '@joinery/shared';
import { type DefinitionProblem, problem } from './definition-problem.ts';
import type { ReportDefinition } from './report-definition.ts';

/**
 * Compiles every filter of the definition with the rule engine, so a malformed, unknown or
 * oversized condition is a definition problem at its pointer — and the depth and size limits
 * hold before anything walks the filters.
 */
export function filterProblems(definition: ReportDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const check = (logic: unknown, pointer: string) => {
    if (logic === undefined) return;
    const found = compileProblem(logic, pointer);
    if (found) problems.push(found);
  };
  definition.sources.forEach((source, index) => {
    check(source.filter, `/sources/${index}/filter`);
  });
  definition.measures.forEach((measure, index) => {
    if ('filter' in measure) check(measure.filter, `/measures/${index}/filter`);
  });
  return problems;
}

/** The rule engine's complaint about a condition, as a problem at `pointer`, or null. */
export function compileProblem(logic: unknown, pointer: string): DefinitionProblem | null {
  try {
    compileLogic(logic);
    return null;
  } catch (error) {
    if (!isJoineryError(error)) throw error;
    const path = typeof error.params.path === 'string' ? error.params.path : '';
    return problem(`${pointer}${path}`, error.localized('zh-CN'), error.localized('en'));
  }
}
