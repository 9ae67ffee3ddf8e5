import type { JsonLogic, RowScope } from './role-permissions.ts';

/** The system field holding a record's owner (a user id). */
export const OWNER_FIELD = 'owner';

/**
 * A row scope as a JSON-logic condition over the record and `$user`, or `true` for every row.
 * Department scopes compare the owner with the member lists the runtime puts in the context
 * (`$user.departmentMemberIds`, `$user.subtreeMemberIds`), so the same condition runs in memory
 * and, through the rule engine, as SQL.
 */
export function rowScopeLogic(scope: RowScope | undefined): JsonLogic | true {
  const owner = { var: OWNER_FIELD };
  switch (scope) {
    case undefined:
    case 'all':
      return true;
    case 'own':
      return { '==': [owner, { var: '$user.id' }] };
    case 'department':
      return { in: [owner, { var: '$user.departmentMemberIds' }] };
    case 'department-tree':
      return { in: [owner, { var: '$user.subtreeMemberIds' }] };
    default:
      return scope.logic;
  }
}
