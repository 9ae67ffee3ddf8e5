import { type DefinitionProblem, problem } from '../definition/definition-problem.ts';
import type { ChartInput } from './chart-type.ts';

/** Problems when the report has too few or too many dimensions or measures for a chart. */
export function countProblems(
  chart: string,
  input: ChartInput,
  dimensions: readonly [number, number],
  measures: readonly [number, number],
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const check = (
    pointer: string,
    count: number,
    [min, max]: readonly [number, number],
    what: [string, string],
  ) => {
    if (count >= min && count <= max) return;
    const range =
      min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `${min}–${max}`;
    problems.push(
      problem(
        pointer,
        `${chart} 需要 ${range} 个${what[0]}`,
        `A ${chart} chart needs ${range} ${what[1]}`,
      ),
    );
  };
  check('/dimensions', input.dimensions.length, dimensions, ['维度', 'dimension(s)']);
  check('/measures', input.measures.length, measures, ['度量', 'measure(s)']);
  return problems;
}

/** A problem when an option names a column the report does not have (of the right role). */
export function keyProblem(
  pointer: string,
  key: string | undefined,
  keys: readonly string[],
): DefinitionProblem[] {
  if (key === undefined || keys.includes(key)) return [];
  return [problem(pointer, `未知的列 ${key}`, `Unknown column ${key}`)];
}

/** Options that are an object without properties of their own. */
export const NO_OPTIONS = { type: 'object', additionalProperties: false } as const;
