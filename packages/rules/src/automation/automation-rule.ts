/**
 * Automation rules as data: when something happens (the trigger) and a condition over the old
 * and new record holds, run a list of actions. This package only defines, validates and
 * matches them; the server's runtime executes the actions (in the triggering transaction or
 * through the job queue) and bounds chains of rules.
 */

/** A record of a form as JSON: field name → value. */
export type RecordData = Readonly<Record<string, unknown>>;

/** What starts a rule. `form` names the form (its key) the rule watches. */
export type AutomationTrigger =
  | { readonly kind: 'record.created'; readonly form: string }
  | {
      readonly kind: 'record.updated';
      readonly form: string;
      /** Only when one of these fields changed; any update when absent. */
      readonly fields?: readonly string[];
    }
  | {
      readonly kind: 'field.changed';
      readonly form: string;
      readonly field: string;
      /** Required old value (JSON equality); any when absent. */
      readonly from?: unknown;
      /** Required new value (JSON equality); any when absent. */
      readonly to?: unknown;
    }
  | { readonly kind: 'record.deleted'; readonly form: string }
  | {
      readonly kind: 'schedule';
      /** Five fields (minute hour day month weekday), optionally seconds first, or `@daily`… */
      readonly cron: string;
      /** IANA zone the runtime evaluates the cron in; UTC when absent. */
      readonly timeZone?: string;
    }
  | {
      readonly kind: 'workflow.event';
      /** Workflow key; any workflow when absent. */
      readonly workflow?: string;
      readonly event: string;
    }
  | { readonly kind: 'webhook'; readonly hook: string }
  | DateRelativeTrigger;

/**
 * Fires once per record (or subform row) and date value: `offsetDays` days after (before, when
 * negative) the date in `field`, at the local time `at` in `timeZone`. The runtime decides at fire
 * time (the record must still exist, hold the same date and satisfy the condition).
 */
export interface DateRelativeTrigger {
  readonly kind: 'date.relative';
  readonly form: string;
  /** A subform of `form` whose rows hold the date: the rule fires per row. */
  readonly subform?: string;
  /** A date field (of the subform's rows when `subform` is given). */
  readonly field: string;
  /** Whole days after the date (negative: before), within ±3650. */
  readonly offsetDays: number;
  /** Local time of day, `HH:MM` (24 h); `09:00` when absent. */
  readonly at?: string;
  /** IANA zone of `at` and of the calendar; `Asia/Shanghai` when absent. */
  readonly timeZone?: string;
}

/** Every trigger kind, for validators and UIs. */
export const TRIGGER_KINDS = [
  'record.created',
  'record.updated',
  'field.changed',
  'record.deleted',
  'schedule',
  'workflow.event',
  'webhook',
  'date.relative',
] as const satisfies readonly AutomationTrigger['kind'][];

/**
 * Values are JSON-logic expressions evaluated against the triggering record (with `$old`,
 * `$new`, `$user`, `$now`), so `{"var": "amount"}` copies a field and a literal sets a constant.
 */
export type ValueMap = Readonly<Record<string, unknown>>;

/** What a rule does, as data. The runtime interprets each type. */
export type AutomationAction =
  | { readonly type: 'set_fields'; readonly values: ValueMap }
  | { readonly type: 'create_record'; readonly form: string; readonly values: ValueMap }
  | {
      readonly type: 'update_related';
      readonly relation: string;
      readonly values: ValueMap;
    }
  | { readonly type: 'start_workflow'; readonly workflow: string }
  | {
      readonly type: 'open_task';
      readonly title: string;
      /** JSON-logic giving a user id; the record owner when absent. */
      readonly assignee?: unknown;
      readonly deadline?: TaskDeadline;
    }
  | { readonly type: 'notify'; readonly to: unknown; readonly message: string }
  | { readonly type: 'call_webhook'; readonly url: string; readonly body?: ValueMap }
  | {
      readonly type: 'assign_owner';
      readonly team: string;
      readonly strategy: 'round_robin' | 'least_loaded';
      /** A user field of the record that receives the chosen member too (e.g. `collector`). */
      readonly field?: string;
    }
  | SetRowsAction
  | {
      /** Refuses the triggering write: it answers 422 with the message and nothing is written. */
      readonly type: 'refuse';
      readonly message: { readonly 'zh-CN': string; readonly en: string };
    };

/**
 * Replaces the rows of a subform with one row per element of a list: `rows` is JSON-logic giving
 * the list (e.g. `loan_schedule`), `values` (optional) maps each element to the row's fields —
 * expressions read the element, with the record they were computed from as `$parent`; without
 * it each element (an object) is the row. The subform is the triggering record's, or with
 * `relation` the one of the record that relation field points to; then `rows` reads the
 * triggering record with the related one as `$related`.
 */
export interface SetRowsAction {
  readonly type: 'set_rows';
  readonly subform: string;
  readonly relation?: string;
  readonly rows: unknown;
  readonly values?: ValueMap;
}

/**
 * When an opened task is due: `days` and `hours` (JSON-logic giving numbers; none when `days`
 * gives null) after now, or after the date or datetime in `field` of the record (a date counts
 * from its local midnight in `timeZone`, `Asia/Shanghai` when absent).
 */
export interface TaskDeadline {
  readonly field?: string;
  readonly days?: unknown;
  readonly hours?: unknown;
  readonly timeZone?: string;
}

/** Every action type. */
export const ACTION_TYPES = [
  'set_fields',
  'create_record',
  'update_related',
  'start_workflow',
  'open_task',
  'notify',
  'call_webhook',
  'assign_owner',
  'set_rows',
  'refuse',
] as const satisfies readonly AutomationAction['type'][];

/** One automation rule. Published rules are frozen (see `validateAutomationRule`). */
export interface AutomationRule {
  readonly id: string;
  /** Schema version of the rule definition; a saved rule never changes meaning. */
  readonly version: 1;
  readonly name: string;
  readonly enabled: boolean;
  readonly trigger: AutomationTrigger;
  /** JSON-logic over the record and `$old`/`$new`; always true when absent. */
  readonly condition?: unknown;
  readonly actions: readonly AutomationAction[];
}

/** Something that happened, as the runtime reports it to `matchRule`. */
export type AutomationEvent =
  | { readonly kind: 'record.created'; readonly form: string; readonly record: RecordData }
  | {
      readonly kind: 'record.updated';
      readonly form: string;
      readonly old: RecordData;
      readonly record: RecordData;
    }
  | { readonly kind: 'record.deleted'; readonly form: string; readonly old: RecordData }
  | { readonly kind: 'schedule'; readonly ruleId: string }
  | {
      readonly kind: 'workflow.event';
      readonly workflow: string;
      readonly event: string;
      readonly record?: RecordData;
    }
  | { readonly kind: 'webhook'; readonly hook: string; readonly payload: unknown }
  | {
      /** A date-relative rule's moment for one record (or row, with `$parent`). */
      readonly kind: 'date.relative';
      readonly ruleId: string;
      readonly record: RecordData;
    };

/** Who and when, passed on to the condition as `$user` and `$now`. */
export interface AutomationEventContext {
  readonly user?: RecordData;
  readonly now?: Date;
  /** Minutes east of UTC of the calendar `today` counts in (see `LogicContext`). */
  readonly utcOffsetMinutes?: number;
}
