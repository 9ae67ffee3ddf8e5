import { type Kysely, sql } from 'kysely';

/**
 * Report definitions and dashboards per app. A save bumps `version` and keeps the previous
 * definition in `report_versions`, so a result (or an export) can always name the exact
 * definition it came from; only definitions `prepareReport` accepted are ever stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE joinery.reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    app_id uuid NOT NULL REFERENCES joinery.apps(id) ON DELETE CASCADE,
    key text NOT NULL,
    version integer NOT NULL DEFAULT 1,
    definition jsonb NOT NULL,
    updated_by uuid REFERENCES joinery.users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, key)
  )`.execute(db);
  await sql`CREATE TABLE joinery.report_versions (
    report_id uuid NOT NULL REFERENCES joinery.reports(id) ON DELETE CASCADE,
    version integer NOT NULL,
    definition jsonb NOT NULL,
    saved_by uuid REFERENCES joinery.users(id) ON DELETE SET NULL,
    saved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, version)
  )`.execute(db);
  await sql`CREATE TABLE joinery.dashboards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    app_id uuid NOT NULL REFERENCES joinery.apps(id) ON DELETE CASCADE,
    key text NOT NULL,
    version integer NOT NULL DEFAULT 1,
    definition jsonb NOT NULL,
    updated_by uuid REFERENCES joinery.users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, key)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS joinery.dashboards`.execute(db);
  await sql`DROP TABLE IF EXISTS joinery.report_versions`.execute(db);
  await sql`DROP TABLE IF EXISTS joinery.reports`.execute(db);
}
