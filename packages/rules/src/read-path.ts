import type { EvaluationEnv } from './evaluator.ts';

const hasOwn = Object.hasOwn;

/**
 * Reads a dotted path the way json-logic-js does, but only through own properties: `__proto__`,
 * `constructor`, `prototype`, `toString`… of a plain object read as missing, so an expression can
 * never reach a prototype, a function or a global. Missing (or `undefined`) gives `notFound`.
 */
export function readPath(root: unknown, keys: readonly string[], notFound: unknown): unknown {
  if (root === undefined) return notFound;
  let value: unknown = root;
  for (const key of keys) {
    if (value === null || value === undefined || !hasOwn(value, key)) return notFound;
    value = (value as Record<string, unknown>)[key];
    if (value === undefined) return notFound;
  }
  return value;
}

/** One own property, or `notFound`; the one-segment case of `readPath`, kept apart for speed. */
export function readKey(value: unknown, key: string, notFound: unknown): unknown {
  if (value === null || value === undefined || !hasOwn(value, key)) return notFound;
  const found = (value as Record<string, unknown>)[key];
  return found === undefined ? notFound : found;
}

/** The context roots `var` understands: the first path segment selects one. */
export const CONTEXT_ROOTS = ['$user', '$now', '$old', '$new'] as const;
export type ContextRoot = (typeof CONTEXT_ROOTS)[number];

/** True for the first segment of a context path (`$user`, `$now`, `$old`, `$new`). */
export function isContextRoot(segment: string | undefined): segment is ContextRoot {
  return (CONTEXT_ROOTS as readonly (string | undefined)[]).includes(segment);
}

/** The value of a context root in this evaluation (`$now` as an ISO 8601 UTC string). */
export function contextRoot(root: ContextRoot, env: EvaluationEnv): unknown {
  const { context } = env;
  switch (root) {
    case '$user':
      return context.user;
    case '$now':
      return (context.now ?? new Date()).toISOString();
    case '$old':
      return context.old;
    case '$new':
      return context.new;
  }
}

/** Splits a `var` path as json-logic-js does (`String(path).split('.')`). */
export function splitPath(path: unknown): string[] {
  return String(path).split('.');
}

/**
 * Reads a path that was only known at evaluation time (a computed `var` argument), with the
 * same rules as a constant path: empty path → the data itself, `$` roots → the context.
 */
export function readDynamicPath(
  data: unknown,
  path: unknown,
  notFound: unknown,
  env: EvaluationEnv,
): unknown {
  if (path === undefined || path === null || path === '') return data;
  const keys = splitPath(path);
  const first = keys[0];
  if (isContextRoot(first)) return readPath(contextRoot(first, env), keys.slice(1), notFound);
  return readPath(data, keys, notFound);
}
