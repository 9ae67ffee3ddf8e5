import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  CompiledQuery,
  type Kysely,
  type PostgresPool,
  type PostgresPoolClient,
  type RawBuilder,
} from 'kysely';
import type pg from 'pg';
import type { JoineryDatabase } from './schema.ts';

/**
 * Runs `query` as a named prepared statement: each pooled connection parses and plans it once,
 * then only binds and executes it — for the fixed statements of frequent requests
 * (authentication, a record create, a workflow step), where planning would cost more than
 * running. It runs through kysely, so inside a transaction too: a named statement lives on the
 * connection, and the transaction's connection prepares it like any other. The name is a hash
 * of the text, so two texts never share a name. Only for statements with explicit columns (a
 * prepared `select *` fails once its table gains a column) over Joinery's own tables, or over a
 * form's table when the text names the form's published version (a publish may change a
 * column's type under the same text). On a kysely instance not opened on a {@link preparing}
 * pool (`kyselyOnClient`), the query runs as an ordinary one.
 */
export async function executePrepared<Row>(
  db: Kysely<JoineryDatabase>,
  query: RawBuilder<unknown>,
): Promise<Row[]> {
  const compiled = query.compile(db);
  prepare(compiled.sql);
  return (await db.executeQuery(compiled)).rows as Row[];
}

/** Where a shaped statement's parameter comes from: a value by its key, or the shape itself. */
type Slot = { readonly key: string } | { readonly constant: unknown };

/** Stands for the value `key` while a shape's statement is built the first time. */
class Placeholder {
  constructor(readonly key: string) {}
}

/** The compiled text of each shape seen, and where each of its parameters comes from. */
const shapes = new Map<string, { readonly sql: string; readonly slots: readonly Slot[] }>();

/** Past this many shapes, the map starts over (shapes name form versions, which accumulate). */
const MAX_SHAPES = 1_000;

/** Whether every shaped statement is also built anew and compared (the test suite sets it). */
const CHECK_SHAPES = Boolean(process.env.JOINERY_CHECK_SHAPES);

/**
 * {@link executePrepared} for a hot statement, without kysely on the way after the first time:
 * `build` makes the statement of `values`, and runs only the first time `shape` is seen, with
 * placeholders for the values; where each lands among the compiled parameters is remembered,
 * so later runs of the shape only put the values in their places (building and compiling a
 * long statement cost a workflow approval ~15 % of its CPU). `shape` names everything the text
 * depends on — every branch `build` takes; `build` uses the values only as parameters, never
 * looks at them, and any other parameter it makes is a constant of the shape. With
 * `JOINERY_CHECK_SHAPES` set (the test suite sets it), every run also builds the statement
 * anew and fails on any difference, so a value mistaken for a constant cannot go unnoticed.
 */
export async function executeShaped<Row, V extends Record<string, unknown>>(
  db: Kysely<JoineryDatabase>,
  shape: string,
  values: V,
  build: (values: V) => RawBuilder<unknown>,
): Promise<Row[]> {
  let known = shapes.get(shape);
  if (known === undefined) {
    const placeholders = Object.fromEntries(
      Object.keys(values).map((key) => [key, new Placeholder(key)]),
    ) as unknown as V;
    const compiled = build(placeholders).compile(db);
    known = {
      sql: compiled.sql,
      slots: compiled.parameters.map((parameter) =>
        parameter instanceof Placeholder ? { key: parameter.key } : { constant: parameter },
      ),
    };
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(shape, known);
  }
  const parameters = known.slots.map((slot) => ('key' in slot ? values[slot.key] : slot.constant));
  if (CHECK_SHAPES) {
    const fresh = build(values).compile(db);
    if (fresh.sql !== known.sql || !isDeepStrictEqual(fresh.parameters, parameters)) {
      throw new Error(`shaped statement "${shape}" differs from its statement built anew`);
    }
  }
  prepare(known.sql);
  return (await db.executeQuery<Row>(CompiledQuery.raw(known.sql, parameters))).rows;
}

/** Statement names by text: the texts `executePrepared` ran, each prepared from then on. */
const names = new Map<string, string>();

function prepare(text: string): void {
  if (!names.has(text)) {
    names.set(text, `jny_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`);
  }
}

/**
 * `pool` as kysely's dialect takes it, whose connections send a text `executePrepared` ran as
 * its named statement and any other text as it is.
 */
export function preparing(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    query: ((text: unknown, values?: unknown[]) => {
      const name = typeof text === 'string' ? names.get(text) : undefined;
      if (name === undefined)
        return (client.query as (...args: unknown[]) => unknown)(text, values);
      return client.query({ name, text: text as string, values: values ?? [] });
    }) as PostgresPoolClient['query'],
    release: () => client.release(),
  });
  return {
    connect: async () => {
      const client = await pool.connect();
      let own = wrapped.get(client);
      if (own === undefined) {
        own = wrap(client);
        wrapped.set(client, own);
      }
      return own;
    },
    end: () => pool.end(),
    options: pool.options,
  };
}
