import { type CompiledLogic, compileLogic, type LogicContext, type ValueMap } from '@joinery/rules';

/** Compiled expressions by (frozen) expression object; literals are compiled each time (cheap). */
const compiled = new WeakMap<object, CompiledLogic>();

function compiledOf(expression: unknown): CompiledLogic {
  if (typeof expression !== 'object' || expression === null) return compileLogic(expression);
  let known = compiled.get(expression);
  if (!known) {
    known = compileLogic(expression);
    compiled.set(expression, known);
  }
  return known;
}

/** Evaluates one JSON-logic expression of a rule (validated when the rule was saved). */
export function evaluate(expression: unknown, data: unknown, context: LogicContext): unknown {
  return compiledOf(expression)(data, context);
}

/** Evaluates every expression of a value map: field → value. */
export function evaluateValues(
  values: ValueMap,
  data: unknown,
  context: LogicContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, expression] of Object.entries(values)) {
    out[key] = evaluate(expression, data, context);
  }
  return out;
}

/** `Follow up {name}`: placeholders replaced by the record's values (missing ones left empty). */
export function fillTemplate(template: string, data: unknown): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, key: string) => {
    if (typeof data !== 'object' || data === null || !Object.hasOwn(data, key)) return '';
    const value = (data as Record<string, unknown>)[key];
    return value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  });
}
