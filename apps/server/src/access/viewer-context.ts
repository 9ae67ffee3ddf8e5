import type { RolePermissions } from '@joinery/access';
import { type RawBuilder, sql } from 'kysely';

/** What access decisions need to know about a user beyond the principal. */
export interface ViewerContext {
  readonly roles: readonly { readonly key: string; readonly permissions: RolePermissions }[];
  readonly departmentId: string | null;
  /** Members of the user's department (the user alone when in none). */
  readonly departmentMemberIds: readonly string[];
  /** Members of the user's department and every department below it. */
  readonly subtreeMemberIds: readonly string[];
}

/** The columns `withViewerContext` adds to each row. */
export interface ViewerContextColumns {
  readonly department_id: string | null;
  readonly viewer_roles: ViewerContext['roles'];
  readonly viewer_department_members: string[];
  readonly viewer_subtree_members: string[];
}

/**
 * `me` — a select of one user row with at least `id` and `department_id` — with the user's roles
 * and department context added as columns, in ONE query: authentication loads the principal and
 * its viewer in the round trip it makes anyway, so most requests cost a single query before
 * their own work. Role changes and moves between departments are seen by the next request.
 */
export function withViewerContext(me: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    WITH RECURSIVE me AS (${me}), subtree AS (
      SELECT d.id FROM joinery.departments d JOIN me ON d.id = me.department_id
      UNION
      SELECT d.id FROM joinery.departments d JOIN subtree s ON d.parent_id = s.id
    )
    SELECT me.*,
      coalesce((SELECT json_agg(json_build_object('key', r.key, 'permissions', r.permissions)
                               ORDER BY r.key)
                FROM joinery.user_roles ur JOIN joinery.roles r ON r.id = ur.role_id
                WHERE ur.user_id = me.id), '[]') AS viewer_roles,
      coalesce((SELECT array_agg(u.id::text) FROM joinery.users u
                WHERE u.department_id = me.department_id), ARRAY[me.id::text]) AS viewer_department_members,
      coalesce((SELECT array_agg(u.id::text) FROM joinery.users u
                WHERE u.department_id IN (SELECT id FROM subtree)), ARRAY[me.id::text]) AS viewer_subtree_members
    FROM me`;
}

/** The context of a row returned by `withViewerContext`. */
export function viewerContextOf(row: ViewerContextColumns): ViewerContext {
  return Object.freeze({
    roles: row.viewer_roles,
    departmentId: row.department_id,
    departmentMemberIds: row.viewer_department_members,
    subtreeMemberIds: row.viewer_subtree_members,
  });
}
