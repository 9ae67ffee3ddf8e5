import type { AppPermission } from '@joinery/access';
import type { FormDefinition } from '@joinery/forms';
import { JoineryError, type Locale } from '@joinery/shared';
import type { Kysely, Transaction } from 'kysely';
import type { FieldCipher } from '../access/field-cipher.ts';
import { scheduleRule } from '../automation/automation-schedule.ts';
import { automationDb } from '../automation/automation-tables.ts';
import { DEFAULT_UTC_OFFSET_MINUTES } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { fromDraft, publishForm } from '../metadata/publish-form.ts';
import type { RecomputeClock } from '../records/recompute-computed.ts';
import { WorkflowDefinitions } from '../workflow/workflow-definitions.ts';
import type { WorkflowDatabase } from '../workflow/workflow-tables.ts';
import type { AppPackage } from './app-package.ts';
import { diffAppPackage, type PackageDifference } from './app-package-diff.ts';
import { inTransaction } from './in-transaction.ts';
import { installedApp } from './installed-app.ts';

/** How to import. */
export interface ImportOptions {
  /** The user recorded as publisher; the oldest administrator when absent. */
  readonly userId?: string;
  readonly locale?: Locale;
  /** Only compute the difference; change nothing. */
  readonly dryRun?: boolean;
  /** Forgets cached form versions of this process after the commit. */
  readonly forms?: FormRegistry;
  /** The business day of formulas recomputed by a publish (`DEFAULT_UTC_OFFSET_MINUTES` if absent). */
  readonly utcOffsetMinutes?: number;
}

/** What an import did (or would do): one line per added, changed or removed item. */
export interface ImportOutcome {
  readonly app: string;
  readonly differences: readonly PackageDifference[];
  readonly applied: boolean;
}

/**
 * Installs or upgrades an app from a validated package, in ONE transaction: the app row, then
 * each new or changed form published through the server's publish path (DDL and metadata
 * together), the workflows published as new versions, automation rules created, replaced or
 * deleted, and each role's rights in this app set (roles are created when missing; their
 * rights in other apps stay), reports and dashboards saved as new versions. Anything refused rolls everything back. Unchanged items are not
 * touched, so importing the same package twice changes nothing the second time. A package may
 * not leave out an installed form: an import never drops tables.
 */
export async function importApp(
  db: Kysely<JoineryDatabase>,
  pkg: AppPackage,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const appKey = pkg.manifest.key;
  const plan = async (via: Kysely<JoineryDatabase>) => {
    const differences = diffAppPackage(await installedApp(via, appKey), pkg);
    const dropped = differences.filter((d) => d.kind === 'form' && d.change === 'removed');
    if (dropped.length > 0) {
      throw new JoineryError(
        'JNY_APPPKG_INVALID',
        {
          count: dropped.length,
          first: `app.json/forms: the installed form ${dropped[0]?.key} is left out; an import never drops a form`,
        },
        dropped.map((d) => ({ field: 'app.json/forms', reason: `${d.key} is left out` })),
      );
    }
    return differences;
  };
  if (options.dryRun) return { app: appKey, differences: await plan(db), applied: false };
  const differences = await db.transaction().execute(async (trx) => {
    // Two imports of one app queue instead of interleaving their diffs.
    await trx
      .selectNoFrom((eb) =>
        eb
          .fn('pg_advisory_xact_lock', [eb.fn('hashtext', [eb.val(`app-import:${appKey}`)])])
          .as('locked'),
      )
      .execute();
    const found = await plan(trx);
    if (found.length === 0) return found;
    const userId = options.userId ?? (await publisher(trx));
    const changed = (kind: PackageDifference['kind'], key: string) =>
      found.find((d) => d.kind === kind && d.key === key);
    await upsertApp(trx, pkg, userId);
    const clock = {
      now: new Date(),
      utcOffsetMinutes: options.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES,
    };
    for (const form of pkg.forms) {
      if (changed('form', form.key))
        await publish(trx, appKey, form, userId, clock, options.locale, options.forms?.cipher);
    }
    const workflows = new WorkflowDefinitions(
      inTransaction(trx) as unknown as Kysely<WorkflowDatabase>,
    );
    for (const workflow of pkg.workflows) {
      if (changed('workflow', workflow.id)) {
        await workflows.publish(appKey, workflow.form, workflow, userId);
      }
    }
    await applyRules(trx, pkg, found, userId);
    await applyRoles(trx, pkg, found);
    await applyReports(trx, pkg, found, userId);
    return found;
  });
  if (options.forms) for (const form of pkg.forms) options.forms.invalidate(appKey, form.key);
  return { app: appKey, differences, applied: differences.length > 0 };
}

async function publisher(trx: Transaction<JoineryDatabase>): Promise<string> {
  const admin = await trx
    .selectFrom('joinery.users')
    .select('id')
    .where('is_admin', '=', true)
    .where('disabled', '=', false)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (!admin) throw new JoineryError('JNY_APPPKG_NO_PUBLISHER');
  return admin.id;
}

async function upsertApp(trx: Transaction<JoineryDatabase>, pkg: AppPackage, userId: string) {
  const { key, label, description } = pkg.manifest;
  await trx
    .insertInto('joinery.apps')
    .values({
      key,
      label: JSON.stringify(label),
      description: description ? JSON.stringify(description) : null,
      created_by: userId,
    })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        label: JSON.stringify(label),
        description: description ? JSON.stringify(description) : null,
      }),
    )
    .execute();
}

/** Saves the form as its draft and publishes it through the server's one publish path. */
async function publish(
  trx: Transaction<JoineryDatabase>,
  appKey: string,
  form: FormDefinition,
  userId: string,
  clock: RecomputeClock,
  locale: Locale = 'en',
  cipher?: FieldCipher,
) {
  const app = await trx
    .selectFrom('joinery.apps')
    .select('id')
    .where('key', '=', appKey)
    .executeTakeFirstOrThrow();
  const draft = JSON.stringify(form);
  await trx
    .insertInto('joinery.forms')
    .values({ app_id: app.id, key: form.key, draft })
    .onConflict((conflict) =>
      conflict.columns(['app_id', 'key']).doUpdateSet({ draft, draft_updated_at: new Date() }),
    )
    .execute();
  await publishForm(inTransaction(trx), {
    appKey,
    formKey: form.key,
    userId,
    locale,
    next: (live) => fromDraft(live, { ...form, version: 1 }),
    cipher,
    clock,
  });
}

async function applyRules(
  trx: Transaction<JoineryDatabase>,
  pkg: AppPackage,
  found: readonly PackageDifference[],
  userId: string,
) {
  const db = automationDb(trx);
  const app = await trx
    .selectFrom('joinery.apps')
    .select('id')
    .where('key', '=', pkg.manifest.key)
    .executeTakeFirstOrThrow();
  const now = new Date();
  for (const difference of found.filter((d) => d.kind === 'rule')) {
    const rule = pkg.rules.find((r) => r.id === difference.key);
    if (difference.change === 'removed' || !rule) {
      const old = await db
        .deleteFrom('joinery.automation_rules')
        .where('id', '=', difference.key)
        .where('app_id', '=', app.id)
        .returning(['trigger_kind'])
        .executeTakeFirst();
      if (queued(old?.trigger_kind)) {
        await scheduleRule(
          trx,
          {
            id: difference.key,
            revision: 0,
            enabled: false,
            trigger: { kind: 'schedule', cron: '@daily' },
          },
          now,
        );
      }
      continue;
    }
    const columns = {
      name: rule.name,
      enabled: rule.enabled,
      trigger_kind: rule.trigger.kind,
      trigger_form: 'form' in rule.trigger ? rule.trigger.form : null,
      definition: JSON.stringify(rule),
      updated_at: now,
    };
    const before = await db
      .selectFrom('joinery.automation_rules')
      .select('trigger_kind')
      .where('id', '=', rule.id)
      .executeTakeFirst();
    const saved = await db
      .insertInto('joinery.automation_rules')
      .values({ id: rule.id, app_id: app.id, created_by: userId, created_at: now, ...columns })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet((eb) => ({
          ...columns,
          revision: eb('joinery.automation_rules.revision', '+', 1),
        })),
      )
      .returning(['revision'])
      .executeTakeFirstOrThrow();
    // Only schedules and date-relative rules have a queued job to add, move or remove.
    if (queued(rule.trigger.kind) || queued(before?.trigger_kind)) {
      await scheduleRule(
        trx,
        { id: rule.id, revision: saved.revision, enabled: rule.enabled, trigger: rule.trigger },
        now,
      );
    }
  }
}

/** Whether rules of a trigger kind have a job on the queue (their next occurrence or scan). */
function queued(kind: string | undefined): boolean {
  return kind === 'schedule' || kind === 'date.relative';
}

async function applyRoles(
  trx: Transaction<JoineryDatabase>,
  pkg: AppPackage,
  found: readonly PackageDifference[],
) {
  const appKey = pkg.manifest.key;
  for (const difference of found.filter((d) => d.kind === 'role')) {
    const role = pkg.roles.find((r) => r.key === difference.key);
    const row = await trx
      .selectFrom('joinery.roles')
      .select(['id', 'permissions'])
      .where('key', '=', difference.key)
      .forUpdate()
      .executeTakeFirst();
    const apps: Record<string, AppPermission> = {
      ...((row?.permissions as { apps?: Record<string, AppPermission> } | undefined)?.apps ?? {}),
    };
    if (role) apps[appKey] = role.permissions;
    else delete apps[appKey];
    const permissions = JSON.stringify({ apps });
    if (row) {
      await trx
        .updateTable('joinery.roles')
        .set({
          permissions,
          ...(role && { name: JSON.stringify(role.name) }),
          updated_at: new Date(),
        })
        .where('id', '=', row.id)
        .execute();
    } else if (role) {
      await trx
        .insertInto('joinery.roles')
        .values({ key: role.key, name: JSON.stringify(role.name), permissions })
        .execute();
    }
  }
}

/** Reports and dashboards: a changed one is saved as a new version, a removed one deleted. */
async function applyReports(
  trx: Transaction<JoineryDatabase>,
  pkg: AppPackage,
  found: readonly PackageDifference[],
  userId: string,
) {
  const db = trx;
  const app = await trx
    .selectFrom('joinery.apps')
    .select('id')
    .where('key', '=', pkg.manifest.key)
    .executeTakeFirstOrThrow();
  for (const difference of found.filter((d) => d.kind === 'report')) {
    const report = pkg.reports.find((r) => r.key === difference.key);
    if (!report) {
      await db
        .deleteFrom('joinery.reports')
        .where('app_id', '=', app.id)
        .where('key', '=', difference.key)
        .execute();
      continue;
    }
    const json = JSON.stringify(report.definition);
    const row = await db
      .insertInto('joinery.reports')
      .values({ app_id: app.id, key: report.key, definition: json, updated_by: userId })
      .onConflict((oc) =>
        oc.columns(['app_id', 'key']).doUpdateSet((eb) => ({
          version: eb('joinery.reports.version', '+', 1),
          definition: json,
          updated_by: userId,
          updated_at: new Date(),
        })),
      )
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await db
      .insertInto('joinery.report_versions')
      .values({ report_id: row.id, version: row.version, definition: json, saved_by: userId })
      .execute();
  }
  for (const difference of found.filter((d) => d.kind === 'dashboard')) {
    const dashboard = pkg.dashboards.find((d) => d.key === difference.key);
    if (!dashboard) {
      await db
        .deleteFrom('joinery.dashboards')
        .where('app_id', '=', app.id)
        .where('key', '=', difference.key)
        .execute();
      continue;
    }
    const json = JSON.stringify(dashboard.definition);
    await db
      .insertInto('joinery.dashboards')
      .values({ app_id: app.id, key: dashboard.key, definition: json, updated_by: userId })
      .onConflict((oc) =>
        oc.columns(['app_id', 'key']).doUpdateSet((eb) => ({
          version: eb('joinery.dashboards.version', '+', 1),
          definition: json,
          updated_by: userId,
          updated_at: new Date(),
        })),
      )
      .execute();
  }
}
