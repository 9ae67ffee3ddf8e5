import type { FormAccess, FormAction } from '@joinery/access';
import { isJoineryError } from '@joinery/shared';
import type { RawBuilder, SqlBool } from 'kysely';
import type { RuleContext } from '../clock/rule-context.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { filterCondition } from '../records/record-query.ts';

/**
 * A viewer's row scope for `action` on a form, with membership in a `$user` list (department
 * scopes) spelled out as equalities: owner columns are uuid, and a uuid column compares with a
 * text parameter but not with a text array.
 */
export function viewerScope(
  access: FormAccess,
  action: FormAction,
  user: Readonly<Record<string, unknown>>,
): unknown {
  const scope = access.scope(action);
  return typeof scope === 'boolean' ? scope : expandUserLists(scope, user);
}

/**
 * A row scope as a SQL condition over the form's table under the list alias (`ALIAS`), for
 * reading ANOTHER form's rows alongside a record (lookups). It fails closed: a scope that needs
 * the tables of further forms (a relation path) or has no SQL form selects no rows — the caller
 * then shows nothing of that form, which is never more than the viewer may see.
 */
export function scopeSql(
  form: PublishedForm,
  scope: unknown,
  context: RuleContext,
): RawBuilder<SqlBool> | boolean {
  if (typeof scope === 'boolean') return scope;
  try {
    return filterCondition(form, JSON.stringify(scope), context) ?? true;
  } catch (error) {
    if (isJoineryError(error) && error.status < 500) return false;
    throw error;
  }
}

/** Rewrites `{"in": [x, {"var": "$user.list"}]}` into `{"or": [{"==": [x, item]}, …]}`. */
function expandUserLists(logic: unknown, user: Readonly<Record<string, unknown>>): unknown {
  if (Array.isArray(logic)) return logic.map((item) => expandUserLists(item, user));
  if (logic === null || typeof logic !== 'object') return logic;
  const [operator, args] = Object.entries(logic)[0] ?? [];
  if (operator === 'in' && Array.isArray(args) && args.length === 2) {
    const list = args[1] as { var?: unknown } | null;
    const path = typeof list?.var === 'string' ? list.var : '';
    const items = path.startsWith('$user.') ? user[path.slice('$user.'.length)] : undefined;
    if (Array.isArray(items)) {
      return items.length === 0 ? false : { or: items.map((item) => ({ '==': [args[0], item] })) };
    }
  }
  return operator === undefined ? logic : { [operator]: expandUserLists(args, user) };
}
