import { type CompiledArgument, defineOperator } from '../define-operator.ts';
import type { EvaluationEnv, Evaluator } from '../evaluator.ts';
import {
  contextRoot,
  isContextRoot,
  readDynamicPath,
  readKey,
  readPath,
  splitPath,
} from '../read-path.ts';

/** `var`: reads the data (or a `$` context root) by a dotted path, with an optional default. */
export const varOperator = defineOperator({
  name: 'var',
  version: 1,
  arity: [0, 2],
  pure: false,
  usesEnv: ([path]) =>
    path !== undefined && (!path.constant || isContextRoot(splitPath(path.value)[0])),
  doc: {
    'zh-CN': '按点分路径读取字段（$user/$now/$old/$new 读取上下文），可带默认值',
    en: 'Reads a field by dotted path ($user/$now/$old/$new read the context), with a default',
  },
  compile: (args) => compileVar(args[0], args[1]),
});

function compileVar(
  pathArg: CompiledArgument | undefined,
  defaultArg: CompiledArgument | undefined,
): Evaluator {
  const notFoundOf = defaultArg ? defaultEvaluator(defaultArg) : null;
  if (!pathArg) return (data) => data;
  if (!pathArg.constant) {
    const path = pathArg.evaluate;
    return (data, env) =>
      readDynamicPath(data, path(data, env), notFound(notFoundOf, data, env), env);
  }
  const path = pathArg.value;
  if (path === undefined || path === null || path === '') return (data) => data;
  const keys = splitPath(path);
  const [first, ...rest] = keys;
  if (isContextRoot(first)) {
    return (data, env) => readPath(contextRoot(first, env), rest, notFound(notFoundOf, data, env));
  }
  if (notFoundOf === null) {
    if (keys.length === 1 && first !== undefined) return (data) => readKey(data, first, null);
    return (data) => readPath(data, keys, null);
  }
  if (keys.length === 1 && first !== undefined) {
    return (data, env) => readKey(data, first, notFound(notFoundOf, data, env));
  }
  return (data, env) => readPath(data, keys, notFound(notFoundOf, data, env));
}

/** The default's evaluator; json-logic-js turns an `undefined` default into `null`. */
function defaultEvaluator(arg: CompiledArgument): Evaluator {
  if (arg.constant) {
    const value = arg.value === undefined ? null : arg.value;
    return () => value;
  }
  const evaluate = arg.evaluate;
  return (data, env) => {
    const value = evaluate(data, env);
    return value === undefined ? null : value;
  };
}

function constantArgument(value: unknown): CompiledArgument {
  return { evaluate: () => value, constant: true, value };
}

function notFound(of: Evaluator | null, data: unknown, env: EvaluationEnv): unknown {
  return of === null ? null : of(data, env);
}

/** The keys among `keys` whose value is missing, null or "" — shared by missing/missing_some. */
function missingKeys(keys: readonly unknown[], data: unknown, env: EvaluationEnv): unknown[] {
  const list = Array.isArray(keys[0]) ? (keys[0] as readonly unknown[]) : keys;
  const missing: unknown[] = [];
  for (const key of list) {
    const value = readDynamicPath(data, key, null, env);
    if (value === null || value === '') missing.push(key);
  }
  return missing;
}

/** `missing`: the listed keys that are absent or empty. */
export const missingOperator = defineOperator({
  name: 'missing',
  version: 1,
  arity: [0, Infinity],
  pure: false,
  usesEnv: true,
  doc: { 'zh-CN': '返回缺失或为空的字段名列表', en: 'Lists the keys that are absent or empty' },
  compile: (args) => {
    if (args.every((arg) => arg.constant)) {
      // Constant keys (the usual case): paths split once, here.
      const values = args.map((arg) => arg.value);
      const keys = Array.isArray(values[0]) ? (values[0] as readonly unknown[]) : values;
      const readers = keys.map(
        (key) => [key, compileVar(constantArgument(key), undefined)] as const,
      );
      return (data, env) => {
        const missing: unknown[] = [];
        for (const [key, read] of readers) {
          const value = read(data, env);
          if (value === null || value === '') missing.push(key);
        }
        return missing;
      };
    }
    const all = args.map((arg) => arg.evaluate);
    return (data, env) =>
      missingKeys(
        all.map((evaluate) => evaluate(data, env)),
        data,
        env,
      );
  },
});

/** `missing_some`: [] when at least `need` of the keys are present, else the missing ones. */
export const missingSomeOperator = defineOperator({
  name: 'missing_some',
  version: 1,
  arity: [2, 2],
  pure: false,
  usesEnv: true,
  doc: {
    'zh-CN': '至少 N 个字段有值时返回空列表，否则返回缺失的字段',
    en: 'Empty when at least N of the keys are present, else the missing keys',
  },
  compile: ([need, options]) => {
    if (!need || !options) throw new Error('arity');
    const needOf = need.evaluate;
    const optionsOf = options.evaluate;
    return (data, env) => {
      const needed = needOf(data, env);
      const raw = optionsOf(data, env);
      const keys: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
      const missing = missingKeys(keys, data, env);
      return keys.length - missing.length >= (needed as number) ? [] : missing;
    };
  },
});

/** The data-reading operators. */
export const dataOperators = [varOperator, missingOperator, missingSomeOperator];
