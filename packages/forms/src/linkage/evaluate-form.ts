import type { CompiledLogic, LogicContext } from '@joinery/rules';
import { truthy } from '@joinery/rules';
import { ROLLUP_AGGREGATES, type RollupAggregate } from '../field-types/computed-types.ts';
import { type FieldTypeRegistry, fieldTypes } from '../field-types/field-type-registry.ts';
import type { FormDefinition } from '../schema/app-definition.ts';
import { subformDefinition } from '../validation/compile-form-validator.ts';
import { compileFormLogic } from './form-logic.ts';
import { rollupValue } from './rollup-value.ts';

/** A rule that failed to evaluate (e.g. its work budget ran out); the form still evaluates. */
export interface RuleFailure {
  readonly field: string;
  readonly rule: 'visibleWhen' | 'requiredWhen' | 'readOnlyWhen' | 'defaultValue' | 'formula';
  readonly message: string;
}

/** The state of a form for one record, as the browser shows it and the server enforces it. */
export interface FormEvaluation {
  /** Keys of fields whose `visibleWhen` is false. */
  readonly hidden: readonly string[];
  /** Keys of visible fields that must have a value (declared required, or `requiredWhen`). */
  readonly required: readonly string[];
  /** Keys of fields the user cannot edit: computed ones, and those whose `readOnlyWhen` holds. */
  readonly readOnly: readonly string[];
  /** Computed values (formulas, subform rollups) in their stored form, by key. */
  readonly values: Readonly<Record<string, unknown>>;
  /** `defaultValue` results for fields the record leaves empty, by key. */
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly failures: readonly RuleFailure[];
  /** Each subform's rows, evaluated with the subform's own rules, by the subform's key. */
  readonly subforms: Readonly<Record<string, readonly FormEvaluation[]>>;
}

/**
 * Evaluates linkage and computed fields for a record (field values by key; computed fields
 * are recomputed, so stale ones are ignored). Pure and deterministic given `context.now`.
 * Formulas see the values computed before them, in dependency order. A rule that fails counts
 * as false (a formula as null) and is listed in `failures`.
 */
export function evaluateForm(
  form: FormDefinition,
  record: Readonly<Record<string, unknown>>,
  context: LogicContext = {},
  registry: FieldTypeRegistry = fieldTypes,
): FormEvaluation {
  const logic = compileFormLogic(form);
  const failures: RuleFailure[] = [];
  const data: Record<string, unknown> = { ...record };
  const values: Record<string, unknown> = {};
  const run = (
    compiled: CompiledLogic,
    field: string,
    rule: RuleFailure['rule'],
    fallback: unknown,
  ): unknown => {
    try {
      return compiled(data, context);
    } catch (error) {
      failures.push({
        field,
        rule,
        message: error instanceof Error ? error.message : String(error),
      });
      return fallback;
    }
  };

  // Subform rows first: their formulas feed the parent's rollups.
  const subforms: Record<string, FormEvaluation[]> = {};
  for (const entry of logic.fields) {
    const { field } = entry;
    const rows = data[field.key];
    if (field.type !== 'subform' || !Array.isArray(rows)) continue;
    const child = subformDefinition(form, field);
    const evaluations = rows.map((row) =>
      evaluateForm(child, typeof row === 'object' && row !== null ? row : {}, context, registry),
    );
    subforms[field.key] = evaluations;
    if (evaluations.some((evaluation) => Object.keys(evaluation.values).length > 0)) {
      const computed = rows.map((row, index) => ({ ...row, ...evaluations[index]?.values }));
      data[field.key] = computed;
      values[field.key] = computed;
    }
    for (const evaluation of evaluations) failures.push(...evaluation.failures);
  }

  for (const entry of logic.computeOrder) {
    const { field } = entry;
    const bound = registry.get(field.type, field.typeVersion ?? 1).bind(field);
    let raw: unknown = null;
    if (entry.formula) raw = run(entry.formula, field.key, 'formula', null);
    else if (field.type === 'rollup' && typeof field.config?.subform === 'string') {
      const rows = data[field.config.subform];
      const aggregate: RollupAggregate =
        ROLLUP_AGGREGATES.find((a) => a === field.config?.aggregate) ?? 'count';
      raw = rollupValue(
        aggregate,
        Array.isArray(rows) ? rows : [],
        typeof field.config.field === 'string' ? field.config.field : null,
      );
    }
    const normalised = bound.normalise(raw);
    const value = normalised.ok ? normalised.value : null;
    values[field.key] = value;
    data[field.key] = value;
  }

  const hidden: string[] = [];
  const required: string[] = [];
  const readOnly: string[] = [];
  const defaults: Record<string, unknown> = {};
  for (const entry of logic.fields) {
    const { key } = entry.field;
    const visible = entry.visibleWhen
      ? truthy(run(entry.visibleWhen, key, 'visibleWhen', true))
      : true;
    if (!visible) hidden.push(key);
    const isRequired =
      entry.field.validations?.required === true ||
      (entry.requiredWhen !== null && truthy(run(entry.requiredWhen, key, 'requiredWhen', false)));
    if (visible && isRequired) required.push(key);
    const computed = !registry.get(entry.field.type, entry.field.typeVersion ?? 1).input;
    if (
      computed ||
      (entry.readOnlyWhen && truthy(run(entry.readOnlyWhen, key, 'readOnlyWhen', false)))
    ) {
      readOnly.push(key);
    }
    if (entry.defaultValue && isEmpty(record[key])) {
      defaults[key] = run(entry.defaultValue, key, 'defaultValue', null);
    }
  }
  return { hidden, required, readOnly, values, defaults, failures, subforms };
}

/** Null, undefined, an empty string or an empty list: what `required` counts as no value. */
export function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}
