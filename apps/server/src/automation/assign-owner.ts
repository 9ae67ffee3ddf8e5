import { JoineryError } from '@joinery/shared';
import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { automationDb } from './automation-tables.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The members of a team, in a stable order (user name, then id): `department:<name or id>` — the
 * department's enabled users; `role:<key>` — the enabled holders of the role.
 */
export async function teamMembers(db: Kysely<JoineryDatabase>, team: string): Promise<string[]> {
  const [kind, ...rest] = team.split(':');
  const name = rest.join(':').trim();
  if (name === '' || (kind !== 'department' && kind !== 'role')) {
    throw new JoineryError('JNY_AUTOMATION_TEAM_INVALID', { team });
  }
  let query = db
    .selectFrom('joinery.users as u')
    .select('u.id')
    .where('u.disabled', '=', false)
    .orderBy('u.username')
    .orderBy('u.id');
  if (kind === 'department') {
    query = query
      .innerJoin('joinery.departments as d', 'd.id', 'u.department_id')
      .where((eb) =>
        UUID.test(name)
          ? eb.or([eb('d.id', '=', name), eb('d.name', '=', name)])
          : eb('d.name', '=', name),
      );
  } else {
    query = query
      .innerJoin('joinery.user_roles as ur', 'ur.user_id', 'u.id')
      .innerJoin('joinery.roles as r', 'r.id', 'ur.role_id')
      .where('r.key', '=', name);
  }
  return (await query.execute()).map((row) => row.id);
}

/**
 * Picks the next owner within a team for a rule, in the caller's transaction.
 *
 * Round robin: the rule's cursor row for the team is locked (`SELECT … FOR UPDATE`) for the rest
 * of the transaction, so concurrent creates queue on it and each sees the pick of the one before
 * (READ COMMITTED re-reads a row once its lock is released): no two get the same turn.
 * Least loaded: the member owning the fewest live records of the form, ties by team order; the
 * same cursor row is locked so two concurrent picks do not both see the same counts.
 */
export async function pickOwner(
  db: Kysely<JoineryDatabase>,
  input: {
    readonly ruleId: string;
    readonly team: string;
    readonly strategy: 'round_robin' | 'least_loaded';
    readonly form: PublishedForm;
  },
): Promise<string> {
  const members = await teamMembers(db, input.team);
  if (members.length === 0)
    throw new JoineryError('JNY_AUTOMATION_TEAM_EMPTY', { team: input.team });
  const adb = automationDb(db);
  await adb
    .insertInto('joinery.automation_assignment_cursors')
    .values({ rule_id: input.ruleId, team: input.team, last_user_id: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const cursor = await adb
    .selectFrom('joinery.automation_assignment_cursors')
    .select('last_user_id')
    .where('rule_id', '=', input.ruleId)
    .where('team', '=', input.team)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let chosen: string;
  if (input.strategy === 'round_robin') {
    const last = cursor.last_user_id === null ? -1 : members.indexOf(cursor.last_user_id);
    chosen = members[(last + 1) % members.length] as string;
  } else {
    // Table identifiers come from published metadata; the member ids are bound parameters.
    const counts = await sql<{ owner: string; n: number }>`
      select owner::text as owner, count(*)::int as n
      from ${sql.id(input.form.table.schema, input.form.table.table)}
      where deleted_at is null and owner = any(${members}::uuid[])
      group by owner`.execute(db);
    const load = new Map(counts.rows.map((row) => [row.owner, row.n]));
    chosen = members.reduce((best, id) =>
      (load.get(id) ?? 0) < (load.get(best) ?? 0) ? id : best,
    );
  }
  await adb
    .updateTable('joinery.automation_assignment_cursors')
    .set((eb) => ({ last_user_id: chosen, assigned: eb('assigned', '+', sql<string>`1`) }))
    .where('rule_id', '=', input.ruleId)
    .where('team', '=', input.team)
    .execute();
  return chosen;
}
