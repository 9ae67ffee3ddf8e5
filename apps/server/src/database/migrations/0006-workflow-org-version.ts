import { type Kysely, sql } from 'kysely';

/**
 * A version number of the organisation (users, roles, role membership, departments), bumped by
 * statement triggers on every change. Workflow steps read it with the instance lock and reuse
 * their cached organisation snapshot while it is unchanged — exact across processes, without
 * reloading every user on every step.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE joinery.org_version (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint NOT NULL
  )`.execute(db);
  await sql`INSERT INTO joinery.org_version (version) VALUES (1)`.execute(db);
  await sql`CREATE FUNCTION joinery.bump_org_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE joinery.org_version SET version = version + 1;
      RETURN NULL;
    END $$`.execute(db);
  for (const table of ['users', 'roles', 'user_roles', 'departments']) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_org_version`)}
      AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.id('joinery', table)}
      FOR EACH STATEMENT EXECUTE FUNCTION joinery.bump_org_version()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['users', 'roles', 'user_roles', 'departments']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_org_version`)} ON ${sql.id('joinery', table)}`.execute(
      db,
    );
  }
  await sql`DROP FUNCTION IF EXISTS joinery.bump_org_version()`.execute(db);
  await sql`DROP TABLE IF EXISTS joinery.org_version`.execute(db);
}
