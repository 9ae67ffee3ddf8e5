import { JoineryError } from '@joinery/shared';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { compileLogic } from '../compile-logic.ts';
import { appendPointer } from '../json-pointer.ts';
import type { LogicContext } from '../logic-context.ts';
import { isContextRoot } from '../read-path.ts';
import { truthy } from '../truthy.ts';
import {
  type ComparisonOperator,
  compareOperands,
  FALSE,
  isCanonical,
  isCanonicalUuid,
  TRUE,
} from './sql-comparison.ts';
import { fieldOperand, isNumeric, type Operand, toFloat, unsupported } from './sql-operand.ts';
import type { SqlSchema } from './sql-schema.ts';

const COMPARISONS = new Set<string>(['==', '!=', '===', '!==', '<', '<=', '>', '>=']);
/** Operators that read the record: a sub-tree without them is evaluated at translation time. */
const READS_DATA = new Set<string>(['var', 'missing', 'missing_some']);

/**
 * Translates a JSON-logic condition over a form's fields into a parameterised Postgres boolean
 * for a `WHERE` clause (or an aggregate's `FILTER`): a row is selected exactly when
 * `truthy(compileLogic(logic)(record, context))` holds. The boolean may be NULL where the answer
 * is false — as `WHERE` reads it — so comparisons carry no `IS NOT NULL` guard that would hide
 * them from an index; wrap it in `coalesce(…, false)` to use it as a value. Values always travel as parameters; identifiers come only from `schema`.
 * Context values (`$user…`, `$now`, `today`…) are evaluated now and become parameters.
 *
 * What cannot be translated faithfully — JavaScript coercions SQL cannot follow, operators with
 * no SQL form — is refused with `JNY_RULE_SQL_UNSUPPORTED` (reason and path), never dropped;
 * unknown fields with `JNY_RULE_SQL_UNKNOWN_FIELD`. The expression is compiled first, so every
 * `compileLogic` error (unknown operator, depth…) applies too.
 */
export function logicToSql(
  logic: unknown,
  schema: SqlSchema,
  context: LogicContext = {},
): RawBuilder<SqlBool> {
  // Compiled for its checks only: the closures backend checks the same and builds no function.
  compileLogic(logic, { backend: 'closures' });
  const frozen: LogicContext = { ...context, now: context.now ?? new Date() };
  return new Translator(schema, frozen).condition(logic, '');
}

class Translator {
  constructor(
    private readonly schema: SqlSchema,
    private readonly context: LogicContext,
  ) {}

  /**
   * The JSON-logic truthiness of `node`: true, false, or NULL meaning false. AND, OR and CASE
   * WHEN read NULL as false the way JavaScript reads the falsy answer, so only a negation has to
   * turn NULL into false first.
   */
  condition(node: unknown, path: string): RawBuilder<SqlBool> {
    if (!readsData(node)) return truthy(this.evaluate(node)) ? TRUE : FALSE;
    if (Array.isArray(node)) return node.length > 0 ? TRUE : FALSE;
    const [name, args, arg, at] = operation(node, path);
    switch (name) {
      case 'and':
      case 'or': {
        if (args.length === 0) return FALSE;
        const parts = args.map((item, index) => this.condition(item, arg(index)));
        return sql<SqlBool>`(${sql.join(parts, name === 'and' ? sql` and ` : sql` or `)})`;
      }
      case '!':
        return sql<SqlBool>`not coalesce(${this.condition(args[0], arg(0))}, false)`;
      case '!!':
        return this.condition(args[0], arg(0));
      case 'if':
      case '?:':
        return this.branches(args, arg);
      case 'in':
        return this.membership(args[0], args[1], arg, at);
      case 'starts_with':
      case 'ends_with':
      case 'contains':
        return this.textTest(name, args, arg, at);
      default:
        if (COMPARISONS.has(name))
          return this.comparison(name as ComparisonOperator, args, arg, at);
        return this.truthiness(this.operand(node, path), path);
    }
  }

  private branches(args: readonly unknown[], arg: (index: number) => string): RawBuilder<SqlBool> {
    if (args.length === 0) return FALSE;
    const whens: RawBuilder<unknown>[] = [];
    let index = 0;
    for (; index < args.length - 1; index += 2) {
      const test = this.condition(args[index], arg(index));
      const then = this.condition(args[index + 1], arg(index + 1));
      whens.push(sql`when ${test} then ${then}`);
    }
    const otherwise = index === args.length - 1 ? this.condition(args[index], arg(index)) : FALSE;
    if (whens.length === 0) return otherwise;
    return sql<SqlBool>`(case ${sql.join(whens, sql` `)} else ${otherwise} end)`;
  }

  private comparison(
    name: ComparisonOperator,
    args: readonly unknown[],
    arg: (index: number) => string,
    at: string,
  ): RawBuilder<SqlBool> {
    const operands = args.map((item, index) => this.operand(item, arg(index)));
    const [a, b, c] = operands;
    if (!a || !b) return unsupported('a comparison needs two arguments', at);
    if (c && (name === '<' || name === '<=')) {
      if (c.kind === 'constant' && c.value === undefined) return compareOperands(name, a, b, at);
      return sql<SqlBool>`(${compareOperands(name, a, b, at)} and ${compareOperands(name, b, c, at)})`;
    }
    return compareOperands(name, a, b, at);
  }

  /** `in`: membership in a literal array, or substring of a text field / text[] element. */
  private membership(
    needleNode: unknown,
    haystackNode: unknown,
    arg: (index: number) => string,
    at: string,
  ): RawBuilder<SqlBool> {
    const needle = this.operand(needleNode, arg(0));
    const haystack = this.operand(haystackNode, arg(1));
    if (haystack.kind === 'constant' && Array.isArray(haystack.value) && needle.kind === 'column') {
      const items = haystack.value;
      const whenNull = items.includes(null);
      const typed = sameTypeItems(needle.type, items);
      if (typed === null) return unsupported(`membership of a ${needle.type} field`, at);
      const otherwise =
        typed.values.length === 0
          ? FALSE
          : sql<SqlBool>`${needle.sql} = any(${typed.values}::${typed.arrayType})`;
      return whenNull ? sql<SqlBool>`(${needle.sql} is null or ${otherwise})` : otherwise;
    }
    if (haystack.kind === 'column' && needle.kind === 'constant') {
      if (haystack.type === 'text' && needle.value !== null && typeof needle.value !== 'object') {
        return sql<SqlBool>`coalesce(${haystack.sql} <> '' and strpos(${haystack.sql}, ${String(needle.value)}) > 0, false)`;
      }
      if (haystack.type === 'text[]') {
        if (typeof needle.value !== 'string') return FALSE;
        return sql<SqlBool>`coalesce(${needle.value} = any(${haystack.sql}), false)`;
      }
    }
    if (
      haystack.kind === 'constant' &&
      typeof haystack.value === 'string' &&
      needle.kind === 'column' &&
      needle.type === 'text'
    ) {
      const text = haystack.value;
      if (text === '') return FALSE;
      return sql<SqlBool>`(case when ${needle.sql} is null then ${text.includes('null') ? TRUE : FALSE} else strpos(${text}, ${needle.sql}) > 0 end)`;
    }
    return unsupported('this form of "in" (use a field and a literal list or text)', at);
  }

  private textTest(
    name: string,
    args: readonly unknown[],
    arg: (index: number) => string,
    at: string,
  ): RawBuilder<SqlBool> {
    const text = this.operand(args[0], arg(0));
    const part = this.operand(args[1], arg(1));
    if (
      text.kind !== 'column' ||
      text.type !== 'text' ||
      part.kind !== 'constant' ||
      part.value === null ||
      typeof part.value === 'object'
    ) {
      return unsupported(`${name} translates only for a text field and a literal`, at);
    }
    const value = String(part.value);
    const test =
      name === 'starts_with'
        ? sql`left(${text.sql}, ${value.length}) = ${value}`
        : name === 'ends_with'
          ? sql`right(${text.sql}, ${value.length}) = ${value}`
          : sql`strpos(${text.sql}, ${value}) > 0`;
    return sql<SqlBool>`coalesce(${test}, false)`;
  }

  /** The truthiness of a value operand, by type (an empty text or array is false). */
  private truthiness(operand: Operand, path: string): RawBuilder<SqlBool> {
    switch (operand.kind) {
      case 'constant':
        return truthy(operand.value) ? TRUE : FALSE;
      case 'number':
        return sql<SqlBool>`not (${operand.sql} = 0 or ${operand.sql} = 'NaN'::float8)`;
      case 'column':
        if (isNumeric(operand.type)) return sql<SqlBool>`coalesce(${operand.sql} <> 0, false)`;
        switch (operand.type) {
          case 'boolean':
            return sql<SqlBool>`coalesce(${operand.sql}, false)`;
          case 'text':
            return sql<SqlBool>`coalesce(${operand.sql} <> '', false)`;
          case 'text[]':
            return sql<SqlBool>`coalesce(cardinality(${operand.sql}) > 0, false)`;
          case 'date':
          case 'datetime':
          case 'uuid':
            return sql<SqlBool>`(${operand.sql} is not null)`;
          default:
            return unsupported(`truthiness of a ${operand.type} field`, path);
        }
    }
  }

  /** A value: a constant, a field, or float8 arithmetic over them. */
  operand(node: unknown, path: string): Operand {
    if (!readsData(node)) return { kind: 'constant', value: this.evaluate(node) };
    if (Array.isArray(node)) return unsupported('an array built from fields', path);
    const [name, args, arg, at] = operation(node, path);
    switch (name) {
      case 'var':
        return this.field(args, at);
      case '+':
      case '*': {
        if (args.length === 1 && name === '*') return this.operand(args[0], arg(0));
        const parts = args.map((item, index) =>
          toFloat(this.operand(item, arg(index)), 'parseFloat', at),
        );
        if (name === '+' && parts.length === 1)
          return { kind: 'number', sql: sql<number>`(0::float8 + ${parts[0]})` };
        return {
          kind: 'number',
          sql: sql<number>`(${sql.join(parts, name === '+' ? sql` + ` : sql` * `)})`,
        };
      }
      case '-': {
        const [a, b] = args.map((item, index) =>
          toFloat(this.operand(item, arg(index)), 'number', at),
        );
        if (!a) return unsupported('"-" needs an argument', at);
        return { kind: 'number', sql: b ? sql<number>`(${a} - ${b})` : sql<number>`(- ${a})` };
      }
      case '/': {
        const [a, b] = args.map((item, index) =>
          toFloat(this.operand(item, arg(index)), 'number', at),
        );
        if (!a || !b) return unsupported('"/" needs two arguments', at);
        // float8 division by zero raises in Postgres; JavaScript gives ±Infinity or NaN.
        return {
          kind: 'number',
          sql: sql<number>`(case when ${b} <> 0 then ${a} / ${b} when ${a} = 'NaN'::float8 or ${a} = 0 then 'NaN'::float8 when (${a} > 0) = (${b}::text not like '-%') then 'Infinity'::float8 else '-Infinity'::float8 end)`,
        };
      }
      default:
        return unsupported(`"${name}" has no SQL translation`, at);
    }
  }

  private field(args: readonly unknown[], at: string): Operand {
    const pathNode = args[0];
    const fieldPath = readsData(pathNode)
      ? unsupported('a field name computed from fields', at)
      : this.evaluate(pathNode);
    if (fieldPath === null || fieldPath === undefined || fieldPath === '') {
      return unsupported('the whole record is not a value in SQL', at);
    }
    // A field present in every row is never "missing", so the default of `var` does not apply.
    return fieldOperand(this.schema, String(fieldPath), at);
  }

  /** Evaluates a sub-tree that reads no field, here and now, with the context. */
  private evaluate(node: unknown): unknown {
    return compileLogic(node, { backend: 'closures' })(null, this.context);
  }
}

/** True when the sub-tree reads the record (not only literals, context and the clock). */
function readsData(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsData);
  if (typeof node !== 'object' || node === null) return false;
  const [name, raw] = Object.entries(node)[0] ?? ['', undefined];
  if (name === 'var') {
    const path = Array.isArray(raw) ? raw[0] : raw;
    if (typeof path === 'string' && isContextRoot(path.split('.')[0])) {
      return Array.isArray(raw) && readsData(raw[1]);
    }
    return true;
  }
  return READS_DATA.has(name) || readsData(raw);
}

/** The operator, arguments and pointer of an operation node (already validated by compile). */
function operation(
  node: unknown,
  path: string,
): [string, readonly unknown[], (index: number) => string, string] {
  const [name, raw] = Object.entries(node as Record<string, unknown>)[0] ?? [];
  if (name === undefined)
    throw new JoineryError('JNY_RULE_MALFORMED', { reason: 'empty operation', path });
  const at = appendPointer(path, name);
  const argumentPath = (index: number) => (Array.isArray(raw) ? appendPointer(at, index) : at);
  return [name, Array.isArray(raw) ? raw : [raw], argumentPath, at];
}

/** The literal list items a column can equal under `===` (indexOf), with their SQL array type. */
function sameTypeItems(
  type: string,
  items: readonly unknown[],
): { values: unknown[]; arrayType: RawBuilder<unknown> } | null {
  switch (type) {
    case 'number':
    case 'money':
      return {
        values: items.filter((item) => typeof item === 'number' && !Number.isNaN(item)),
        arrayType: sql`float8[]`,
      };
    case 'text':
      return { values: items.filter((item) => typeof item === 'string'), arrayType: sql`text[]` };
    case 'boolean':
      return {
        values: items.filter((item) => typeof item === 'boolean'),
        arrayType: sql`boolean[]`,
      };
    case 'date':
      return {
        values: items.filter((item) => typeof item === 'string' && isCanonical('date', item)),
        arrayType: sql`date[]`,
      };
    case 'uuid':
      return { values: items.filter(isCanonicalUuid), arrayType: sql`uuid[]` };
    default:
      return null;
  }
}
