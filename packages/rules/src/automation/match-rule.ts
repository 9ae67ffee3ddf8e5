import { type CompiledLogic, compileLogic } from '../compile-logic.ts';
import type { LogicContext } from '../logic-context.ts';
import { truthy } from '../truthy.ts';
import type {
  AutomationEvent,
  AutomationEventContext,
  AutomationRule,
  RecordData,
} from './automation-rule.ts';

/** Conditions compiled once per (frozen) rule object. */
const compiledConditions = new WeakMap<AutomationRule, CompiledLogic>();

function conditionOf(rule: AutomationRule): CompiledLogic {
  let compiled = compiledConditions.get(rule);
  if (!compiled) {
    compiled = compileLogic(rule.condition === undefined ? true : rule.condition);
    compiledConditions.set(rule, compiled);
  }
  return compiled;
}

/** JSON equality, for `from`/`to` of `field.changed` and for detecting a change. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every(
      (key) => Object.hasOwn(b, key) && sameJson((a as RecordData)[key], (b as RecordData)[key]),
    )
  );
}

function field(record: RecordData | null, name: string): unknown {
  return record && Object.hasOwn(record, name) ? (record[name] ?? null) : null;
}

function changed(old: RecordData | null, next: RecordData, name: string): boolean {
  return !sameJson(field(old, name), field(next, name));
}

/** Whether the trigger fits the event, before the condition. */
function triggerFits(rule: AutomationRule, event: AutomationEvent): boolean {
  const trigger = rule.trigger;
  switch (trigger.kind) {
    case 'record.created':
    case 'record.deleted':
      return event.kind === trigger.kind && event.form === trigger.form;
    case 'record.updated':
      return (
        event.kind === 'record.updated' &&
        event.form === trigger.form &&
        (trigger.fields === undefined ||
          trigger.fields.some((name) => changed(event.old, event.record, name)))
      );
    case 'field.changed': {
      if (event.kind !== 'record.updated' && event.kind !== 'record.created') return false;
      if (event.form !== trigger.form) return false;
      const old = event.kind === 'record.updated' ? event.old : null;
      if (!changed(old, event.record, trigger.field)) return false;
      if ('from' in trigger && !sameJson(field(old, trigger.field), trigger.from)) return false;
      return !('to' in trigger) || sameJson(field(event.record, trigger.field), trigger.to);
    }
    case 'schedule':
      return event.kind === 'schedule' && event.ruleId === rule.id;
    case 'workflow.event':
      return (
        event.kind === 'workflow.event' &&
        event.event === trigger.event &&
        (trigger.workflow === undefined || trigger.workflow === event.workflow)
      );
    case 'webhook':
      return event.kind === 'webhook' && event.hook === trigger.hook;
    case 'date.relative':
      return event.kind === 'date.relative' && event.ruleId === rule.id;
  }
}

/** The data and the `$old`/`$new` the condition sees for an event. */
function conditionInput(event: AutomationEvent): {
  data: unknown;
  old: RecordData | null;
  next: RecordData | null;
} {
  switch (event.kind) {
    case 'record.created':
      return { data: event.record, old: null, next: event.record };
    case 'record.updated':
      return { data: event.record, old: event.old, next: event.record };
    case 'record.deleted':
      return { data: event.old, old: event.old, next: null };
    case 'workflow.event':
      return { data: event.record ?? null, old: null, next: event.record ?? null };
    case 'webhook':
      return { data: event.payload, old: null, next: null };
    case 'schedule':
      return { data: null, old: null, next: null };
    case 'date.relative':
      return { data: event.record, old: null, next: event.record };
  }
}

/**
 * True when an enabled rule's trigger fits the event and its condition holds. The condition
 * reads the record (the new one; the old one for deletions; the payload for webhooks; the record
 * or row as it stands at fire time for date triggers) and
 * `$old`, `$new`, `$user`, `$now`. Pure: it decides, the runtime acts.
 */
export function matchRule(
  rule: AutomationRule,
  event: AutomationEvent,
  context: AutomationEventContext = {},
): boolean {
  if (!rule.enabled || !triggerFits(rule, event)) return false;
  const { data, old, next } = conditionInput(event);
  const logicContext: LogicContext = {
    ...(context.user ? { user: context.user } : {}),
    ...(context.now ? { now: context.now } : {}),
    ...(context.utcOffsetMinutes !== undefined
      ? { utcOffsetMinutes: context.utcOffsetMinutes }
      : {}),
    old,
    new: next,
  };
  return truthy(conditionOf(rule)(data, logicContext));
}
