import { type Kysely, sql } from 'kysely';

/**
 * Dashboard widgets get ids, which the API addresses them by (`…/widgets/:widget/run`). A
 * dashboard saved before has none: each widget without one is named by its place, `w1`, `w2`, …
 * in the order of `widgets` — deterministic, unique within the dashboard, and a valid key. The
 * dashboard's version is kept: its meaning does not change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE joinery.dashboards d
    SET definition = jsonb_set(d.definition, '{widgets}', (
      SELECT jsonb_agg(
               CASE WHEN w ? 'id' THEN w ELSE w || jsonb_build_object('id', 'w' || n) END
               ORDER BY n)
      FROM jsonb_array_elements(d.definition -> 'widgets') WITH ORDINALITY AS t(w, n)))
    WHERE EXISTS (
      SELECT 1 FROM jsonb_array_elements(d.definition -> 'widgets') AS t(w) WHERE NOT w ? 'id')`.execute(
    db,
  );
}

/** Ids are left in place: a definition with them is still one the previous version reads. */
export async function down(): Promise<void> {}
