import { type Kysely, sql } from 'kysely';

/**
 * Until this version a first publish created the `(created_at, id)` index of a form table twice:
 * once from the publish plan (`<form>_created_ix`) and once more under a hashed `jny_i_…` name.
 * Every insert and import maintained both. This drops the hashed twin wherever the plan's index
 * on the same columns exists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const twins = await sql<{ name: string }>`
    select format('%I.%I', n.nspname, c.relname) as name
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname like 'app\\_%' and c.relname like 'jny\\_i\\_%'
      and exists (
        select from pg_index other join pg_class o on o.oid = other.indexrelid
        where other.indrelid = i.indrelid and other.indexrelid <> i.indexrelid
          and other.indkey = i.indkey and o.relname not like 'jny\\_i\\_%')`.execute(db);
  for (const twin of twins.rows) await sql`drop index ${sql.raw(twin.name)}`.execute(db);
}

/** Nothing to restore: the remaining index serves every query the twin served. */
export async function down(): Promise<void> {}
