import { createHash } from 'node:crypto';
import type { Kysely, RawBuilder } from 'kysely';
import { poolOf } from './connect.ts';
import type { JoineryDatabase } from './schema.ts';

/**
 * Runs `query` as a named prepared statement: each pooled connection parses and plans it once,
 * then only binds and executes it — for the fixed statements of frequent requests
 * (authentication, a record create), where planning would cost more than running. The name is
 * a hash of the text, so two texts never share a name. Only for statements with explicit
 * columns (a prepared `select *` fails once its table gains a column) over Joinery's own tables,
 * or over a form's table when the text names the form's published version (a publish may
 * change a column's type under the same text). On a kysely instance without its own pool
 * (`kyselyOnClient`), the query runs as an ordinary one.
 */
export async function executePrepared<Row>(
  db: Kysely<JoineryDatabase>,
  query: RawBuilder<unknown>,
): Promise<Row[]> {
  const pool = poolOf(db);
  if (!pool) return (await query.execute(db)).rows as Row[];
  const compiled = query.compile(db);
  const result = await pool.query({
    name: statementName(compiled.sql),
    text: compiled.sql,
    values: [...compiled.parameters],
  });
  return result.rows as Row[];
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `jny_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    names.set(text, name);
  }
  return name;
}
