import type { ErrorObject } from 'ajv';
import localizeZhModule from 'ajv-i18n/localize/zh/index.js';
import type { DefinitionProblem } from './definition-problem.ts';

// ajv-i18n is CommonJS: the default export is the function or a module object holding it.
const localizeZh =
  typeof localizeZhModule === 'function' ? localizeZhModule : localizeZhModule.default;

/**
 * Turns ajv errors into problems with a precise pointer — for `required` and
 * `additionalProperties` the pointer names the missing or unexpected property itself — and the
 * message in both languages (ajv's English; Chinese from ajv-i18n).
 */
export function ajvProblems(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): DefinitionProblem[] {
  if (!errors) return [];
  const zh = errors.map((error) => ({ ...error }));
  localizeZh(zh);
  return errors.map((error, index) => {
    let pointer = prefix + error.instancePath;
    const params: Record<string, unknown> = error.params;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      pointer += `/${escapePointer(params.missingProperty)}`;
    } else if (
      error.keyword === 'additionalProperties' &&
      typeof params.additionalProperty === 'string'
    ) {
      pointer += `/${escapePointer(params.additionalProperty)}`;
    }
    const detail = describeParams(error);
    return {
      pointer,
      reason: error.keyword,
      message: {
        'zh-CN': `${zh[index]?.message ?? error.message ?? error.keyword}${detail}`,
        en: `${error.message ?? error.keyword}${detail}`,
      },
    };
  });
}

function describeParams(error: ErrorObject): string {
  const params: Record<string, unknown> = error.params;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (error.keyword === 'additionalProperties') return `: ${String(params.additionalProperty)}`;
  return '';
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
