import { describe, expect, it } from 'vitest';
import { type AutomationEvent, matchRule, validateAutomationRule } from '../index.ts';

const gradeChanged = validateAutomationRule({
  id: 'r1',
  version: 1,
  name: 'Follow up when the grade drops',
  enabled: true,
  trigger: { kind: 'field.changed', form: 'loans', field: 'grade', to: 'C' },
  condition: { and: [{ '==': [{ var: '$old.grade' }, 'A'] }, { '>': [{ var: 'amount' }, 1000] }] },
  actions: [{ type: 'open_task', title: 'Call the customer', assignee: { var: 'owner' } }],
});

const updated = (
  old: Record<string, unknown>,
  record: Record<string, unknown>,
): AutomationEvent => ({
  kind: 'record.updated',
  form: 'loans',
  old,
  record,
});

describe('matchRule', () => {
  it('fires on a field change from → to when the condition over old and new holds', () => {
    expect(
      matchRule(gradeChanged, updated({ grade: 'A', amount: 5000 }, { grade: 'C', amount: 5000 })),
    ).toBe(true);
    expect(
      matchRule(gradeChanged, updated({ grade: 'B', amount: 5000 }, { grade: 'C', amount: 5000 })),
    ).toBe(false);
    expect(
      matchRule(gradeChanged, updated({ grade: 'A', amount: 5 }, { grade: 'C', amount: 5 })),
    ).toBe(false);
    expect(
      matchRule(gradeChanged, updated({ grade: 'C', amount: 5000 }, { grade: 'C', amount: 9 })),
    ).toBe(false);
    expect(
      matchRule(gradeChanged, {
        kind: 'record.updated',
        form: 'other',
        old: { grade: 'A' },
        record: { grade: 'C', amount: 5000 },
      }),
    ).toBe(false);
  });

  it('honours from, the updated-fields filter, deletions and disabled rules', () => {
    const base = { id: 'r', version: 1, name: 'n', enabled: true, actions: [] };
    const from = validateAutomationRule({
      ...base,
      trigger: { kind: 'field.changed', form: 'f', field: 's', from: null },
    });
    expect(matchRule(from, { kind: 'record.created', form: 'f', record: { s: 'new' } })).toBe(true);
    expect(
      matchRule(from, { kind: 'record.updated', form: 'f', old: { s: 'x' }, record: { s: 'y' } }),
    ).toBe(false);
    const fields = validateAutomationRule({
      ...base,
      trigger: { kind: 'record.updated', form: 'f', fields: ['tags'] },
    });
    expect(
      matchRule(fields, {
        kind: 'record.updated',
        form: 'f',
        old: { tags: ['a'] },
        record: { tags: ['a'] },
      }),
    ).toBe(false);
    expect(
      matchRule(fields, {
        kind: 'record.updated',
        form: 'f',
        old: { tags: ['a'] },
        record: { tags: ['b'] },
      }),
    ).toBe(true);
    const deleted = validateAutomationRule({
      ...base,
      trigger: { kind: 'record.deleted', form: 'f' },
      condition: { '==': [{ var: '$old.s' }, 1] },
    });
    expect(matchRule(deleted, { kind: 'record.deleted', form: 'f', old: { s: 1 } })).toBe(true);
    const off = validateAutomationRule({
      ...base,
      enabled: false,
      trigger: { kind: 'record.deleted', form: 'f' },
    });
    expect(matchRule(off, { kind: 'record.deleted', form: 'f', old: {} })).toBe(false);
  });

  it('matches schedules, workflow events and webhooks', () => {
    const base = { version: 1, name: 'n', enabled: true, actions: [] };
    const daily = validateAutomationRule({
      ...base,
      id: 'daily',
      trigger: { kind: 'schedule', cron: '0 9 * * MON-FRI' },
    });
    expect(matchRule(daily, { kind: 'schedule', ruleId: 'daily' })).toBe(true);
    expect(matchRule(daily, { kind: 'schedule', ruleId: 'other' })).toBe(false);
    const flow = validateAutomationRule({
      ...base,
      id: 'w',
      trigger: { kind: 'workflow.event', event: 'completed' },
      condition: { '>': [{ var: 'amount' }, 10] },
    });
    expect(
      matchRule(flow, {
        kind: 'workflow.event',
        workflow: 'approval',
        event: 'completed',
        record: { amount: 11 },
      }),
    ).toBe(true);
    const hook = validateAutomationRule({
      ...base,
      id: 'h',
      trigger: { kind: 'webhook', hook: 'crm' },
      condition: { '==': [{ var: 'type' }, 'lead'] },
    });
    expect(matchRule(hook, { kind: 'webhook', hook: 'crm', payload: { type: 'lead' } })).toBe(true);
    expect(matchRule(hook, { kind: 'webhook', hook: 'crm', payload: { type: 'spam' } })).toBe(
      false,
    );
  });

  it('passes $user and $now to the condition', () => {
    const mine = validateAutomationRule({
      id: 'm',
      version: 1,
      name: 'n',
      enabled: true,
      actions: [],
      trigger: { kind: 'record.created', form: 'f' },
      condition: {
        and: [
          { '==': [{ var: 'owner' }, { var: '$user.id' }] },
          { '<': [{ var: 'due' }, { var: '$now' }] },
        ],
      },
    });
    const event: AutomationEvent = {
      kind: 'record.created',
      form: 'f',
      record: { owner: 3, due: '2024-01-01' },
    };
    expect(matchRule(mine, event, { user: { id: 3 }, now: new Date('2025-01-01T00:00:00Z') })).toBe(
      true,
    );
    expect(matchRule(mine, event, { user: { id: 4 }, now: new Date('2025-01-01T00:00:00Z') })).toBe(
      false,
    );
  });
});

describe('validateAutomationRule', () => {
  const valid = {
    id: 'r',
    version: 1,
    name: 'n',
    enabled: true,
    trigger: { kind: 'record.created', form: 'loans' },
    actions: [
      { type: 'set_fields', values: { status: 'new', total: { money_add: [{ var: 'a' }, 1] } } },
      { type: 'assign_owner', team: 'sales', strategy: 'round_robin' },
      { type: 'call_webhook', url: 'https://example.com/hook' },
    ],
  };

  it('returns a deep-frozen copy', () => {
    const rule = validateAutomationRule(valid);
    expect(Object.isFrozen(rule.actions[0])).toBe(true);
    expect(rule).toEqual(valid);
    expect(rule).not.toBe(valid);
  });

  it.each([
    [{ ...valid, trigger: { kind: 'schedule', cron: '61 * * * *' } }, '/trigger/cron'],
    [{ ...valid, trigger: { kind: 'schedule', cron: 'every day' } }, '/trigger/cron'],
    [{ ...valid, trigger: { kind: 'record.exploded', form: 'x' } }, '/trigger/kind'],
    [{ ...valid, condition: { and: [{ nope: 1 }] } }, '/condition/and/0/nope'],
    [
      { ...valid, actions: [{ type: 'set_fields', values: { x: { '>': [1] } } }] },
      '/actions/0/values/x/>',
    ],
    [{ ...valid, actions: [{ type: 'launch_missiles' }] }, '/actions/0/type'],
    [
      { ...valid, actions: [{ type: 'call_webhook', url: 'file:///etc/passwd' }] },
      '/actions/0/url',
    ],
    [
      { ...valid, actions: [{ type: 'assign_owner', team: 't', strategy: 'random' }] },
      '/actions/0/strategy',
    ],
    [{ ...valid, version: 2 }, '/version'],
    [{ ...valid, extra: 1 }, '/extra'],
  ])('refuses %j at %s', (input, path) => {
    expect(() => validateAutomationRule(input)).toThrow(
      expect.objectContaining({
        code: 'JNY_RULE_AUTOMATION_INVALID',
        params: expect.objectContaining({ path }),
      }),
    );
  });
});
