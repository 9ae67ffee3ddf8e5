import { describe, expect, it } from 'vitest';
import { type DateRelativeTrigger, matchRule, validateAutomationRule } from '../index.ts';

const rule = (trigger: unknown, actions: unknown[]) => ({
  id: 'r1',
  version: 1,
  name: 'n',
  enabled: true,
  trigger,
  actions,
});
const created = { kind: 'record.created', form: 'loan_application' };
const refuse = {
  type: 'refuse',
  message: { 'zh-CN': '客户在黑名单中', en: 'The customer is blacklisted' },
};

const problemOf = (input: unknown) => {
  try {
    validateAutomationRule(input);
    return undefined;
  } catch (error) {
    return (error as { params: { path: string } }).params.path;
  }
};

describe('validateAutomationRule: refuse', () => {
  it('accepts a refusal with both messages under a record-write trigger', () => {
    const valid = validateAutomationRule(rule(created, [refuse]));
    expect(valid.actions[0]).toEqual(refuse);
    for (const kind of ['record.updated', 'record.deleted']) {
      expect(problemOf(rule({ kind, form: 'f' }, [refuse]))).toBeUndefined();
    }
  });

  it('needs both languages and a trigger that writes a record', () => {
    expect(problemOf(rule(created, [{ type: 'refuse', message: { en: 'x' } }]))).toBe(
      '/actions/0/message/zh-CN',
    );
    expect(problemOf(rule(created, [{ type: 'refuse', message: 'no' }]))).toBe(
      '/actions/0/message',
    );
    expect(
      problemOf(rule(created, [{ ...refuse, message: { ...refuse.message, fr: 'non' } }])),
    ).toBe('/actions/0/message/fr');
    expect(problemOf(rule({ kind: 'schedule', cron: '@daily' }, [refuse]))).toBe('/actions/0');
    expect(problemOf(rule({ kind: 'webhook', hook: 'h' }, [refuse]))).toBe('/actions/0');
  });
});

describe('validateAutomationRule: open_task deadline', () => {
  const task = (deadline: unknown) => ({ type: 'open_task', title: 'Call', deadline });

  it('accepts days and hours as JSON-logic, after now or after a date field', () => {
    const byGrade = { if: [{ '==': [{ var: 'grade' }, 'A'] }, 1, null] };
    expect(problemOf(rule(created, [task({ days: byGrade })]))).toBeUndefined();
    expect(
      problemOf(rule(created, [task({ field: 'due_date', days: -1, hours: 18, timeZone: 'UTC' })])),
    ).toBeUndefined();
  });

  it('refuses a deadline without an amount, bad logic, zones and properties', () => {
    expect(problemOf(rule(created, [task({ field: 'due_date' })]))).toBe('/actions/0/deadline');
    expect(problemOf(rule(created, [task({ days: { nope: [] } })]))).toBe(
      '/actions/0/deadline/days/nope',
    );
    expect(problemOf(rule(created, [task({ hours: 2, timeZone: 'Nowhere' })]))).toBe(
      '/actions/0/deadline/timeZone',
    );
    expect(problemOf(rule(created, [task({ hours: 2, minutes: 5 })]))).toBe(
      '/actions/0/deadline/minutes',
    );
    expect(problemOf(rule(created, [task(3)]))).toBe('/actions/0/deadline');
  });
});

const dateTrigger = (extra: Partial<DateRelativeTrigger> = {}): DateRelativeTrigger => ({
  kind: 'date.relative',
  form: 'contract',
  subform: 'repayment_schedule',
  field: 'due_date',
  offsetDays: -3,
  ...extra,
});
const conditioned = (t: unknown, condition: unknown) => ({ ...rule(t, []), condition });

describe('date-relative triggers: validation and matching', () => {
  it('accepts a complete trigger and matches only its own rule id', () => {
    const valid = validateAutomationRule(
      conditioned(dateTrigger({ at: '18:30', timeZone: 'Asia/Shanghai' }), {
        '!=': [{ var: 'status' }, 'paid'],
      }),
    );
    const event = { kind: 'date.relative' as const, ruleId: 'r1', record: { status: 'pending' } };
    expect(matchRule(valid, event)).toBe(true);
    expect(matchRule(valid, { ...event, record: { status: 'paid' } })).toBe(false);
    expect(matchRule(valid, { ...event, ruleId: 'r2' })).toBe(false);
    expect(matchRule(valid, { kind: 'schedule', ruleId: 'r1' })).toBe(false);
  });

  it('refuses bad offsets, times, zones and unknown properties with their path', () => {
    expect(problemOf(rule(dateTrigger({ offsetDays: 1.5 }), []))).toBe('/trigger/offsetDays');
    expect(problemOf(rule(dateTrigger({ offsetDays: 4000 }), []))).toBe('/trigger/offsetDays');
    expect(problemOf(rule({ ...dateTrigger(), offsetDays: '3' }, []))).toBe('/trigger/offsetDays');
    expect(problemOf(rule(dateTrigger({ at: '24:00' }), []))).toBe('/trigger/at');
    expect(problemOf(rule(dateTrigger({ at: '9:00' }), []))).toBe('/trigger/at');
    expect(problemOf(rule(dateTrigger({ timeZone: 'Mars/Olympus' }), []))).toBe(
      '/trigger/timeZone',
    );
    expect(problemOf(rule({ ...dateTrigger(), field: '' }, []))).toBe('/trigger/field');
    expect(problemOf(rule({ ...dateTrigger(), every: 'day' }, []))).toBe('/trigger/every');
  });
});

describe('validateAutomationRule: set_rows and assign_owner into a field', () => {
  const schedule = {
    loan_schedule: [1000, 12, 3, 'equal_principal', { var: 'disbursed_on' }],
  };

  it('accepts rows from JSON-logic, with or without a relation and values per row', () => {
    const setRows = {
      type: 'set_rows',
      relation: 'contract',
      subform: 'repayment_schedule',
      rows: schedule,
      values: { period: { var: 'period' }, status: 'pending' },
    };
    expect(validateAutomationRule(rule(created, [setRows])).actions[0]).toEqual(setRows);
    expect(
      problemOf(rule(created, [{ type: 'set_rows', subform: 's', rows: { var: 'items' } }])),
    ).toBeUndefined();
  });

  it('names the bad part of a set_rows action', () => {
    expect(problemOf(rule(created, [{ type: 'set_rows', rows: schedule }]))).toBe(
      '/actions/0/subform',
    );
    expect(problemOf(rule(created, [{ type: 'set_rows', subform: 's' }]))).toBe('/actions/0/rows');
    expect(problemOf(rule(created, [{ type: 'set_rows', subform: 's', rows: { nope: [] } }]))).toBe(
      '/actions/0/rows/nope',
    );
    expect(
      problemOf(
        rule(created, [{ type: 'set_rows', subform: 's', rows: [], values: { a: { nope: [] } } }]),
      ),
    ).toBe('/actions/0/values/a/nope');
    expect(problemOf(rule(created, [{ type: 'set_rows', subform: 's', rows: [], to: 'x' }]))).toBe(
      '/actions/0/to',
    );
  });

  it('lets assign_owner name a field for the chosen member', () => {
    const assign = { type: 'assign_owner', team: 'role:collector', strategy: 'least_loaded' };
    expect(problemOf(rule(created, [{ ...assign, field: 'collector' }]))).toBeUndefined();
    expect(problemOf(rule(created, [{ ...assign, field: '' }]))).toBe('/actions/0/field');
  });
});
