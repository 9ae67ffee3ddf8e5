import type { ChartData } from '@joinery/reports';
import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';

/** Display names of users by id, per dimension key: `{ salesperson: { "<uuid>": "王芳" } }`. */
export type UserLabels = Record<string, Record<string, string>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The display names of the users a result groups by — an owner, a `user` field — so a sales
 * ranking reads "王芳", not a uuid. The values stay ids (a drill-down sends them back as they
 * are); the names come beside them, one query for the whole result. Any text dimension value
 * shaped like a uuid is looked up: a record id matches no user and gets no label.
 */
export async function userLabels(
  db: Kysely<JoineryDatabase>,
  data: ChartData,
): Promise<UserLabels> {
  const columns = data.table.columns.flatMap((column, index) =>
    column.role === 'dimension' && column.kind === 'text' ? [{ key: column.key, index }] : [],
  );
  const ids = new Set<string>();
  for (const row of data.table.rows) {
    for (const { index } of columns) {
      const value = row[index];
      if (typeof value === 'string' && UUID.test(value)) ids.add(value.toLowerCase());
    }
  }
  if (ids.size === 0) return {};
  const users = await db
    .selectFrom('joinery.users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...ids])
    .execute();
  const names = new Map(users.map((user) => [user.id.toLowerCase(), user.display_name]));
  const labels: UserLabels = {};
  for (const row of data.table.rows) {
    for (const { key, index } of columns) {
      const value = row[index];
      const name = typeof value === 'string' ? names.get(value.toLowerCase()) : undefined;
      if (name === undefined || typeof value !== 'string') continue;
      labels[key] ??= {};
      labels[key][value] = name;
    }
  }
  return labels;
}
