import type { ErrorObject } from 'ajv';
import localizeZhModule from 'ajv-i18n/localize/zh/index.js';
import { type DefinitionProblem, pointerSegment } from './definition-problem.ts';

// ajv-i18n is CommonJS: the default export is the function or a module object holding it.
const localizeZh =
  typeof localizeZhModule === 'function' ? localizeZhModule : localizeZhModule.default;

/**
 * ajv errors as problems with a precise pointer — for `required` and `additionalProperties` the
 * pointer names the missing or unexpected property itself — in ajv's English and ajv-i18n's
 * Chinese. The summaries of `if` and `oneOf` are dropped: their branches explain the fault.
 */
export function ajvProblems(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): DefinitionProblem[] {
  if (!errors) return [];
  const zh = errors.map((error) => ({ ...error }));
  localizeZh(zh);
  const problems: DefinitionProblem[] = [];
  errors.forEach((error, index) => {
    // `if`/`then` and `oneOf` only summarise the errors of their branches, reported as well.
    if (error.keyword === 'if' || error.keyword === 'oneOf') return;
    let pointer = prefix + error.instancePath;
    const params: Record<string, unknown> = error.params;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      pointer += `/${pointerSegment(params.missingProperty)}`;
    } else if (
      error.keyword === 'additionalProperties' &&
      typeof params.additionalProperty === 'string'
    ) {
      pointer += `/${pointerSegment(params.additionalProperty)}`;
    }
    const detail = describeParams(params);
    const en = `${error.message ?? error.keyword}${detail}`;
    if (problems.some((item) => item.pointer === pointer && item.message.en === en)) return;
    problems.push({
      pointer,
      message: { 'zh-CN': `${zh[index]?.message ?? error.message ?? error.keyword}${detail}`, en },
    });
  });
  return problems;
}

function describeParams(params: Record<string, unknown>): string {
  if (Array.isArray(params.allowedValues)) {
    return `: ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (typeof params.additionalProperty === 'string') return `: ${params.additionalProperty}`;
  return '';
}
