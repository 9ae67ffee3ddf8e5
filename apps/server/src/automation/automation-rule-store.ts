import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type AutomationRule, validateAutomationRule } from '@joinery/rules';
import { isJoineryError, JoineryError } from '@joinery/shared';
import type { Kysely, Selectable } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { removeJob } from '../jobs/job-queue.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { scheduleJobKey, scheduleRule } from './automation-schedule.ts';
import { type AutomationRulesTable, automationDb } from './automation-tables.ts';
import { ruleFieldProblem } from './rule-field-problem.ts';

/** A rule's editable part, as an admin sends it. */
export interface RuleDraft {
  readonly name: string;
  readonly enabled?: boolean;
  readonly trigger: Readonly<Record<string, unknown>>;
  readonly condition?: unknown;
  readonly actions: readonly Readonly<Record<string, unknown>>[];
}

/** A rule as admins see it. */
export interface RuleView {
  id: string;
  app: string;
  name: string;
  enabled: boolean;
  revision: number;
  trigger: Record<string, unknown>;
  condition?: unknown;
  actions: Record<string, unknown>[];
  hookUrl: string | null;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** SHA-256 of a hook secret: only the hash is stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The form keys a rule names (trigger, created records), each with its JSON pointer. */
function namedForms(rule: AutomationRule): { form: string; path: string }[] {
  const named: { form: string; path: string }[] = [];
  if ('form' in rule.trigger) named.push({ form: rule.trigger.form, path: '/trigger/form' });
  for (const [index, action] of rule.actions.entries()) {
    if (action.type === 'create_record') {
      named.push({ form: action.form, path: `/actions/${index}/form` });
    }
  }
  return named;
}

/** Actions that act on the triggering record (`open_task` only without an explicit assignee). */
const NEEDS_RECORD = new Set([
  'set_fields',
  'update_related',
  'start_workflow',
  'assign_owner',
  'set_rows',
]);

/**
 * The first action that needs a record under a trigger that has none (a schedule, a webhook, a
 * deleted record): refused when the rule is saved rather than failing at every run.
 */
function recordlessAction(rule: AutomationRule): { reason: string; path: string } | undefined {
  const kind = rule.trigger.kind;
  if (kind !== 'schedule' && kind !== 'webhook' && kind !== 'record.deleted') return undefined;
  for (const [index, action] of rule.actions.entries()) {
    const needs =
      NEEDS_RECORD.has(action.type) ||
      (action.type === 'open_task' && action.assignee === undefined);
    if (needs) {
      return {
        reason: `${action.type} needs a record, and a ${kind} trigger has none`,
        path: `/actions/${index}/type`,
      };
    }
  }
  return undefined;
}

/**
 * Automation rules of the apps: validated by the rules engine (a refusal names the JSON
 * pointer of the problem as the error's field), forms and fields checked against the published ones,
 * schedules queued and webhook secrets hashed — each change in one transaction.
 */
export class AutomationRuleStore {
  constructor(
    private readonly db: Kysely<JoineryDatabase>,
    private readonly forms: FormRegistry,
    private readonly clock: { now(): Date },
  ) {}

  /** Validates a draft as the rule `id`; throws JNY_RULE_AUTOMATION_INVALID with the pointer. */
  async validate(app: string, id: string, draft: RuleDraft): Promise<AutomationRule> {
    let rule: AutomationRule;
    try {
      rule = validateAutomationRule({ ...draft, enabled: draft.enabled ?? true, id, version: 1 });
    } catch (error) {
      if (isJoineryError(error) && error.code === 'JNY_RULE_AUTOMATION_INVALID') {
        const path = String(error.params.path ?? '');
        throw new JoineryError(error.code, error.params, [
          { field: path, reason: String(error.params.reason ?? error.message) },
        ]);
      }
      throw error;
    }
    const problem = recordlessAction(rule);
    if (problem) {
      throw new JoineryError('JNY_RULE_AUTOMATION_INVALID', problem, [
        { field: problem.path, reason: problem.reason },
      ]);
    }
    for (const { form, path } of namedForms(rule)) {
      try {
        await this.forms.get(app, form);
      } catch (error) {
        if (!isJoineryError(error) || error.status >= 500) throw error;
        const reason = `no published form "${form}" in app "${app}"`;
        throw new JoineryError('JNY_RULE_AUTOMATION_INVALID', { reason, path }, [
          { field: path, reason },
        ]);
      }
    }
    const recordForm =
      'form' in rule.trigger ? await this.forms.get(app, rule.trigger.form) : undefined;
    const fieldProblem = ruleFieldProblem(rule, recordForm?.definition);
    if (fieldProblem) {
      throw new JoineryError('JNY_RULE_AUTOMATION_INVALID', { ...fieldProblem }, [
        { field: fieldProblem.path, reason: fieldProblem.reason },
      ]);
    }
    return rule;
  }

  async list(app: string): Promise<RuleView[]> {
    const rows = await this.rows(app).orderBy('r.created_at').orderBy('r.id').execute();
    return Promise.all(rows.map((row) => this.view(app, row)));
  }

  async get(app: string, id: string): Promise<RuleView> {
    return this.view(app, await this.row(this.db, app, id));
  }

  /** Creates a rule; a webhook rule gets a fresh secret, returned this once. */
  async create(
    app: string,
    draft: RuleDraft,
    createdBy: string,
    audit: (trx: Kysely<JoineryDatabase>, rule: RuleView) => Promise<void>,
  ): Promise<{ rule: RuleView; hookSecret: string | null }> {
    const appId = await this.appId(app);
    const id = randomUUID();
    const rule = await this.validate(app, id, draft);
    const hookSecret =
      rule.trigger.kind === 'webhook' ? randomBytes(24).toString('base64url') : null;
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      await automationDb(trx)
        .insertInto('joinery.automation_rules')
        .values({
          id,
          app_id: appId,
          name: rule.name,
          enabled: rule.enabled,
          trigger_kind: rule.trigger.kind,
          trigger_form: 'form' in rule.trigger ? rule.trigger.form : null,
          definition: JSON.stringify(rule),
          hook_secret_hash: hookSecret === null ? null : hashSecret(hookSecret),
          created_by: createdBy,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await scheduleRule(
        trx,
        { id, revision: 1, enabled: rule.enabled, trigger: rule.trigger },
        now,
      );
      const view = await this.view(app, await this.row(trx, app, id), trx);
      await audit(trx, view);
      return { rule: view, hookSecret };
    });
  }

  /** Replaces a rule's definition (or only switches it on or off); bumps its revision. */
  async update(
    app: string,
    id: string,
    change: RuleDraft | { readonly enabled: boolean },
    audit: (trx: Kysely<JoineryDatabase>, before: RuleView, after: RuleView) => Promise<void>,
  ): Promise<RuleView> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.row(trx, app, id, true);
      const before = await this.view(app, row, trx);
      const current = row.definition as RuleDraft;
      const draft: RuleDraft =
        'trigger' in change ? change : { ...current, enabled: change.enabled };
      const rule = await this.validate(app, id, {
        ...draft,
        enabled: draft.enabled ?? row.enabled,
      });
      const revision = row.revision + 1;
      const now = this.clock.now();
      const becameHook = rule.trigger.kind === 'webhook' && row.hook_secret_hash === null;
      await automationDb(trx)
        .updateTable('joinery.automation_rules')
        .set({
          name: rule.name,
          enabled: rule.enabled,
          trigger_kind: rule.trigger.kind,
          trigger_form: 'form' in rule.trigger ? rule.trigger.form : null,
          definition: JSON.stringify(rule),
          revision,
          updated_at: now,
          ...(rule.trigger.kind !== 'webhook' ? { hook_secret_hash: null } : {}),
          ...(becameHook
            ? { hook_secret_hash: hashSecret(randomBytes(24).toString('base64url')) }
            : {}),
        })
        .where('id', '=', id)
        .execute();
      await scheduleRule(trx, { id, revision, enabled: rule.enabled, trigger: rule.trigger }, now);
      const after = await this.view(app, await this.row(trx, app, id), trx);
      await audit(trx, before, after);
      return after;
    });
  }

  /** A new secret for a webhook rule (the old one stops working at once). */
  async rotateSecret(app: string, id: string): Promise<{ rule: RuleView; hookSecret: string }> {
    const row = await this.row(this.db, app, id);
    if (row.trigger_kind !== 'webhook') {
      const reason = 'only webhook rules have a secret';
      throw new JoineryError('JNY_RULE_AUTOMATION_INVALID', { reason, path: '/trigger/kind' }, [
        { field: '/trigger/kind', reason },
      ]);
    }
    const hookSecret = randomBytes(24).toString('base64url');
    await automationDb(this.db)
      .updateTable('joinery.automation_rules')
      .set({ hook_secret_hash: hashSecret(hookSecret), updated_at: this.clock.now() })
      .where('id', '=', id)
      .execute();
    return { rule: await this.get(app, id), hookSecret };
  }

  /** Deletes a rule, its run log and its waiting schedule. */
  async remove(
    app: string,
    id: string,
    audit: (trx: Kysely<JoineryDatabase>, before: RuleView) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const before = await this.view(app, await this.row(trx, app, id, true), trx);
      await removeJob(trx, scheduleJobKey(id));
      await automationDb(trx).deleteFrom('joinery.automation_rules').where('id', '=', id).execute();
      await audit(trx, before);
    });
  }

  private async appId(app: string): Promise<string> {
    const row = await this.db
      .selectFrom('joinery.apps')
      .select('id')
      .where('key', '=', app)
      .executeTakeFirst();
    if (!row) throw new JoineryError('JNY_APP_NOT_FOUND', { app });
    return row.id;
  }

  private rows(app: string, db: Kysely<JoineryDatabase> = this.db) {
    return automationDb(db)
      .selectFrom('joinery.automation_rules as r')
      .innerJoin('joinery.apps as a', 'a.id', 'r.app_id')
      .selectAll('r')
      .where('a.key', '=', app);
  }

  private async row(
    db: Kysely<JoineryDatabase>,
    app: string,
    id: string,
    lock = false,
  ): Promise<Selectable<AutomationRulesTable>> {
    const row = await this.rows(app, db)
      .where('r.id', '=', id)
      .$if(lock, (q) => q.forUpdate('r'))
      .executeTakeFirst();
    if (!row) throw new JoineryError('JNY_AUTOMATION_RULE_NOT_FOUND', { id });
    return row;
  }

  private async view(
    app: string,
    row: Selectable<AutomationRulesTable>,
    db: Kysely<JoineryDatabase> = this.db,
  ): Promise<RuleView> {
    const rule = row.definition as AutomationRule;
    let nextRunAt: string | null = null;
    if ((row.trigger_kind === 'schedule' || row.trigger_kind === 'date.relative') && row.enabled) {
      // graphile-worker's public view of waiting jobs; the key is a bound parameter.
      const job = await db
        .withTables<{ 'graphile_worker.jobs': { key: string | null; run_at: Date } }>()
        .selectFrom('graphile_worker.jobs')
        .select('run_at')
        .where('key', '=', scheduleJobKey(row.id))
        .executeTakeFirst();
      nextRunAt = job ? new Date(job.run_at).toISOString() : null;
    }
    return {
      id: row.id,
      app,
      name: row.name,
      enabled: row.enabled,
      revision: row.revision,
      trigger: { ...rule.trigger },
      ...(rule.condition === undefined ? {} : { condition: rule.condition }),
      actions: rule.actions.map((action) => ({ ...action })),
      hookUrl: row.trigger_kind === 'webhook' ? `/api/hooks/${row.id}` : null,
      nextRunAt,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}
