import { createHash } from 'node:crypto';
import type { Kysely, PostgresPool, PostgresPoolClient, RawBuilder } from 'kysely';
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
