import type { FormAction } from '@joinery/access';
import type { DatasetAccess, DatasetCatalog, PreparedReport, ReportAccess } from '@joinery/reports';
import { requiredDatasets } from '@joinery/reports';
import { JoineryError } from '@joinery/shared';
import type { Viewer } from '../access/viewer.ts';

/** Soft-deleted records are in the table but in no report (as in no record list). */
const NOT_DELETED = Object.freeze({ '==': [{ var: 'deleted_at' }, null] });

/**
 * The viewer's rights for a report, dataset by dataset, as the access layer decides them: a
 * dataset (form) is present only when the viewer has its `view` action, with the `view` scope
 * (and "not soft-deleted") as row scope, the fields `canRead` allows, and the personal data they
 * may not unmask as masked (unusable in a report). Fail-closed: an absent dataset cannot be a source
 * (the engine answers `JNY_REPORT_DATASET_FORBIDDEN`, 403) and nothing is read through a
 * relation to it. With `action: 'export'`, every source dataset also needs `export`.
 */
export function reportAccess(
  viewer: Viewer,
  appKey: string,
  report: PreparedReport,
  action: Extract<FormAction, 'view' | 'export'> = 'view',
): ReportAccess {
  const catalog: DatasetCatalog = report.catalog;
  const rights: Record<string, DatasetAccess> = {};
  for (const name of requiredDatasets(report)) {
    const access = viewer.access(appKey, name);
    if (!access.actions.has('view')) continue;
    const scope = access.scope('view');
    if (scope === false) continue;
    const fields = Object.keys(catalog[name]?.fields ?? {});
    const readable = fields.filter((field) => access.canRead(field));
    const masked = (catalog[name]?.personal ?? []).filter((field) => !access.canUnmask(field));
    rights[name] = {
      scope:
        scope === true ? NOT_DELETED : { and: [NOT_DELETED, inlineUserLists(scope, viewer.user)] },
      readableColumns: readable.length === fields.length ? 'all' : new Set(readable),
      ...(masked.length > 0 && { maskedColumns: new Set(masked) }),
    };
  }
  if (action === 'export') {
    for (const source of report.sources) {
      if (!viewer.access(appKey, source.datasetName).actions.has('export')) {
        throw new JoineryError('JNY_REPORT_DATASET_FORBIDDEN', { dataset: source.datasetName });
      }
    }
  }
  return rights;
}

/**
 * Rewrites `{"in": [{"var": f}, {"var": "$user.<list>"}]}` (department row scopes) into
 * `{"or": [{"==": [{"var": f}, id]}, …]}`. Reference columns are uuid and the rule engine has no
 * uuid type yet: it would send the list as `text[]`, and Postgres has no `uuid = text` operator,
 * whereas each `=` against an untyped parameter is inferred as uuid. Only the access layer's own
 * scopes pass here (trusted input); the list is the viewer's department, so it stays small.
 */
export function inlineUserLists(logic: unknown, user: Readonly<Record<string, unknown>>): unknown {
  if (Array.isArray(logic)) return logic.map((item) => inlineUserLists(item, user));
  if (typeof logic !== 'object' || logic === null) return logic;
  const entries = Object.entries(logic);
  const [only] = entries;
  if (entries.length === 1 && only && only[0] === 'in' && Array.isArray(only[1])) {
    const [needle, haystack] = only[1] as unknown[];
    const name = userVar(haystack);
    const list = name === null ? undefined : user[name];
    if (isVar(needle) && Array.isArray(list)) {
      if (list.length === 0) return false;
      return { or: list.map((id) => ({ '==': [needle, id] })) };
    }
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, inlineUserLists(value, user)]));
}

function isVar(node: unknown): boolean {
  return typeof node === 'object' && node !== null && 'var' in node;
}

function userVar(node: unknown): string | null {
  if (typeof node !== 'object' || node === null || !('var' in node)) return null;
  const path = (node as { var: unknown }).var;
  return typeof path === 'string' && path.startsWith('$user.') ? path.slice('$user.'.length) : null;
}
