import { JoineryError } from '@joinery/shared';
import type { CompiledWorkflow } from './compiled-workflow.ts';
import type { FieldPermissions } from './step-config.ts';

/** The answer of `allowedEdits`: fine, or the fields the step may not change. */
export type EditCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly fields: readonly string[] };

/**
 * Whether a step lets its reviewers write `patch`. Only fields listed as `editable` (and not
 * hidden) may change; a step without field settings allows no edits. The server calls this on
 * every write made from a task, so the rule holds whatever the UI shows.
 */
export function allowedEdits(
  permissions: FieldPermissions | undefined,
  patch: Readonly<Record<string, unknown>>,
): EditCheck {
  const editable = new Set(permissions?.editable ?? []);
  const hidden = new Set(permissions?.hidden ?? []);
  const refused = Object.keys(patch).filter((field) => !editable.has(field) || hidden.has(field));
  return refused.length === 0 ? { ok: true } : { ok: false, fields: refused };
}

/** `allowedEdits`, throwing `JNY_WORKFLOW_FIELDS_NOT_EDITABLE` (403) naming the fields. */
export function assertAllowedEdits(
  permissions: FieldPermissions | undefined,
  patch: Readonly<Record<string, unknown>>,
): void {
  const check = allowedEdits(permissions, patch);
  if (check.ok) return;
  throw new JoineryError(
    'JNY_WORKFLOW_FIELDS_NOT_EDITABLE',
    { fields: check.fields.join(', ') },
    check.fields.map((field) => ({ field: `/${field}`, reason: 'not editable at this step' })),
  );
}

/**
 * The fields a step shows, out of `allFields`: the `visible` list if given (else every field),
 * minus `hidden`, plus the editable ones (a field one may edit is one may see).
 */
export function visibleFields(
  permissions: FieldPermissions | undefined,
  allFields: readonly string[],
): string[] {
  const hidden = new Set(permissions?.hidden ?? []);
  const shown = new Set(permissions?.visible ?? allFields);
  for (const field of permissions?.editable ?? []) shown.add(field);
  return allFields.filter((field) => shown.has(field) && !hidden.has(field));
}

/** The field permissions of a step node (undefined for nodes without tasks or settings). */
export function fieldPermissionsOf(
  workflow: CompiledWorkflow,
  nodeId: string,
): FieldPermissions | undefined {
  const role = workflow.nodes.get(nodeId)?.behaviour.role;
  return role?.kind === 'step' ? role.step.fields : undefined;
}
