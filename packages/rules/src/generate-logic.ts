import type { CompiledLogic } from './compile-logic.ts';
import type { CompiledArgument, EagerCompile } from './define-operator.ts';
import { asRuleError, chargeSteps, NO_CONTEXT, UNUSED_ENV } from './evaluator.ts';
import { isContextRoot, splitPath } from './read-path.ts';

/**
 * The server's fast path: turns a compiled expression tree into one JavaScript function with
 * `new Function` (STYLE rule 11's single exception). The emitted source is assembled only from
 * the fixed templates below: every literal, every field name and every operator function
 * reaches it through the constants array `c` (bound as locals `c<index>` = `c[<index>]`), so no
 * character of the user's expression ever becomes source text (a test parses the output to prove
 * it). Operations without a template call their closure from `c`. Where `new Function` is
 * unavailable (a browser under a strict CSP) `compileLogic` uses the closures alone, with the same
 * results.
 */

/** Fixed helper names the generated source may use besides `c`, `data`, `env` and temporaries. */
const HELPERS = ['hasOwn', 'isArray', 'toFloat', 'mathMax', 'mathMin', 'chargeSteps'] as const;

/** `+`/`*` operand coercion, as in json-logic-js (`parseFloat`, -0 → 0). */
function toFloat(value: unknown): number {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  return Number.parseFloat(value as string);
}

const COMPARISON_SOURCE: Readonly<Record<string, string>> = {
  '==': '==',
  '===': '===',
  '!=': '!=',
  '!==': '!==',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

/** Prototypes JSON data can inherit from (objects, arrays, strings, numbers, booleans). */
const DATA_PROTOTYPES: readonly object[] = [
  Object.prototype,
  Array.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Function.prototype,
];

/**
 * True for a key that JSON data could inherit (`constructor`, `__proto__`, `toString`,
 * `length`, `map`…): such reads keep the own-property check. Any other key cannot be inherited
 * from an unmodified built-in prototype, so the generated code reads it directly — the fast path
 * assumes built-in prototypes are not polluted (run the server with frozen intrinsics); the
 * closures check every key.
 */
function isInheritedName(key: string): boolean {
  return key === '__proto__' || DATA_PROTOTYPES.some((prototype) => key in prototype);
}

class FunctionScope {
  private count = 0;
  /** True while `data` is needed as an object (a closure call or a non-parameter path). */
  usesData = false;
  /** In a reduce body: `current` and `accumulator` are parameters, not an allocated object. */
  constructor(readonly reduceBody = false) {}
  private read: string | undefined;
  temp(): string {
    const name = `t${this.count}`;
    this.count += 1;
    return name;
  }
  /**
   * The one temporary of all inline path reads: a read's temporary is live only inside its own
   * expression, which holds no other read, so they can share it (fewer locals, a smaller function).
   */
  readTemp(): string {
    this.read ??= this.temp();
    return this.read;
  }
  declarations(): string {
    if (this.count === 0) return '';
    return `let ${Array.from({ length: this.count }, (_, index) => `t${index}`).join(', ')}; `;
  }
}

class Generator {
  readonly constants: unknown[] = [];
  readonly functions: string[] = [];
  private readonly indexOf = new Map<unknown, number>();
  /**
   * Emitted expressions known to give a boolean (comparisons, `!`, `in`, all/some/none): their
   * truthiness needs no array check, which keeps the generated function small.
   */
  private readonly booleans = new Set<string>();

  private boolean(expression: string): string {
    this.booleans.add(expression);
    return expression;
  }

  constant(value: unknown): string {
    // Map keys treat -0 as 0; only strings are shared (field names repeat, -0 must not merge).
    let index = typeof value === 'string' ? this.indexOf.get(value) : undefined;
    if (index === undefined) {
      index = this.constants.length;
      this.constants.push(value);
      this.indexOf.set(value, index);
    }
    return `c${index}`;
  }

  /**
   * Binds each constant once to its own local (`const c0 = c[0], …`): a property read keyed by
   * a local (`t[c2]`) compiles to a plain field load, one keyed by an element (`t[c[2]]`) stays
   * generic — 1.7× slower on a `reduce` over 12 rows (`node bench/run.mjs rules`).
   */
  bindings(): string {
    if (this.constants.length === 0) return '';
    const names = this.constants.map((_, index) => `c${index} = c[${index}]`);
    return `const ${names.join(', ')}; `;
  }

  /** A whole function over `data` and `env` returning the expression's value. */
  functionOf(node: CompiledArgument): string {
    const scope = new FunctionScope();
    const body = this.emit(node, scope);
    return `function (data, env) { ${scope.declarations()}return ${body}; }`;
  }

  /**
   * Hoists `reduce` as one loop with `current` and `accumulator` as locals and the logic
   * inlined; the `{current, accumulator}` object json-logic-js builds per item is only built when
   * something reads it whole (a closure call, `var ""`).
   */
  hoistReduce(logic: CompiledArgument): string {
    const index = this.functions.length;
    const name = `f${index}`;
    this.functions.push('');
    const scope = new FunctionScope(true);
    const body = this.emit(logic, scope);
    const data = scope.usesData
      ? 'const data = { current: current, accumulator: accumulator }; '
      : '';
    this.functions[index] =
      `const ${name} = function (items, initial, env) { ${scope.declarations()}` +
      'if (!isArray(items)) return initial; chargeSteps(env, items.length); let accumulator = initial; ' +
      `for (let i = 0; i < items.length; i += 1) { const current = items[i]; ${data}accumulator = ${body}; } ` +
      'return accumulator; };';
    return name;
  }

  /**
   * Hoists the whole loop of map/filter/all/some/none as one function over the evaluated
   * source, with the item as `data` and the logic inlined — no call per item. Semantics as
   * `scopedRunners` (fresh results, one budget step per item).
   */
  hoistLoop(name: 'map' | 'filter' | 'all' | 'some' | 'none', logic: CompiledArgument): string {
    const index = this.functions.length;
    const functionName = `f${index}`;
    this.functions.push('');
    const scope = new FunctionScope();
    const body = this.emit(logic, scope);
    const truthy = () => this.truthy(body, scope, false);
    const notArray = { map: '[]', filter: '[]', all: 'false', some: 'false', none: 'true' }[name];
    const loop = (statement: string) =>
      `for (let i = 0; i < items.length; i += 1) { const data = items[i]; ${statement} }`;
    let text: string;
    switch (name) {
      case 'map':
        text = `const out = []; ${loop(`out.push(${body});`)} return out;`;
        break;
      case 'filter':
        text = `const out = []; ${loop(`if (${truthy()}) out.push(data);`)} return out;`;
        break;
      case 'all':
        text = `if (items.length === 0) return false; ${loop(`if (!${truthy()}) return false;`)} return true;`;
        break;
      case 'some':
        text = `${loop(`if (${truthy()}) return true;`)} return false;`;
        break;
      case 'none':
        text = `${loop(`if (${truthy()}) return false;`)} return true;`;
        break;
    }
    this.functions[index] =
      `const ${functionName} = function (items, env) { ${scope.declarations()}` +
      `if (!isArray(items)) return ${notArray}; chargeSteps(env, items.length); ${text} };`;
    return functionName;
  }

  /** JSON-logic truthiness (an empty array is false) of an expression, as a boolean. */
  private truthy(expression: string, scope: FunctionScope, negate: boolean): string {
    if (this.booleans.has(expression)) {
      return negate ? this.boolean(`(!${expression})`) : expression;
    }
    const t = scope.temp();
    return this.boolean(
      negate
        ? `(${t} = ${expression}, isArray(${t}) ? ${t}.length === 0 : !${t})`
        : `(${t} = ${expression}, isArray(${t}) ? ${t}.length !== 0 : !!${t})`,
    );
  }

  private fallback(node: CompiledArgument, scope: FunctionScope): string {
    scope.usesData = true;
    return `${this.constant(node.evaluate)}(data, env)`;
  }

  emit(node: CompiledArgument, scope: FunctionScope): string {
    if (node.constant) return this.constant(node.value);
    const operation = node.operation;
    if (!operation) return this.fallback(node, scope);
    const { operator, args } = operation;
    const all = () => args.map((arg) => this.emit(arg, scope));
    const name = operator.name;
    const comparison = COMPARISON_SOURCE[name];
    if (comparison !== undefined) {
      const [a, b, c] = all();
      if (c === undefined) return this.boolean(`(${a} ${comparison} ${b})`);
      const [x, y, z] = [scope.temp(), scope.temp(), scope.temp()];
      return this.boolean(
        `(${x} = ${a}, ${y} = ${b}, ${z} = ${c}, ${z} === undefined ? ${x} ${comparison} ${y} : ${x} ${comparison} ${y} && ${y} ${comparison} ${z})`,
      );
    }
    switch (name) {
      case 'var':
        return this.variable(node, args, scope);
      case 'missing': {
        if (!args.every((arg) => arg.constant)) return this.fallback(node, scope);
        const values = args.map((arg) => arg.value);
        const keys = Array.isArray(values[0]) ? (values[0] as readonly unknown[]) : values;
        return this.missing(keys, scope) ?? this.fallback(node, scope);
      }
      case 'missing_some': {
        const [need, options] = args;
        if (!need?.constant || !options?.constant || !Array.isArray(options.value)) {
          return this.fallback(node, scope);
        }
        const keys = options.value as readonly unknown[];
        if (Array.isArray(keys[0])) return this.fallback(node, scope);
        const found = this.missing(keys, scope);
        if (found === null) return this.fallback(node, scope);
        const result = scope.temp();
        return `(${result} = ${found}, ${this.constant(keys.length)} - ${result}.length >= ${this.constant(need.value)} ? [] : ${result})`;
      }
      case 'and':
      case 'or': {
        const parts = all();
        if (parts.length === 0) return 'undefined';
        let expression = parts[parts.length - 1] as string;
        for (let index = parts.length - 2; index >= 0; index -= 1) {
          const part = parts[index] as string;
          const t = scope.temp();
          const stop = this.booleans.has(part)
            ? `${name === 'and' ? '!' : ''}${t}`
            : name === 'and'
              ? `(isArray(${t}) ? ${t}.length === 0 : !${t})`
              : `(isArray(${t}) ? ${t}.length !== 0 : !!${t})`;
          expression = `(${t} = ${part}, ${stop} ? ${t} : ${expression})`;
        }
        // Answers one of its parts: a boolean when every part is one.
        return parts.every((part) => this.booleans.has(part))
          ? this.boolean(expression)
          : expression;
      }
      case 'if':
      case '?:': {
        const parts = all();
        let index = 0;
        const tests: [string, string][] = [];
        for (; index < parts.length - 1; index += 2) {
          tests.push([parts[index] as string, parts[index + 1] as string]);
        }
        let expression = index === parts.length - 1 ? (parts[index] as string) : 'null';
        for (const [test, then] of tests.reverse()) {
          expression = `(${this.truthy(test, scope, false)} ? ${then} : ${expression})`;
        }
        return expression;
      }
      case '!':
        return this.truthy(all()[0] as string, scope, true);
      case '!!':
        return this.truthy(all()[0] as string, scope, false);
      case '+': {
        const parts = all();
        return `(0 + ${parts.map((part) => `toFloat(${part})`).join(' + ')})`;
      }
      case '*': {
        const parts = all();
        if (parts.length === 1) return parts[0] as string;
        // json-logic-js re-parses each partial product (parseFloat(-0) is 0).
        let product = `toFloat(${parts[0]})`;
        for (const part of parts.slice(1)) product = `(toFloat(${product}) * toFloat(${part}))`;
        return product;
      }
      case '-': {
        const [a, b] = all();
        if (b === undefined) return `(-${a})`;
        const [x, y] = [scope.temp(), scope.temp()];
        return `(${x} = ${a}, ${y} = ${b}, ${y} === undefined ? -${x} : ${x} - ${y})`;
      }
      case '/':
      case '%': {
        const [a, b] = all();
        return `(${a} ${name === '/' ? '/' : '%'} ${b})`;
      }
      case 'in': {
        // json-logic-js: false for a falsy or non-indexable haystack, else indexOf.
        const [a, b] = all();
        const [needle, haystack] = [scope.temp(), scope.temp()];
        const text = this.constant('string');
        return this.boolean(
          `(${needle} = ${a}, ${haystack} = ${b}, ${haystack} && (isArray(${haystack}) || typeof ${haystack} === ${text}) ? ${haystack}.indexOf(${needle}) !== -1 : false)`,
        );
      }
      case 'max':
      case 'min':
        return `${name === 'max' ? 'mathMax' : 'mathMin'}(${all().join(', ')})`;
      case 'map':
      case 'filter':
      case 'all':
      case 'some':
      case 'none': {
        const [source, logic] = args;
        if (!source || !logic) return this.fallback(node, scope);
        const call = `${this.hoistLoop(name, logic)}(${this.emit(source, scope)}, env)`;
        return name === 'map' || name === 'filter' ? call : this.boolean(call);
      }
      case 'reduce': {
        const [source, logic, initial] = args;
        if (!source || !logic) return this.fallback(node, scope);
        const items = this.emit(source, scope);
        const start = initial ? this.emit(initial, scope) : 'null';
        return `${this.hoistReduce(logic)}(${items}, ${start}, env)`;
      }
      default: {
        const apply = (operator.compile as Partial<EagerCompile>).eagerApply;
        if (apply) return `${this.constant(apply)}(${all().join(', ')})`;
        return this.fallback(node, scope);
      }
    }
  }

  /**
   * `var` with a constant path: the data itself for an empty one, else inlined own-property
   * reads; other forms use the closure.
   */
  private variable(
    node: CompiledArgument,
    args: readonly CompiledArgument[],
    scope: FunctionScope,
  ): string {
    const [path, fallbackValue] = args;
    const empty = path?.value === undefined || path.value === null || path.value === '';
    if (!path || (path.constant && empty)) {
      // The whole data (the item inside map/filter/all/some/none), as the closure answers.
      scope.usesData = true;
      return 'data';
    }
    if (!path.constant || (fallbackValue && !fallbackValue.constant)) {
      return this.fallback(node, scope);
    }
    const notFound = fallbackValue
      ? this.constant(fallbackValue.value === undefined ? null : fallbackValue.value)
      : 'null';
    return this.readPath(path.value, notFound, scope) ?? this.fallback(node, scope);
  }

  /**
   * `missing` / `missing_some` over literal keys: each key read inline, the missing ones pushed
   * to a fresh array. Null when a key needs the closure (a context root, the whole record).
   */
  private missing(keys: readonly unknown[], scope: FunctionScope): string | null {
    const list = scope.temp();
    const value = scope.temp();
    const parts = [`${list} = []`];
    for (const key of keys) {
      const read = this.readPath(key, 'null', scope);
      if (read === null) return null;
      const empty = this.constant('');
      parts.push(
        `(${value} = ${read}, ${value} === null || ${value} === ${empty}) && ${list}.push(${this.constant(key)})`,
      );
    }
    return `(${parts.join(', ')}, ${list})`;
  }

  /** Inline read of a constant path, or null when it is not a plain data path. */
  private readPath(raw: unknown, notFound: string, scope: FunctionScope): string | null {
    if (raw === undefined || raw === null || raw === '') return null;
    const keys = splitPath(raw);
    if (isContextRoot(keys[0])) return null;
    let start = 'data';
    if (scope.reduceBody) {
      const [first, ...rest] = keys;
      if (first !== 'current' && first !== 'accumulator') return notFound;
      start = first;
      keys.splice(0, keys.length, ...rest);
    } else {
      scope.usesData = true;
    }
    const t = scope.readTemp();
    let expression = `(${t} = ${start}`;
    for (const key of keys) {
      const k = this.constant(key);
      expression += isInheritedName(key)
        ? `, ${t} = ${t} != null && hasOwn(${t}, ${k}) ? ${t}[${k}] : undefined`
        : `, ${t} = ${t} != null ? ${t}[${k}] : undefined`;
    }
    return `${expression}, ${t} === undefined ? ${notFound} : ${t})`;
  }
}

/**
 * The source and constants for an expression tree. The returned function is the compiled
 * expression itself: it makes the env (a shared frozen one when nothing reads it) and, with
 * `guard`, turns any failure into a catalogue error — one call, no wrapper. Without `guard` the
 * caller converts errors (the tiered backend's `guarded`), and the function stays small.
 */
function generateSource(
  root: CompiledArgument,
  usesEnv: boolean,
  guard: boolean,
): { source: string; constants: unknown[] } {
  const generator = new Generator();
  const scope = new FunctionScope();
  const body = generator.emit(root, scope);
  const env = usesEnv
    ? `{ context: context == null ? ${generator.constant(NO_CONTEXT)} : context, steps: 0 }`
    : generator.constant(UNUSED_ENV);
  // Declares `context` only when read: V8 calls a function faster with as many arguments as it
  // declares (the tiered backend's guard passes just `data` to such rules).
  const params = usesEnv ? 'data, context' : 'data';
  const result = guard
    ? `try { return ${body}; } catch (error) { throw ${generator.constant(asRuleError)}(error); }`
    : `return ${body};`;
  const main = `function (${params}) { ${scope.declarations()}const env = ${env}; ${result} }`;
  builds += 1;
  // The build number makes every source unique: V8 caches `new Function` by source text and
  // hands a cached source's functions one shared feedback vector, so all rules of one shape
  // (`{">": [{"var": …}, …]}` over any field) would share their property-read caches and go
  // megamorphic — 1.3× slower over the bench's rules (`node bench/run.mjs rules`).
  const source = `"use strict"; /* ${builds} */ ${generator.bindings()}${generator.functions.join(' ')} return ${main};`;
  return { source, constants: generator.constants };
}

/** Functions generated so far in this process; numbers each source (see `generateSource`). */
let builds = 0;

let available: boolean | undefined;

/**
 * Whether this environment should build functions: never in a browser (it runs under a strict
 * CSP without unsafe-eval, and even probing would log a violation), else when the runtime allows it.
 */
export function canGenerate(): boolean {
  if (available === undefined) {
    if ('document' in globalThis) {
      available = false;
      return available;
    }
    try {
      available = new Function('return true')() === true;
    } catch {
      available = false;
    }
  }
  return available;
}

type Builder = (...helpers: unknown[]) => CompiledLogic;

/** Builds the generated function of a non-constant expression tree. */
export function generateCompiledLogic(
  root: CompiledArgument,
  usesEnv: boolean,
  guard: boolean,
): CompiledLogic {
  const { source, constants } = generateSource(root, usesEnv, guard);
  // The one sanctioned use of the Function constructor (STYLE rule 11): `source` holds only the
  // templates above; user literals and names travel in `constants`. One function per rule, from
  // a source of its own (numbered), so V8's feedback stays specific to the rule.
  const build = new Function('c', ...HELPERS, source) as Builder;
  return build(constants, Object.hasOwn, Array.isArray, toFloat, Math.max, Math.min, chargeSteps);
}
