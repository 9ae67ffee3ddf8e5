import { createRequire } from 'node:module';
import type { FieldProblem, Locale } from '@joinery/shared';
import type { ErrorObject } from 'ajv';

type Localize = (errors: ErrorObject[] | null | undefined) => void;
const require = createRequire(import.meta.url);
const localizers: Readonly<Record<Locale, Localize>> = {
  'zh-CN': require('ajv-i18n/localize/zh'),
  en: require('ajv-i18n/localize/en'),
};

/**
 * Turns ajv errors into per-field problems in the caller's language. The field is a JSON pointer
 * prefixed with where it was found (`/body/username`, `/querystring/limit`); a missing or unknown
 * property is named itself, not its parent object.
 */
export function validationProblems(
  errors: readonly ErrorObject[],
  context: string,
  locale: Locale,
): FieldProblem[] {
  const copies = errors.map((error) => ({ ...error }));
  localizers[locale](copies);
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const error of copies) {
    const field = `/${context}${error.instancePath}${propertySuffix(error)}`;
    const reason = error.message ?? error.keyword;
    const key = `${field} ${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field, reason });
  }
  return problems;
}

function propertySuffix(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const name = params.missingProperty ?? params.additionalProperty;
  return typeof name === 'string' ? `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}` : '';
}
