import type { LogicContext } from '@joinery/rules';
import type { Locale } from '@joinery/shared';
import { type FieldTypeRegistry, fieldTypes } from '../field-types/field-type-registry.ts';
import type { FormDefinition } from '../schema/app-definition.ts';
import { compileFormValidator } from '../validation/compile-form-validator.ts';
import { recordMessage, showValue } from '../validation/record-messages.ts';
import { type RecordProblem, recordInvalidError } from '../validation/record-problem.ts';
import { evaluateForm, type FormEvaluation, isEmpty } from './evaluate-form.ts';

/** What the server knows about a write. */
export interface RecordWriteRequest {
  readonly mode: 'create' | 'update';
  /** The request body: field values by key, as the client sent them. */
  readonly input: unknown;
  /** For updates: the stored record (canonical values by key, subform rows included). */
  readonly before?: Readonly<Record<string, unknown>> | null;
  /** `$user`, `$now`… for rules and formulas. */
  readonly context?: LogicContext;
}

/** The outcome: the values to store, or every problem (nothing should be stored). */
export type RecordWrite =
  | {
      readonly ok: true;
      /**
       * Column values to write, by field key: the normalised input, defaults (create), and
       * every formula and subform rollup recomputed on the merged record. Subform values are
       * row lists for the child table. Serial numbers and system columns are the server's.
       */
      readonly values: Readonly<Record<string, unknown>>;
      readonly evaluation: FormEvaluation;
    }
  | { readonly ok: false; readonly problems: readonly RecordProblem[] };

/**
 * The server's single entry point for a create or an update: validates the input with the
 * compiled validator, fills computed defaults, evaluates linkage on the merged record and
 * enforces it — a value for a hidden field is refused, a conditionally required field is
 * required, a field read-only for the stored record cannot change — then computes formulas.
 * The browser calls the same function to preview, so both sides agree.
 */
export function prepareRecordWrite(
  form: FormDefinition,
  request: RecordWriteRequest,
  registry: FieldTypeRegistry = fieldTypes,
): RecordWrite {
  const validator = compileFormValidator(form, registry);
  const checked =
    request.mode === 'create'
      ? validator.validateCreate(request.input)
      : validator.validateUpdate(request.input);
  if (!checked.ok) return checked;
  const before = request.mode === 'update' ? (request.before ?? {}) : {};
  const context = request.context ?? {};
  const submitted: Record<string, unknown> = { ...checked.value };

  if (request.mode === 'create') {
    const { defaults } = evaluateForm(form, { ...submitted }, context, registry);
    for (const [key, raw] of Object.entries(defaults)) {
      const field = validator.inputFields.get(key);
      const normalised = field && raw !== null ? field.bound.normalise(raw) : null;
      if (normalised?.ok && normalised.value !== null && field?.check(normalised.value) === null) {
        submitted[key] = normalised.value;
      }
    }
  }

  const merged = { ...before, ...submitted };
  const evaluation = evaluateForm(form, merged, context, registry);
  const problems: RecordProblem[] = [];
  const labelOf = (key: string) => validator.fields.get(key)?.label ?? { 'zh-CN': key, en: key };
  const add = (key: string, rule: string, value: unknown) =>
    problems.push({
      field: key,
      rule,
      value: showValue(value),
      message: recordMessage(rule, labelOf(key), value),
    });

  const hidden = new Set(evaluation.hidden);
  for (const [key, value] of Object.entries(checked.value)) {
    if (hidden.has(key) && !isEmpty(value)) add(key, 'hidden', value);
  }
  if (request.mode === 'update') {
    const lockedBefore = new Set(evaluateForm(form, before, context, registry).readOnly);
    for (const [key, value] of Object.entries(checked.value)) {
      if (lockedBefore.has(key) && !sameValue(value, before[key])) add(key, 'readOnly', value);
    }
  }
  for (const key of evaluation.required) {
    if (isEmpty(merged[key]) && !problems.some((problem) => problem.field === key)) {
      add(key, 'required', merged[key] ?? null);
    }
  }
  for (const [key, rows] of Object.entries(evaluation.subforms)) {
    const submittedRows = checked.value[key];
    const child = validator.subforms.get(key);
    if (!Array.isArray(submittedRows) || !child) continue;
    rows.forEach((row, index) => {
      const values: Readonly<Record<string, unknown>> = submittedRows[index] ?? {};
      const path = `${key}/${index}`;
      const rowLabel = (field: string) =>
        child.fields.get(field)?.label ?? { 'zh-CN': field, en: field };
      const rowProblem = (field: string, rule: string, value: unknown) =>
        problems.push({
          field: `${path}/${field}`,
          rule,
          value: showValue(value),
          message: recordMessage(rule, rowLabel(field), value),
        });
      for (const field of row.hidden)
        if (!isEmpty(values[field])) rowProblem(field, 'hidden', values[field]);
      for (const field of row.required)
        if (isEmpty(values[field])) rowProblem(field, 'required', null);
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  // Subform rows go back to storage only when the request sent them.
  const computed = Object.fromEntries(
    Object.entries(evaluation.values).filter(
      ([key]) => !Object.hasOwn(evaluation.subforms, key) || Object.hasOwn(submitted, key),
    ),
  );
  return { ok: true, values: Object.freeze({ ...submitted, ...computed }), evaluation };
}

/** `prepareRecordWrite`, throwing `JNY_RECORD_INVALID` in `locale`. */
export function assertRecordWrite(
  form: FormDefinition,
  request: RecordWriteRequest,
  locale: Locale,
): Readonly<Record<string, unknown>> {
  const result = prepareRecordWrite(form, request);
  if (!result.ok) throw recordInvalidError(result.problems, locale);
  return result.values;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}
