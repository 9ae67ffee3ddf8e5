import type { AppPermission } from '@joinery/access';
import type { FormDefinition } from '@joinery/forms';
import type { AutomationRule } from '@joinery/rules';
import { JoineryError, type LocalizedText } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { automationDb } from '../automation/automation-tables.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { WorkflowDatabase } from '../workflow/workflow-tables.ts';
import {
  APP_PACKAGE_FORMAT,
  type AppPackage,
  type PackagedRole,
  type PackagedWorkflow,
} from './app-package.ts';

/**
 * What is installed of an app, as a package: the live version of each published form (in the
 * order they were first created, each after the forms its relations point at), the newest version
 * of each workflow, every automation rule, each role's rights in this app, and the live version
 * of each report and dashboard. Null when the
 * app does not exist.
 */
export async function installedApp(
  db: Kysely<JoineryDatabase>,
  appKey: string,
): Promise<AppPackage | null> {
  const app = await db
    .selectFrom('joinery.apps')
    .select(['id', 'label', 'description'])
    .where('key', '=', appKey)
    .executeTakeFirst();
  if (!app) return null;
  const forms = await db
    .selectFrom('joinery.forms as f')
    .innerJoin('joinery.form_versions as v', (join) =>
      join.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.published_version'),
    )
    .select(['f.key', 'v.definition'])
    .where('f.app_id', '=', app.id)
    .orderBy('f.created_at')
    .orderBy('f.key')
    .execute();
  const workflows = await (db as unknown as Kysely<WorkflowDatabase>)
    .selectFrom('joinery.workflow_definitions')
    .select(['key', 'version', 'definition'])
    .where('app', '=', appKey)
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
  const newest = new Map<string, PackagedWorkflow>();
  for (const row of workflows) {
    if (!newest.has(row.key)) newest.set(row.key, row.definition as PackagedWorkflow);
  }
  const rules = await automationDb(db)
    .selectFrom('joinery.automation_rules')
    .select('definition')
    .where('app_id', '=', app.id)
    .orderBy('id')
    .execute();
  const roles = await db
    .selectFrom('joinery.roles')
    .select(['key', 'name', 'permissions'])
    .orderBy('key')
    .execute();
  const packagedRoles: PackagedRole[] = [];
  for (const role of roles) {
    const permission = (role.permissions as { apps?: Record<string, AppPermission> }).apps?.[
      appKey
    ];
    if (permission) packagedRoles.push({ key: role.key, name: role.name, permissions: permission });
  }
  const reportDb = db;
  const reports = await reportDb
    .selectFrom('joinery.reports')
    .select(['key', 'definition'])
    .where('app_id', '=', app.id)
    .orderBy('key')
    .execute();
  const dashboards = await reportDb
    .selectFrom('joinery.dashboards')
    .select(['key', 'definition'])
    .where('app_id', '=', app.id)
    .orderBy('key')
    .execute();
  const description = app.description as LocalizedText | null;
  const ordered = publishOrder(forms.map((form) => form.definition as FormDefinition));
  return {
    manifest: {
      format: APP_PACKAGE_FORMAT,
      formatVersion: 1,
      key: appKey,
      label: app.label as LocalizedText,
      ...(description && { description }),
      forms: ordered.map((form) => form.key),
    },
    forms: ordered,
    workflows: [...newest.values()].sort((a, b) => a.id.localeCompare(b.id)),
    rules: rules.map((row) => row.definition as AutomationRule),
    roles: packagedRoles,
    reports: reports.map((row) => ({ key: row.key, definition: row.definition })),
    dashboards: dashboards.map((row) => ({ key: row.key, definition: row.definition })),
  };
}

/** {@link installedApp}, or `JNY_APP_NOT_FOUND`. */
export async function exportApp(db: Kysely<JoineryDatabase>, appKey: string): Promise<AppPackage> {
  const pkg = await installedApp(db, appKey);
  if (!pkg) throw new JoineryError('JNY_APP_NOT_FOUND', { app: appKey });
  return pkg;
}

/**
 * Forms in an order they can be published in: each after the forms its relations point at
 * (forms created in one transaction share a timestamp, so creation order alone is not enough).
 */
export function publishOrder(forms: readonly FormDefinition[]): FormDefinition[] {
  const byKey = new Map(forms.map((form) => [form.key, form]));
  const done = new Set<string>();
  const ordered: FormDefinition[] = [];
  const visit = (form: FormDefinition, path: ReadonlySet<string>) => {
    if (done.has(form.key) || path.has(form.key)) return;
    const inPath = new Set(path).add(form.key);
    for (const field of form.fields) {
      const target = field.type === 'relation' ? byKey.get(String(field.config?.form)) : undefined;
      if (target) visit(target, inPath);
    }
    done.add(form.key);
    ordered.push(form);
  };
  for (const form of forms) visit(form, new Set());
  return ordered;
}
