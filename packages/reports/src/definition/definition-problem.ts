import { JoineryError, type LocalizedText } from '@joinery/shared';

/** One problem of a report definition: the JSON pointer to the part at fault, and why. */
export interface DefinitionProblem {
  readonly pointer: string;
  readonly message: LocalizedText;
}

/** Builds a problem with the same text shape in both languages. */
export function problem(pointer: string, zh: string, en: string): DefinitionProblem {
  return { pointer, message: { 'zh-CN': zh, en } };
}

/** Throws `JNY_REPORT_DEFINITION_INVALID` listing every problem (nothing when there are none). */
export function throwIfProblems(problems: readonly DefinitionProblem[]): void {
  if (problems.length === 0) return;
  throw new JoineryError(
    'JNY_REPORT_DEFINITION_INVALID',
    { count: problems.length },
    problems.map((item) => ({ field: item.pointer, reason: item.message })),
  );
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A key used twice. */
export function duplicate(pointer: string, key: string): DefinitionProblem {
  return problem(pointer, `重复的键 ${key}`, `Duplicate key ${key}`);
}
