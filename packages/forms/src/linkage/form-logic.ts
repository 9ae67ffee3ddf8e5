import { type CompiledLogic, compileLogic } from '@joinery/rules';
import type { FieldDefinition, FormDefinition } from '../schema/app-definition.ts';
import { logicReferences } from './logic-references.ts';

/** A field's compiled linkage rules and, for formulas, its compiled formula. */
export interface FieldLogic {
  readonly field: FieldDefinition;
  readonly visibleWhen: CompiledLogic | null;
  readonly requiredWhen: CompiledLogic | null;
  readonly readOnlyWhen: CompiledLogic | null;
  readonly defaultValue: CompiledLogic | null;
  readonly formula: CompiledLogic | null;
}

/** Every rule of a form, compiled once, with computed fields in dependency order. */
export interface FormLogic {
  readonly form: FormDefinition;
  readonly fields: readonly FieldLogic[];
  /** Formula and subform-rollup fields, each after the computed fields it reads. */
  readonly computeOrder: readonly FieldLogic[];
}

const cache = new WeakMap<FormDefinition, FormLogic>();

function compileOptional(logic: unknown): CompiledLogic | null {
  return logic === undefined ? null : compileLogic(logic);
}

/**
 * Compiles a form's linkage rules and formulas (cached per frozen form version). The same
 * closures run in the browser (preview) and on the server (enforcement and stored values).
 */
export function compileFormLogic(form: FormDefinition): FormLogic {
  const cached = cache.get(form);
  if (cached) return cached;
  const fields = form.fields
    .filter((field) => !field.deleted)
    .map(
      (field): FieldLogic =>
        Object.freeze({
          field,
          visibleWhen: compileOptional(field.rules?.visibleWhen),
          requiredWhen: compileOptional(field.rules?.requiredWhen),
          readOnlyWhen: compileOptional(field.rules?.readOnlyWhen),
          defaultValue: compileOptional(field.rules?.defaultValue),
          formula: field.type === 'formula' ? compileLogic(field.config?.logic ?? null) : null,
        }),
    );
  const logic: FormLogic = Object.freeze({ form, fields, computeOrder: orderComputed(fields) });
  cache.set(form, logic);
  return logic;
}

/** What a computed field reads: a formula's variables, a rollup's subform. */
export function computedInputs(field: FieldDefinition): ReadonlySet<string> {
  if (field.type === 'formula') return logicReferences(field.config?.logic ?? null);
  if (field.type === 'rollup' && typeof field.config?.subform === 'string') {
    return new Set([field.config.subform]);
  }
  return new Set();
}

/**
 * Orders computed fields so each comes after the computed fields it reads (Kahn's algorithm).
 * A cycle is refused at definition time (`checkFormDefinition`); here it falls back to the
 * declared order so evaluation still terminates.
 */
export function orderComputed(fields: readonly FieldLogic[]): readonly FieldLogic[] {
  const computed = fields.filter(
    (entry) =>
      entry.field.type === 'formula' ||
      (entry.field.type === 'rollup' && typeof entry.field.config?.subform === 'string'),
  );
  const keys = new Set(computed.map((entry) => entry.field.key));
  const pending = new Map(
    computed.map((entry) => [
      entry.field.key,
      new Set(
        [...computedInputs(entry.field)].filter((key) => keys.has(key) && key !== entry.field.key),
      ),
    ]),
  );
  const ordered: FieldLogic[] = [];
  while (ordered.length < computed.length) {
    const ready = computed.find(
      (entry) => !ordered.includes(entry) && (pending.get(entry.field.key)?.size ?? 0) === 0,
    );
    const next = ready ?? computed.find((entry) => !ordered.includes(entry));
    if (!next) break;
    ordered.push(next);
    for (const inputs of pending.values()) inputs.delete(next.field.key);
  }
  return Object.freeze(ordered);
}

/** The keys of computed fields that take part in a dependency cycle, for definition checks. */
export function computedCycle(form: FormDefinition): readonly string[] {
  const computed = form.fields.filter((field) => !field.deleted && computedInputs(field).size > 0);
  const graph = new Map(computed.map((field) => [field.key, computedInputs(field)]));
  const cyclic: string[] = [];
  for (const start of graph.keys()) {
    const seen = new Set<string>();
    const stack = [...(graph.get(start) ?? [])];
    while (stack.length > 0) {
      const key = stack.pop();
      if (key === undefined || seen.has(key)) continue;
      if (key === start) {
        cyclic.push(start);
        break;
      }
      seen.add(key);
      stack.push(...(graph.get(key) ?? []));
    }
  }
  return cyclic;
}

/**
 * The keys of the computed fields (formulas, subform rollups) whose value depends on any of the
 * fields `changed`, directly or through other computed fields, in compute order — what to
 * recompute when those fields got new values without a write of the record (a rollup over
 * related records moved, or a publish changed a formula). A `changed` field itself is included
 * only when it reads another one.
 */
export function computedDependents(
  form: FormDefinition,
  changed: ReadonlySet<string>,
): ReadonlySet<string> {
  const reached = new Set(changed);
  const dependents = new Set<string>();
  for (const { field } of compileFormLogic(form).computeOrder) {
    const inputs = computedInputs(field);
    if (inputs.has('*') || [...inputs].some((key) => reached.has(key))) {
      dependents.add(field.key);
      reached.add(field.key);
    }
  }
  return dependents;
}
