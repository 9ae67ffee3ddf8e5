import { type Kysely, sql } from 'kysely';

/**
 * Access control and audit: roles with their permissions (JSON, validated by @joinery/access),
 * role membership, and the append-only, hash-chained audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('joinery');
  await schema
    .createTable('roles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'jsonb', (c) => c.notNull())
    .addColumn('permissions', 'jsonb', (c) => c.notNull().defaultTo(sql`'{"apps":{}}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await schema
    .createTable('user_roles')
    .addColumn('user_id', 'uuid', (c) =>
      c.notNull().references('joinery.users.id').onDelete('cascade'),
    )
    .addColumn('role_id', 'uuid', (c) =>
      c.notNull().references('joinery.roles.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
    .execute();
  await schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await schema
    .createIndex('audit_log_action_idx')
    .on('audit_log')
    .columns(['action', 'at'])
    .execute();
  // Append-only: rows cannot be changed, and only the retention purge (which sets
  // joinery.audit_purge for its own transaction) may delete them.
  await sql`
    CREATE FUNCTION joinery.audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('joinery.audit_purge', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'joinery.audit_log is append-only';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON joinery.audit_log
    FOR EACH ROW EXECUTE FUNCTION joinery.audit_log_guard()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS joinery.audit_log, joinery.user_roles, joinery.roles`.execute(db);
  await sql`DROP FUNCTION IF EXISTS joinery.audit_log_guard()`.execute(db);
}
