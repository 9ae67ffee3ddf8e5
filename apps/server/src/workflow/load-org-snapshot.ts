import type { OrgDepartment, OrgSnapshot, OrgUser } from '@joinery/workflow';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { WorkflowDatabase } from './workflow-tables.ts';

/**
 * The organisation as the engine reads it, from `joinery.users` (department, disabled, admin),
 * `joinery.user_roles` (role keys), `joinery.departments` (tree and managers) and
 * `joinery.workflow_delegations` (absences). Administrators are the
 * workflow admins (they receive tasks nobody else can take, and may cancel).
 */
export async function loadOrgSnapshot(
  db: Kysely<WorkflowDatabase> | Transaction<WorkflowDatabase>,
): Promise<OrgSnapshot> {
  const [users, roles, departments, delegations] = await Promise.all([
    db
      .selectFrom('joinery.users')
      .select(['id', 'department_id', 'disabled', 'is_admin'])
      .execute(),
    // Role membership belongs to the access-control layer (`joinery.roles`, `joinery.user_roles`).
    sql<{ user_id: string; role: string }>`
      SELECT ur.user_id::text AS user_id, r.key AS role
      FROM joinery.user_roles ur JOIN joinery.roles r ON r.id = ur.role_id`
      .execute(db)
      .then((result) => result.rows),
    db.selectFrom('joinery.departments').select(['id', 'parent_id', 'manager_id']).execute(),
    // Absences not cancelled and not over: the engine checks each one's range at its `now`.
    db
      .selectFrom('joinery.workflow_delegations')
      .select(['user_id', 'delegate_id', 'starts_at', 'ends_at'])
      .where('cancelled_at', 'is', null)
      .where('ends_at', '>', sql<Date>`now()`)
      .orderBy('starts_at')
      .execute(),
  ]);
  const rolesOf = new Map<string, string[]>();
  for (const { user_id, role } of roles) {
    rolesOf.set(user_id, [...(rolesOf.get(user_id) ?? []), role]);
  }
  const orgUsers: Record<string, OrgUser> = {};
  for (const u of users) {
    orgUsers[u.id] = {
      id: u.id,
      roles: rolesOf.get(u.id) ?? [],
      ...(u.department_id === null ? {} : { departmentId: u.department_id }),
      active: !u.disabled,
    };
  }
  const orgDepartments: Record<string, OrgDepartment> = {};
  for (const d of departments) {
    orgDepartments[d.id] = {
      id: d.id,
      ...(d.parent_id === null ? {} : { parentId: d.parent_id }),
      ...(d.manager_id === null ? {} : { managerId: d.manager_id }),
    };
  }
  return {
    users: orgUsers,
    departments: orgDepartments,
    delegations: delegations.map((d) => ({
      from: d.user_id,
      to: d.delegate_id,
      start: d.starts_at.toISOString(),
      end: d.ends_at.toISOString(),
    })),
    admins: users.filter((u) => u.is_admin && !u.disabled).map((u) => u.id),
  };
}

/**
 * The organisation snapshot, cached per process and reused while `joinery.org_version` (bumped
 * by triggers on users, roles, role membership and departments) is unchanged. Steps read the
 * version together with their instance lock, so a changed organisation is seen at once, in
 * every process, without reloading it on every step.
 */
export class OrgSnapshots {
  #cached: { version: number; org: OrgSnapshot } | undefined;

  /** The snapshot at `version` (read it with `versionQuery`), loading it if it changed. */
  async at(
    db: Kysely<WorkflowDatabase> | Transaction<WorkflowDatabase>,
    version: number,
  ): Promise<OrgSnapshot> {
    const cached = this.#cached;
    if (cached?.version === version) return cached.org;
    const loaded = await loadOrgSnapshot(db);
    // Concurrent steps may load older versions; keep the newest.
    if (this.#cached === undefined || this.#cached.version < version) {
      this.#cached = { version, org: loaded };
    }
    return loaded;
  }

  /** The current organisation version. */
  async version(db: Kysely<WorkflowDatabase> | Transaction<WorkflowDatabase>): Promise<number> {
    const row = await sql<{ version: number }>`SELECT version FROM joinery.org_version`.execute(db);
    return Number(row.rows[0]?.version ?? 0);
  }
}
