/** A user as the engine needs to know them: roles and department. */
export interface OrgUser {
  readonly id: string;
  readonly roles: readonly string[];
  readonly departmentId?: string;
  /** Disabled users are never given tasks. Defaults to true. */
  readonly active?: boolean;
}

/** A department in the tree, with its manager (a user id). */
export interface OrgDepartment {
  readonly id: string;
  readonly parentId?: string;
  readonly managerId?: string;
}

/**
 * A delegation while absent: from `start` (inclusive) to `end` (exclusive), tasks for `from`
 * go to `to`, and `to` may act on `from`'s open tasks.
 */
export interface OrgDelegation {
  readonly from: string;
  readonly to: string;
  readonly start: string;
  readonly end: string;
}

/**
 * The part of the organisation the engine reads, as plain data the runtime loads before calling
 * `advance` — so the engine stays pure and tests build an organisation in a few lines.
 */
export interface OrgSnapshot {
  readonly users: Readonly<Record<string, OrgUser>>;
  readonly departments: Readonly<Record<string, OrgDepartment>>;
  readonly delegations?: readonly OrgDelegation[];
  /** Who receives tasks whose assignee list is empty under the `admin` policy; admins may cancel. */
  readonly admins: readonly string[];
}

/** Whether `userId` is an admin of the workflow (listed in `admins` or holding role `admin`). */
export function isAdmin(org: OrgSnapshot, userId: string): boolean {
  return org.admins.includes(userId) || (org.users[userId]?.roles.includes('admin') ?? false);
}

/** Active members of a role, in a stable order (by user id). */
export function membersOfRole(org: OrgSnapshot, role: string): string[] {
  return Object.values(org.users)
    .filter((u) => u.active !== false && u.roles.includes(role))
    .map((u) => u.id)
    .sort();
}

/**
 * The manager `levels` steps up from `userId`'s department. Level 1 is the manager of the
 * user's own department — unless the user manages it, in which case the walk starts at the
 * parent, so nobody is their own manager. Returns undefined past the top of the tree.
 */
export function managerOf(org: OrgSnapshot, userId: string, levels = 1): string | undefined {
  let departmentId = org.users[userId]?.departmentId;
  let found: string | undefined;
  let remaining = levels;
  const seen = new Set<string>();
  while (departmentId !== undefined && remaining > 0 && !seen.has(departmentId)) {
    seen.add(departmentId);
    const department: OrgDepartment | undefined = org.departments[departmentId];
    if (department === undefined) return undefined;
    const manager = department.managerId;
    if (manager !== undefined && manager !== userId && manager !== found) {
      found = manager;
      remaining -= 1;
    }
    if (remaining > 0) departmentId = department.parentId;
  }
  return remaining === 0 ? found : undefined;
}

/**
 * Who acts for `userId` at `now`: follows delegations (a → b → c) and stops at a cycle. A
 * delegate for whom `eligible` is false (four-eyes: the submitter, or someone a step excludes)
 * is skipped the way assignee resolution skips them; the task goes to the furthest eligible
 * user along the chain, and stays with `userId` when there is none.
 */
export function delegateOf(
  org: OrgSnapshot,
  userId: string,
  now: string,
  eligible: (user: string) => boolean = () => true,
): string {
  let current = userId;
  let chosen = userId;
  const seen = new Set([userId]);
  for (;;) {
    const next = activeDelegation(org, current, now)?.to;
    if (next === undefined || seen.has(next)) return chosen;
    seen.add(next);
    current = next;
    if (eligible(next)) chosen = next;
  }
}

/** The delegation of `userId` in force at `now`, if any. */
export function activeDelegation(
  org: OrgSnapshot,
  userId: string,
  now: string,
): OrgDelegation | undefined {
  const at = Date.parse(now);
  return org.delegations?.find(
    (d) => d.from === userId && Date.parse(d.start) <= at && at < Date.parse(d.end),
  );
}

/**
 * Whether `actor` may act for `userId` at `now` (they are the user, or a delegate in force
 * along the chain). A delegate for whom `eligible` is false (four-eyes) may not.
 */
export function actsFor(
  org: OrgSnapshot,
  actor: string,
  userId: string,
  now: string,
  eligible: (user: string) => boolean = () => true,
): boolean {
  if (actor === userId) return true;
  if (!eligible(actor)) return false;
  let current = userId;
  const seen = new Set([userId]);
  for (;;) {
    const next = activeDelegation(org, current, now)?.to;
    if (next === undefined || seen.has(next)) return false;
    if (next === actor) return true;
    seen.add(next);
    current = next;
  }
}
