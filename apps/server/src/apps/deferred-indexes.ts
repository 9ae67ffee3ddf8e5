import type pg from 'pg';

interface SavedConstraint {
  readonly table: string;
  readonly name: string;
  readonly kind: 'p' | 'u' | 'f';
  readonly definition: string;
}

/**
 * The indexes and constraints of some tables, as Postgres itself prints them, dropped for a bulk
 * load and created again after it — the way the PostgreSQL manual advises populating a database
 * ("Remove Indexes", "Remove Foreign Key Constraints"): one sort per index and one join per
 * foreign key instead of an index insertion and a lookup per row. Run both halves in ONE
 * transaction: a failed load or a foreign key the data breaks rolls the whole load back, and
 * other sessions never see the tables without their indexes (they wait for the locks instead).
 */
export class DeferredIndexes {
  private constructor(
    readonly constraints: readonly SavedConstraint[],
    readonly indexes: readonly string[],
  ) {}

  /**
   * Drops the primary keys, unique constraints, foreign keys (those of the tables and those
   * pointing at them) and other indexes of `tables` (qualified names from validated metadata).
   */
  static async drop(client: pg.PoolClient, tables: readonly string[]): Promise<DeferredIndexes> {
    const constraints = await client.query<SavedConstraint>(
      `select format('%I.%I', n.nspname, t.relname) as table, c.conname as name,
              c.contype as kind, pg_get_constraintdef(c.oid) as definition
       from pg_constraint c
       join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
       where (c.contype in ('p', 'u') and c.conrelid = any($1::text[]::regclass[]))
          or (c.contype = 'f' and (c.conrelid = any($1::text[]::regclass[])
                                   or c.confrelid = any($1::text[]::regclass[])))
       order by c.contype = 'f' desc, c.oid`,
      [tables],
    );
    const indexes = await client.query<{ name: string; definition: string }>(
      `select format('%I.%I', n.nspname, x.relname) as name,
              pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
       join pg_class x on x.oid = i.indexrelid join pg_namespace n on n.oid = x.relnamespace
       where i.indrelid = any($1::text[]::regclass[])
         and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid
                         and c.conrelid = i.indrelid and c.contype in ('p', 'u', 'x'))
       order by i.indexrelid`,
      [tables],
    );
    // WARNING: these statements are built from names and definitions Postgres printed for
    // existing objects (quoted by `format('%I')` and `escapeIdentifier`), never from input.
    for (const constraint of constraints.rows) {
      await client.query(
        `alter table ${constraint.table} drop constraint ${client.escapeIdentifier(constraint.name)}`,
      );
    }
    for (const index of indexes.rows) await client.query(`drop index ${index.name}`);
    return new DeferredIndexes(
      constraints.rows,
      indexes.rows.map((index) => index.definition),
    );
  }

  /** Creates everything again: keys and unique constraints, indexes, then foreign keys. */
  async restore(client: pg.PoolClient): Promise<void> {
    const keys = this.constraints.filter((c) => c.kind !== 'f');
    const foreign = this.constraints.filter((c) => c.kind === 'f');
    // WARNING: see `drop` — the texts are Postgres's own descriptions of the dropped objects.
    for (const constraint of keys) await client.query(addStatement(client, constraint));
    for (const definition of this.indexes) await client.query(definition);
    for (const constraint of foreign) await client.query(addStatement(client, constraint));
  }
}

function addStatement(client: pg.PoolClient, constraint: SavedConstraint): string {
  return `alter table ${constraint.table} add constraint ${client.escapeIdentifier(constraint.name)} ${constraint.definition}`;
}
