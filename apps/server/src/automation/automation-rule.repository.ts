import { type AutomationRule, validateAutomationRule } from '@joinery/rules';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { executePrepared } from '../database/prepared.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { type AutomationDatabase, automationDb } from './automation-tables.ts';

/** A rule as stored: the frozen definition plus what the runtime needs around it. */
export interface StoredRule {
  readonly id: string;
  readonly appId: string;
  readonly appKey: string;
  readonly revision: number;
  /** Who wrote the rule: system runs (schedules, webhooks) are attributed to them. */
  readonly createdBy: string | null;
  readonly rule: AutomationRule;
  /** The same rule without its condition: whether the trigger fits, before the condition. */
  readonly triggerOnly: AutomationRule;
}

interface RuleRow {
  id: string;
  app_id: string;
  app_key: string;
  revision: number;
  created_by: string | null;
  definition: unknown;
}

/** Parsed rules by id and revision: definitions are re-validated (and compiled) once. */
const parsed = new Map<string, StoredRule>();

function toStored(row: RuleRow): StoredRule {
  const cacheKey = `${row.id}@${row.revision}`;
  const known = parsed.get(cacheKey);
  if (known && known.appKey === row.app_key && known.createdBy === row.created_by) return known;
  // Stored definitions were validated when saved; validating again freezes a private copy.
  const rule = validateAutomationRule(row.definition);
  const { condition: _condition, ...rest } = rule;
  const stored: StoredRule = Object.freeze({
    id: row.id,
    appId: row.app_id,
    appKey: row.app_key,
    revision: row.revision,
    createdBy: row.created_by,
    rule,
    triggerOnly: Object.freeze(rest),
  });
  if (parsed.size > 5000) parsed.clear();
  parsed.set(cacheKey, stored);
  return stored;
}

function rulesQuery(db: Kysely<AutomationDatabase>) {
  return db
    .selectFrom('joinery.automation_rules as r')
    .innerJoin('joinery.apps as a', 'a.id', 'r.app_id')
    .select(['r.id', 'r.app_id', 'a.key as app_key', 'r.revision', 'r.created_by', 'r.definition']);
}

/**
 * The enabled rules that watch writes of a form (one indexed read per record write). Date-relative
 * rules name a form too but fire from their scans, never on a write.
 */
export async function rulesForForm(
  db: Kysely<JoineryDatabase>,
  appId: string,
  form: string,
): Promise<StoredRule[]> {
  const rows = await rulesQuery(automationDb(db))
    .where('r.app_id', '=', appId)
    .where('r.trigger_form', '=', form)
    .where('r.trigger_kind', '!=', 'date.relative')
    .where('r.enabled', '=', true)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map(toStored);
}

/**
 * SQL true when an enabled rule watches writes of a form — what `rulesForForm` would find — for
 * a one-statement create to test as it runs.
 */
export function formWatched(appId: string, form: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`EXISTS (
    SELECT 1 FROM joinery.automation_rules
    WHERE app_id = ${appId}::uuid AND trigger_form = ${form}::text
      AND trigger_kind <> 'date.relative' AND enabled)`;
}

/** `formWatched` asked on its own, as one prepared statement that reads no definitions. */
export async function formIsWatched(
  db: Kysely<JoineryDatabase>,
  appId: string,
  form: string,
): Promise<boolean> {
  const [row] = await executePrepared<{ watched: boolean }>(
    db,
    sql`SELECT ${formWatched(appId, form)} AS watched`,
  );
  return row?.watched === true;
}

/**
 * Whether any enabled rule of the app `appKey` (an SQL expression, such as the instance's `app`
 * column) listens to workflow events — what `rulesForWorkflowEvents` would find. The workflow
 * runtime reads it with the instance lock, so a step no rule listens to costs no rule query.
 */
export function workflowRulesExist(appKey: RawBuilder<string>): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM joinery.automation_rules r JOIN joinery.apps a ON a.id = r.app_id
    WHERE a.key = ${appKey} AND r.trigger_kind = 'workflow.event' AND r.enabled)`;
}

/** The enabled workflow-event rules of an app. */
export async function rulesForWorkflowEvents(
  db: Kysely<JoineryDatabase>,
  appKey: string,
): Promise<StoredRule[]> {
  const rows = await rulesQuery(automationDb(db))
    .where('a.key', '=', appKey)
    .where('r.trigger_kind', '=', 'workflow.event')
    .where('r.enabled', '=', true)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map(toStored);
}

/** One rule by id (enabled or not), with its hook secret hash; undefined when unknown. */
export async function ruleById(
  db: Kysely<JoineryDatabase>,
  id: string,
): Promise<{ stored: StoredRule; enabled: boolean; hookSecretHash: string | null } | undefined> {
  const row = await rulesQuery(automationDb(db))
    .select(['r.enabled', 'r.hook_secret_hash'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return { stored: toStored(row), enabled: row.enabled, hookSecretHash: row.hook_secret_hash };
}
