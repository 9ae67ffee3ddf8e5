import { isJoineryError, JoineryError } from '@joinery/shared';
import { compileLogic } from '../compile-logic.ts';
import {
  ACTION_TYPES,
  type AutomationAction,
  type AutomationRule,
  TRIGGER_KINDS,
} from './automation-rule.ts';
import { cronProblem } from './cron-expression.ts';
import { isTimeZone } from './date-trigger.ts';

type Json = Readonly<Record<string, unknown>>;

function invalid(reason: string, path: string): never {
  throw new JoineryError('JNY_RULE_AUTOMATION_INVALID', { reason, path });
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('expected an object', path);
  }
  return value as Json;
}

function text(source: Json, key: string, path: string, optional = false): string | undefined {
  const value = source[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500) {
    return invalid(`"${key}" must be a non-empty string`, `${path}/${key}`);
  }
  return value;
}

function only(source: Json, keys: readonly string[], path: string): void {
  for (const key of Object.keys(source)) {
    if (!keys.includes(key)) invalid(`unknown property "${key}"`, `${path}/${key}`);
  }
}

/** Compiles a JSON-logic expression, re-raising its error under the rule's path. */
function logic(expression: unknown, path: string): void {
  try {
    compileLogic(expression);
  } catch (error) {
    if (!isJoineryError(error)) throw error;
    const inner = typeof error.params.path === 'string' ? error.params.path : '';
    invalid(error.message, `${path}${inner}`);
  }
}

function values(source: Json, key: string, path: string): void {
  const map = object(source[key], `${path}/${key}`);
  for (const [field, expression] of Object.entries(map))
    logic(expression, `${path}/${key}/${field}`);
}

function zone(source: Json, path: string): void {
  const name = text(source, 'timeZone', path, true);
  if (name !== undefined && !isTimeZone(name)) {
    invalid(`unknown time zone ${name}`, `${path}/timeZone`);
  }
}

function integer(source: Json, key: string, limit: number, path: string): void {
  const value = source[key];
  if (!Number.isInteger(value) || Math.abs(value as number) > limit) {
    invalid(`"${key}" must be a whole number from -${limit} to ${limit}`, `${path}/${key}`);
  }
}

function dateTrigger(t: Json, path: string): void {
  only(t, ['kind', 'form', 'subform', 'field', 'offsetDays', 'at', 'timeZone'], path);
  text(t, 'form', path);
  text(t, 'subform', path, true);
  text(t, 'field', path);
  integer(t, 'offsetDays', 3650, path);
  const at = text(t, 'at', path, true);
  if (at !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) {
    invalid('"at" must be a time of day HH:MM', `${path}/at`);
  }
  zone(t, path);
}

function deadline(value: unknown, path: string): void {
  const d = object(value, path);
  only(d, ['field', 'days', 'hours', 'timeZone'], path);
  text(d, 'field', path, true);
  if (d.days === undefined && d.hours === undefined) {
    invalid('a deadline needs "days" or "hours"', path);
  }
  if (d.days !== undefined) logic(d.days, `${path}/days`);
  if (d.hours !== undefined) logic(d.hours, `${path}/hours`);
  zone(d, path);
}

function message(value: unknown, path: string): void {
  const m = object(value, path);
  only(m, ['zh-CN', 'en'], path);
  text(m, 'zh-CN', path);
  text(m, 'en', path);
}

/** The triggers a `refuse` action can stop: a record write, before it commits. */
const REFUSABLE = new Set(['record.created', 'record.updated', 'field.changed', 'record.deleted']);

function trigger(value: unknown, path: string): void {
  const t = object(value, path);
  const kind = t.kind;
  if (!TRIGGER_KINDS.includes(kind as (typeof TRIGGER_KINDS)[number])) {
    invalid(`unknown trigger kind ${String(kind)}`, `${path}/kind`);
  }
  switch (kind) {
    case 'record.created':
    case 'record.deleted':
      only(t, ['kind', 'form'], path);
      text(t, 'form', path);
      return;
    case 'record.updated':
      only(t, ['kind', 'form', 'fields'], path);
      text(t, 'form', path);
      if (
        t.fields !== undefined &&
        !(Array.isArray(t.fields) && t.fields.every((f) => typeof f === 'string'))
      ) {
        invalid('"fields" must be a list of field names', `${path}/fields`);
      }
      return;
    case 'field.changed':
      only(t, ['kind', 'form', 'field', 'from', 'to'], path);
      text(t, 'form', path);
      text(t, 'field', path);
      return;
    case 'schedule': {
      only(t, ['kind', 'cron', 'timeZone'], path);
      const problem = cronProblem(text(t, 'cron', path) ?? '');
      if (problem) invalid(`invalid cron: ${problem}`, `${path}/cron`);
      text(t, 'timeZone', path, true);
      return;
    }
    case 'workflow.event':
      only(t, ['kind', 'workflow', 'event'], path);
      text(t, 'workflow', path, true);
      text(t, 'event', path);
      return;
    case 'webhook':
      only(t, ['kind', 'hook'], path);
      text(t, 'hook', path);
      return;
    case 'date.relative':
      dateTrigger(t, path);
      return;
  }
}

function action(value: unknown, path: string): void {
  const a = object(value, path);
  const type = a.type as AutomationAction['type'];
  if (!ACTION_TYPES.includes(type)) invalid(`unknown action type ${String(type)}`, `${path}/type`);
  switch (type) {
    case 'set_fields':
      only(a, ['type', 'values'], path);
      values(a, 'values', path);
      return;
    case 'create_record':
      only(a, ['type', 'form', 'values'], path);
      text(a, 'form', path);
      values(a, 'values', path);
      return;
    case 'update_related':
      only(a, ['type', 'relation', 'values'], path);
      text(a, 'relation', path);
      values(a, 'values', path);
      return;
    case 'start_workflow':
      only(a, ['type', 'workflow'], path);
      text(a, 'workflow', path);
      return;
    case 'open_task':
      only(a, ['type', 'title', 'assignee', 'deadline'], path);
      text(a, 'title', path);
      if (a.assignee !== undefined) logic(a.assignee, `${path}/assignee`);
      if (a.deadline !== undefined) deadline(a.deadline, `${path}/deadline`);
      return;
    case 'notify':
      only(a, ['type', 'to', 'message'], path);
      text(a, 'message', path);
      logic(a.to, `${path}/to`);
      return;
    case 'call_webhook': {
      only(a, ['type', 'url', 'body'], path);
      const url = text(a, 'url', path) ?? '';
      if (!/^https?:\/\/[^\s]+$/i.test(url)) invalid('"url" must be an http(s) URL', `${path}/url`);
      if (a.body !== undefined) values(a, 'body', path);
      return;
    }
    case 'assign_owner':
      only(a, ['type', 'team', 'strategy', 'field'], path);
      text(a, 'team', path);
      text(a, 'field', path, true);
      if (a.strategy !== 'round_robin' && a.strategy !== 'least_loaded') {
        invalid('"strategy" must be round_robin or least_loaded', `${path}/strategy`);
      }
      return;
    case 'set_rows':
      only(a, ['type', 'subform', 'relation', 'rows', 'values'], path);
      text(a, 'subform', path);
      text(a, 'relation', path, true);
      if (a.rows === undefined) invalid('"rows" must give a list', `${path}/rows`);
      logic(a.rows, `${path}/rows`);
      if (a.values !== undefined) values(a, 'values', path);
      return;
    case 'refuse':
      only(a, ['type', 'message'], path);
      message(a.message, `${path}/message`);
      return;
  }
}

/** Freezes a validated definition all the way down (published definitions are immutable). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Checks an automation rule received as JSON and returns it typed and deep-frozen (a copy).
 * Every JSON-logic part (condition, action values, deadlines) is compiled, the cron of a
 * schedule, the offset, time and zone of a date trigger are checked, and `refuse` is accepted only
 * under record-write triggers. Throws `JNY_RULE_AUTOMATION_INVALID` with the JSON pointer of the first problem.
 */
export function validateAutomationRule(input: unknown): AutomationRule {
  const rule = object(structuredClone(input), '');
  only(rule, ['id', 'version', 'name', 'enabled', 'trigger', 'condition', 'actions'], '');
  text(rule, 'id', '');
  text(rule, 'name', '');
  if (rule.version !== 1) invalid('"version" must be 1', '/version');
  if (typeof rule.enabled !== 'boolean') invalid('"enabled" must be a boolean', '/enabled');
  trigger(rule.trigger, '/trigger');
  if (rule.condition !== undefined) logic(rule.condition, '/condition');
  if (!Array.isArray(rule.actions) || rule.actions.length > 50) {
    invalid('"actions" must be a list of at most 50 actions', '/actions');
  }
  for (const [index, item] of rule.actions.entries()) {
    action(item, `/actions/${index}`);
    const kind = String((rule.trigger as Json).kind);
    if ((item as Json).type === 'refuse' && !REFUSABLE.has(kind)) {
      invalid(`refuse stops a record write, and a ${kind} trigger has none`, `/actions/${index}`);
    }
  }
  return deepFreeze(rule as unknown as AutomationRule);
}
