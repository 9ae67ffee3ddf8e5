import { JoineryError, type Locale } from '@joinery/shared';
import { type FieldTypeRegistry, fieldTypes } from '../field-types/field-type-registry.ts';
import { ajvProblems } from './ajv-problems.ts';
import type { AppDefinition, FieldDefinition, FormDefinition } from './app-definition.ts';
import { appDefinitionSchema, formDefinitionSchema } from './app-definition-schema.ts';
import { checkFormDefinition } from './check-form.ts';
import { createAjv } from './create-ajv.ts';
import {
  type DefinitionProblem,
  definitionProblem,
  problemsInLocale,
} from './definition-problem.ts';
import { checkKey } from './identifier.ts';

const ajv = createAjv();
ajv.addSchema(formDefinitionSchema);
const validateAppShape = ajv.compile<AppDefinition>(appDefinitionSchema);
const validateFormShape = ajv.compile<FormDefinition>({ $ref: 'form' });

/** The outcome of validating a definition: the frozen, normalised value, or every problem. */
export type DefinitionResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly DefinitionProblem[] };

/**
 * Validates an app document (docs/forms.md): the JSON schema first (precise pointers, zh-CN and
 * en messages), then keys, field types and their configs, validations, patterns, JSON-logic and
 * references between forms. On success the value is a deep-frozen copy in which every field
 * names its `typeVersion` (the newest, when it was left out), so it keeps its meaning forever.
 */
export function validateAppDefinition(
  input: unknown,
  registry: FieldTypeRegistry = fieldTypes,
): DefinitionResult<AppDefinition> {
  if (!validateAppShape(input))
    return { ok: false, problems: ajvProblems(validateAppShape.errors) };
  const problems: DefinitionProblem[] = [];
  if (checkKey(input.key, 'app') !== null) {
    problems.push(definitionProblem('/key', 'reservedKey', { key: input.key }));
  }
  const seen = new Set<string>();
  input.forms.forEach((form, index) => {
    if (seen.has(form.key)) {
      problems.push(definitionProblem(`/forms/${index}/key`, 'duplicateKey', { key: form.key }));
    }
    seen.add(form.key);
    problems.push(...checkFormDefinition(form, `/forms/${index}`, registry, input.forms));
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: deepFreeze({
      ...structuredClone(input),
      forms: input.forms.map((f) => stampForm(f, registry)),
    }),
  };
}

/**
 * Validates one form version on its own. Pass the app's other forms as `forms` to check
 * relation targets, lookups and rollups too (the server does, before publishing).
 */
export function validateFormDefinition(
  input: unknown,
  options: {
    readonly forms?: readonly FormDefinition[];
    readonly registry?: FieldTypeRegistry;
  } = {},
): DefinitionResult<FormDefinition> {
  const registry = options.registry ?? fieldTypes;
  if (!validateFormShape(input))
    return { ok: false, problems: ajvProblems(validateFormShape.errors) };
  const forms = options.forms
    ? [...options.forms.filter((form) => form.key !== input.key), input]
    : null;
  const problems = checkFormDefinition(input, '', registry, forms);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: deepFreeze(stampForm(input, registry)) };
}

/** Like `validateFormDefinition`, but throws `JNY_FORM_DEFINITION_INVALID` in `locale`. */
export function parseFormDefinition(
  input: unknown,
  locale: Locale = 'zh-CN',
  options: { readonly forms?: readonly FormDefinition[] } = {},
): FormDefinition {
  const result = validateFormDefinition(input, options);
  if (result.ok) return result.value;
  throw new JoineryError(
    'JNY_FORM_DEFINITION_INVALID',
    { count: result.problems.length },
    problemsInLocale(result.problems, locale),
  );
}

/** Like `validateAppDefinition`, but throws `JNY_FORM_DEFINITION_INVALID` in `locale`. */
export function parseAppDefinition(input: unknown, locale: Locale = 'zh-CN'): AppDefinition {
  const result = validateAppDefinition(input);
  if (result.ok) return result.value;
  throw new JoineryError(
    'JNY_FORM_DEFINITION_INVALID',
    { count: result.problems.length },
    problemsInLocale(result.problems, locale),
  );
}

function stampForm(form: FormDefinition, registry: FieldTypeRegistry): FormDefinition {
  return { ...structuredClone(form), fields: form.fields.map((f) => stampField(f, registry)) };
}

function stampField(field: FieldDefinition, registry: FieldTypeRegistry): FieldDefinition {
  const typeVersion = field.typeVersion ?? registry.latest(field.type)?.version ?? 1;
  const stamped: FieldDefinition = { ...structuredClone(field), typeVersion };
  return field.fields
    ? { ...stamped, fields: field.fields.map((row) => stampField(row, registry)) }
    : stamped;
}

/** Freezes an object graph: published definitions are immutable (STYLE rule 6). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
