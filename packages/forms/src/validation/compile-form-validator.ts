import type { Locale } from '@joinery/shared';
import { isRecord } from '../field-types/config-reader.ts';
import type { JsonSchema } from '../field-types/define-field-type.ts';
import { type FieldTypeRegistry, fieldTypes } from '../field-types/field-type-registry.ts';
import { normaliseUuid } from '../field-types/uuid-value.ts';
import type { FieldDefinition, FormDefinition } from '../schema/app-definition.ts';
import { createAjv } from '../schema/create-ajv.ts';
import { SYSTEM_FIELD_KEYS } from '../schema/identifier.ts';
import { type CompiledField, compileField } from './compiled-field.ts';
import { recordMessage, showValue } from './record-messages.ts';
import { type RecordProblem, type RecordResult, recordInvalidError } from './record-problem.ts';

/** How many keys a record body may have before it is refused outright. */
const MAX_KEYS = 1000;

/**
 * The validator of one published form version, compiled once and shared by the browser and
 * the server. Values come out normalised (trimmed text, canonical money strings, UTC
 * date-times, lower-case UUIDs…), ready to store. Never throws on any input.
 */
export interface FormValidator {
  readonly form: FormDefinition;
  /** Fields that take input (not deleted, not computed), by key. */
  readonly inputFields: ReadonlyMap<string, CompiledField>;
  /** Every live (not deleted) field, computed ones included, by key. */
  readonly fields: ReadonlyMap<string, CompiledField>;
  /** Subform validators, by the subform field's key. */
  readonly subforms: ReadonlyMap<string, FormValidator>;
  /** JSON schema of a stored record's field values, for API output schemas. */
  readonly recordSchema: JsonSchema;
  /** A full record: unknown and computed fields refused, required fields enforced. */
  validateCreate(input: unknown): RecordResult;
  /** A partial update: only the given fields are checked; a required field may not become null. */
  validateUpdate(input: unknown): RecordResult;
  /** `validateCreate`, throwing `JNY_RECORD_INVALID` in `locale`. */
  assertCreate(input: unknown, locale: Locale): Readonly<Record<string, unknown>>;
  /** `validateUpdate`, throwing `JNY_RECORD_INVALID` in `locale`. */
  assertUpdate(input: unknown, locale: Locale): Readonly<Record<string, unknown>>;
}

const cache = new WeakMap<FormDefinition, FormValidator>();

/**
 * Compiles (or returns the cached) validator of a form version. The form must have passed
 * `validateFormDefinition`; published versions are frozen, so caching by identity is safe.
 */
export function compileFormValidator(
  form: FormDefinition,
  registry: FieldTypeRegistry = fieldTypes,
): FormValidator {
  const cached = cache.get(form);
  if (cached) return cached;
  const validator = buildValidator(form, registry, false);
  cache.set(form, validator);
  return validator;
}

function buildValidator(
  form: FormDefinition,
  registry: FieldTypeRegistry,
  isRows: boolean,
): FormValidator {
  const live = form.fields.filter((field) => !field.deleted);
  const fields = new Map(live.map((field) => [field.key, compileField(field, registry)]));
  const inputFields = new Map([...fields].filter(([, field]) => field.type.input));
  const subforms = new Map(
    live.flatMap((field) =>
      field.type === 'subform'
        ? [[field.key, buildValidator(subformDefinition(form, field), registry, true)] as const]
        : [],
    ),
  );
  const computedKeys = new Set([...fields.keys()].filter((key) => !inputFields.has(key)));
  const allowedKeys = [...inputFields.keys(), ...(isRows ? ['id'] : [])];
  const ajv = createAjv({ allErrors: false });
  const validateShape = ajv.compile({
    type: 'object',
    maxProperties: MAX_KEYS,
    propertyNames: { enum: allowedKeys.length > 0 ? allowedKeys : [''] },
  });
  const recordSchema: JsonSchema = Object.freeze({
    type: 'object',
    properties: Object.fromEntries(
      [...fields].map(([key, field]) => [
        key,
        { anyOf: [field.bound.valueSchema, { type: 'null' }] },
      ]),
    ),
  });

  function validate(input: unknown, mode: 'create' | 'update'): RecordResult {
    if (!isRecord(input)) {
      return { ok: false, problems: [problem('', 'notObject', input, { 'zh-CN': '', en: '' })] };
    }
    const problems: RecordProblem[] = [];
    if (!validateShape(input)) {
      for (const key of Object.keys(input)) {
        if (inputFields.has(key) || (isRows && key === 'id')) continue;
        const field = fields.get(key);
        if (field && computedKeys.has(key))
          problems.push(problem(key, 'notWritable', input[key], field.label));
        else if ((SYSTEM_FIELD_KEYS as readonly string[]).includes(key)) {
          problems.push(problem(key, 'notWritable', input[key], { 'zh-CN': key, en: key }));
        } else
          problems.push(
            problem(
              key.slice(0, 64),
              'unknown',
              undefined,
              { 'zh-CN': key, en: key },
              { key: key.slice(0, 64) },
            ),
          );
        if (problems.length >= 50) return { ok: false, problems };
      }
      if (problems.length === 0)
        problems.push(
          problem(
            '',
            'maxItems',
            undefined,
            { 'zh-CN': '记录', en: 'record' },
            { limit: MAX_KEYS },
          ),
        );
      return { ok: false, problems };
    }
    const value: Record<string, unknown> = {};
    if (isRows && 'id' in input) {
      const id = normaliseUuid(input.id);
      if (id.ok) value.id = id.value;
      else
        problems.push(
          problem('id', 'format', input.id, { 'zh-CN': 'id', en: 'id' }, { format: 'UUID' }),
        );
    }
    for (const [key, field] of inputFields) {
      const present = Object.hasOwn(input, key);
      if (!present && mode === 'update') continue;
      const raw = present ? input[key] : null;
      let normalised: unknown = null;
      if (raw !== null && raw !== undefined) {
        const result = field.bound.normalise(raw);
        if (!result.ok) {
          problems.push(problem(key, result.rule, raw, field.label, result.params));
          continue;
        }
        normalised = result.value;
      }
      if (normalised === null) {
        if (field.required) problems.push(problem(key, 'required', raw, field.label));
        else if (present) value[key] = null;
        continue;
      }
      const broken = field.check(normalised);
      if (broken) {
        problems.push(problem(key, broken.rule, raw, field.label, broken.params));
        continue;
      }
      const rows = subforms.get(key);
      if (rows && Array.isArray(normalised)) {
        const checked = validateRows(rows, key, normalised, problems);
        value[key] = checked;
      } else value[key] = normalised;
    }
    return problems.length > 0
      ? { ok: false, problems }
      : { ok: true, value: Object.freeze(value) };
  }

  const validator: FormValidator = Object.freeze({
    form,
    fields,
    inputFields,
    subforms,
    recordSchema,
    validateCreate: (input: unknown) => validate(input, 'create'),
    validateUpdate: (input: unknown) => validate(input, 'update'),
    assertCreate(input: unknown, locale: Locale) {
      const result = validate(input, 'create');
      if (!result.ok) throw recordInvalidError(result.problems, locale);
      return result.value;
    },
    assertUpdate(input: unknown, locale: Locale) {
      const result = validate(input, 'update');
      if (!result.ok) throw recordInvalidError(result.problems, locale);
      return result.value;
    },
  });
  return validator;
}

/** Subform rows are validated as full records of the child form, with paths into the list. */
function validateRows(
  rows: FormValidator,
  key: string,
  list: readonly unknown[],
  problems: RecordProblem[],
): readonly Readonly<Record<string, unknown>>[] {
  const checked: Readonly<Record<string, unknown>>[] = [];
  list.forEach((row, index) => {
    const result = rows.validateCreate(row);
    if (result.ok) checked.push(result.value);
    else {
      for (const inner of result.problems) {
        problems.push({
          ...inner,
          field: `${key}/${index}${inner.field ? `/${inner.field}` : ''}`,
        });
      }
    }
  });
  return checked;
}

const subformCache = new WeakMap<FieldDefinition, FormDefinition>();

/**
 * The form of a subform's rows (the child table's fields), one object per subform field, so
 * the validator and logic caches keyed by form identity hit.
 */
export function subformDefinition(form: FormDefinition, field: FieldDefinition): FormDefinition {
  const cached = subformCache.get(field);
  if (cached) return cached;
  const definition: FormDefinition = Object.freeze({
    key: `${form.key}__${field.key}`,
    label: field.label,
    version: form.version,
    fields: field.fields ?? [],
  });
  subformCache.set(field, definition);
  return definition;
}

function problem(
  field: string,
  rule: string,
  value: unknown,
  label: { readonly 'zh-CN': string; readonly en: string },
  params: Readonly<Record<string, unknown>> = {},
): RecordProblem {
  const shown =
    typeof value === 'string'
      ? value.length > 100
        ? `${value.slice(0, 100)}…`
        : value
      : typeof value === 'object' && value !== null
        ? showValue(value)
        : value;
  return { field, rule, value: shown, message: recordMessage(rule, label, value, params) };
}
