import {
  type FieldRights,
  FORM_ACTIONS,
  type FormAction,
  type FormPermission,
  type JsonLogic,
  type RolePermissions,
} from './role-permissions.ts';
import { rowScopeLogic } from './row-scope.ts';

/**
 * What one user may do with one form, merged over all their roles. Rights only add up: an action
 * is allowed if any role allows it; its rows are the union (OR) of the scopes of the roles that
 * allow it; a field is readable, writable or unmasked if any role that may view the form says so.
 * A field a grant hides (`read: false`) it does not let write either, unless it says `write: true`:
 * a blind write could overwrite what the role may not see.
 */
export interface FormAccess {
  readonly actions: ReadonlySet<FormAction>;
  /** Per action: `true` (all rows), `false` (none), or a JSON-logic condition. */
  scope(action: FormAction): JsonLogic | boolean;
  canRead(field: string): boolean;
  canWrite(field: string): boolean;
  canUnmask(field: string): boolean;
}

/** Full access: administrators. */
export const FULL_ACCESS: FormAccess = Object.freeze({
  actions: new Set(FORM_ACTIONS),
  scope: () => true,
  canRead: () => true,
  canWrite: () => true,
  canUnmask: () => true,
});

/** Merges what `roles` grant on `form` of `app` into one {@link FormAccess}. */
export function formAccess(
  roles: readonly RolePermissions[],
  app: string,
  form: string,
): FormAccess {
  const grants = roles.flatMap((role) => {
    const forms = own(role.apps, app)?.forms;
    return [own(forms, form), own(forms, '*')].filter((g): g is FormPermission => g !== undefined);
  });
  const actions = new Set(grants.flatMap((g) => g.actions));
  const viewers = grants.filter((g) => g.actions.includes('view'));
  const rightsOf = (g: FormPermission, field: string) => own(g.fields, field) ?? own(g.fields, '*');
  const right = (field: string, pick: (r: FieldRights) => boolean | undefined, fallback: boolean) =>
    viewers.some((g) => pick(rightsOf(g, field) ?? {}) ?? fallback);
  return Object.freeze({
    actions,
    scope: (action: FormAction) => unionScope(grants.filter((g) => g.actions.includes(action))),
    canRead: (field: string) => right(field, (r) => r.read, true),
    canWrite: (field: string) =>
      grants.some(
        (g) =>
          (g.actions.includes('create') || g.actions.includes('edit')) &&
          (rightsOf(g, field)?.write ?? rightsOf(g, field)?.read ?? true),
      ),
    canUnmask: (field: string) => right(field, (r) => r.unmask, false),
  });
}

/**
 * `map[key]` when `map` itself holds `key`: app, form and field keys such as `constructor` are
 * valid identifiers, and must not find `Object.prototype`'s members instead of a grant.
 */
function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

function unionScope(grants: readonly FormPermission[]): JsonLogic | boolean {
  if (grants.length === 0) return false;
  const conditions: JsonLogic[] = [];
  for (const grant of grants) {
    const logic = rowScopeLogic(grant.rows);
    if (logic === true) return true;
    conditions.push(logic);
  }
  return conditions.length === 1 ? conditions[0] : { or: conditions };
}
