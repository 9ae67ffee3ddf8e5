/**
 * A small JSON-schema-like checker for node parameters. Each schema both checks a raw JSON value
 * (collecting every problem with its JSON pointer, not stopping at the first) and returns the
 * typed value, so a node type's parameters are typed from their schema without casts.
 */
export interface Schema<T> {
  /** Human-readable shape, used in problem messages and in the docs. */
  readonly describe: string;
  /** Checks `value`; pushes problems (pointer + message) and returns the typed value if valid. */
  parse(value: unknown, path: string, problems: SchemaProblem[]): T | undefined;
}

/** A problem found by a schema: a JSON pointer and what is wrong there. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

/** Infers the value type a schema accepts. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Marks an object property as optional. */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

type Shape = Readonly<Record<string, Schema<unknown>>>;
type RequiredKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalSchema<unknown> ? never : K;
}[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
type ObjectOf<S extends Shape> = {
  readonly [K in RequiredKeys<S>]: Infer<S[K]>;
} & { readonly [K in OptionalKeys<S>]?: Infer<S[K]> };

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail<T>(problems: SchemaProblem[], path: string, describe: string): T | undefined {
  problems.push({ path, message: `expected ${describe}` });
  return undefined;
}

/** A non-empty string. */
export function string(): Schema<string> {
  const describe = 'a non-empty string';
  return {
    describe,
    parse: (v, path, problems) =>
      typeof v === 'string' && v.length > 0 ? v : fail(problems, path, describe),
  };
}

/** A finite number, optionally bounded (inclusive) and integral. */
export function number(
  bounds: { min?: number; max?: number; integer?: boolean } = {},
): Schema<number> {
  const parts = [bounds.integer ? 'an integer' : 'a number'];
  if (bounds.min !== undefined) parts.push(`>= ${bounds.min}`);
  if (bounds.max !== undefined) parts.push(`<= ${bounds.max}`);
  const describe = parts.join(' ');
  return {
    describe,
    parse: (v, path, problems) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(problems, path, describe);
      if (bounds.integer && !Number.isInteger(v)) return fail(problems, path, describe);
      if (bounds.min !== undefined && v < bounds.min) return fail(problems, path, describe);
      if (bounds.max !== undefined && v > bounds.max) return fail(problems, path, describe);
      return v;
    },
  };
}

/** A boolean. */
export function boolean(): Schema<boolean> {
  const describe = 'true or false';
  return {
    describe,
    parse: (v, path, problems) => (typeof v === 'boolean' ? v : fail(problems, path, describe)),
  };
}

/** One of the given string constants. */
export function literal<const T extends readonly string[]>(...values: T): Schema<T[number]> {
  const describe = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return {
    describe,
    parse: (v, path, problems) => {
      const found = values.find((candidate) => candidate === v);
      return found === undefined ? fail(problems, path, describe) : found;
    },
  };
}

/** Any JSON value (JSON-logic expressions, literal field values). */
export function json(): Schema<unknown> {
  return {
    describe: 'any JSON value',
    parse: (v, path, problems) => (v === undefined ? fail(problems, path, 'a value') : v),
  };
}

/** An array of items, with an optional minimum length. */
export function array<T>(item: Schema<T>, minItems = 0): Schema<readonly T[]> {
  const describe = `an array of ${item.describe}${minItems > 0 ? ` (at least ${minItems})` : ''}`;
  return {
    describe,
    parse: (v, path, problems) => {
      if (!Array.isArray(v) || v.length < minItems) return fail(problems, path, describe);
      const before = problems.length;
      const out: T[] = [];
      v.forEach((entry: unknown, i) => {
        const parsed = item.parse(entry, `${path}/${i}`, problems);
        if (parsed !== undefined) out.push(parsed);
      });
      return problems.length === before ? out : undefined;
    },
  };
}

/** An object with string keys and values of one schema (e.g. field → value maps). */
export function record<T>(value: Schema<T>): Schema<Readonly<Record<string, T>>> {
  const describe = `an object of ${value.describe}`;
  return {
    describe,
    parse: (v, path, problems) => {
      if (!isPlainObject(v)) return fail(problems, path, describe);
      const before = problems.length;
      const out: Record<string, T> = {};
      for (const [key, entry] of Object.entries(v)) {
        const parsed = value.parse(entry, `${path}/${key}`, problems);
        if (parsed !== undefined) out[key] = parsed;
      }
      return problems.length === before ? out : undefined;
    },
  };
}

/** Makes a property optional inside `object({...})`. */
export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return { ...schema, optional: true };
}

/** An object with the given properties; unknown properties are refused (they are typos). */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const describe = `an object with ${Object.keys(shape).join(', ') || 'no properties'}`;
  return {
    describe,
    parse: (v, path, problems) => {
      if (!isPlainObject(v)) return fail(problems, path, 'an object');
      const before = problems.length;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        if (!(key in shape)) problems.push({ path: `${path}/${key}`, message: 'unknown property' });
      }
      for (const [key, schema] of Object.entries(shape)) {
        const raw = v[key];
        if (raw === undefined) {
          if (!('optional' in schema))
            problems.push({ path: `${path}/${key}`, message: 'required' });
          continue;
        }
        const parsed = schema.parse(raw, `${path}/${key}`, problems);
        if (parsed !== undefined) out[key] = parsed;
      }
      // The loop above checked every property against its schema, so `out` has the shape.
      return problems.length === before ? (out as ObjectOf<S>) : undefined;
    },
  };
}

/**
 * A tagged union: the value's `kind` property picks the schema. Kinds make errors precise
 * ("unknown kind") instead of listing every alternative's failure.
 */
export function variant<S extends Readonly<Record<string, Schema<unknown>>>>(
  variants: S,
): Schema<{ [K in keyof S]: Infer<S[K]> & { readonly kind: K } }[keyof S]> {
  const kinds = Object.keys(variants);
  const describe = `an object whose kind is one of ${kinds.join(', ')}`;
  return {
    describe,
    parse: (v, path, problems) => {
      if (!isPlainObject(v)) return fail(problems, path, 'an object');
      const kind = v.kind;
      const schema = typeof kind === 'string' ? variants[kind] : undefined;
      if (schema === undefined) {
        problems.push({ path: `${path}/kind`, message: `expected one of ${kinds.join(', ')}` });
        return undefined;
      }
      const { kind: _kind, ...rest } = v;
      const parsed = schema.parse(rest, path, problems);
      // The schema for this kind accepted the rest of the object.
      return parsed === undefined ? undefined : ({ ...(parsed as object), kind } as never);
    },
  };
}
