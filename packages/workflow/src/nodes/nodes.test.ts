import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow.ts';
import type { WorkflowNodeJson } from '../definition.ts';
import { n, workflowOf } from '../testing/node-builders.ts';
import { lendingOrg } from '../testing/org-fixture.ts';
import { WorkflowDriver } from '../testing/workflow-driver.ts';

function run(...nodes: WorkflowNodeJson[]): WorkflowDriver {
  return new WorkflowDriver(compileWorkflow(workflowOf(...nodes)), lendingOrg());
}

describe('start and end', () => {
  it('an end may finish rejected', () => {
    const d = run(n.start('no'), n.end('no', 'rejected')).start({});
    expect(d.outcome).toBe('rejected');
    expect(d.history.map((h) => h.action)).toEqual(['started', 'ended']);
  });
});

describe('notify (CC)', () => {
  it('notifies the resolved users and moves on at once', () => {
    const d = run(
      n.start('cc'),
      n.node('cc', 'notify', {
        to: [
          { kind: 'role', role: 'committee' },
          { kind: 'users', userIds: ['ceo', 'com1'] },
        ],
        message: 'FYI',
        next: 'a',
      }),
      n.step('a', ['rev1'], 'end'),
      n.end(),
    ).start({});
    expect(d.created).toContainEqual({
      type: 'notify',
      kind: 'cc',
      userIds: ['com1', 'com2', 'com3', 'ceo'],
      nodeId: 'cc',
      message: 'FYI',
    });
    expect(d.openNodes()).toEqual(['a']);
  });
});

describe('automated', () => {
  it('sets literal and computed fields and creates a record', () => {
    const d = run(
      n.start('auto'),
      n.node('auto', 'automated', {
        actions: [
          {
            kind: 'set-fields',
            values: { status: 'approved' },
            compute: { fee: { '*': [{ var: 'amount' }, 0.01] } },
          },
          { kind: 'create-record', form: 'contract', values: { status: 'draft' } },
        ],
        next: 'end',
      }),
      n.end(),
    ).start({ amount: 1000 });
    expect(d.record).toMatchObject({ status: 'approved', fee: 10 });
    expect(d.created).toContainEqual({
      type: 'create-record',
      key: 'i1:k2:1',
      form: 'contract',
      values: { status: 'draft' },
    });
    expect(d.outcome).toBe('approved');
  });

  const webhook = (onFailure?: 'continue' | 'stop') =>
    run(
      n.start('hook'),
      n.node('hook', 'automated', {
        actions: [{ kind: 'webhook', url: 'https://risk.example/score', awaitResult: true }],
        next: 'a',
        ...(onFailure ? { onFailure } : {}),
      }),
      n.step('a', ['rev1'], 'end'),
      n.end(),
    ).start({ amount: 5 });

  it('calls a webhook and waits for its result', () => {
    const d = webhook();
    const call = d.created.find((e) => e.type === 'call-webhook');
    expect(call).toMatchObject({
      url: 'https://risk.example/score',
      method: 'POST',
      awaitResult: true,
      body: { instanceId: 'i1', record: { amount: 5 } },
    });
    expect(d.openNodes()).toEqual([]);
    d.send({
      type: 'job-result',
      jobKey: call && 'key' in call ? call.key : '',
      ok: true,
      patch: { riskScore: 700 },
    });
    expect(d.record.riskScore).toBe(700);
    expect(d.openNodes()).toEqual(['a']);
  });

  it('stops on failure (default) or continues when so configured', () => {
    const stop = webhook();
    const key = `i1:k2:0`;
    stop.send({ type: 'job-result', jobKey: key, ok: false, error: 'HTTP 500' });
    expect(stop.openNodes()).toEqual([]);
    expect(stop.state?.tokens.k2?.status).toBe('failed');
    expect(stop.actions()).toContain('failed@hook');
    const go = webhook('continue');
    go.send({ type: 'job-result', jobKey: key, ok: false });
    expect(go.openNodes()).toEqual(['a']);
  });

  it('ignores results of unknown jobs', () => {
    const d = webhook();
    d.send({ type: 'job-result', jobKey: 'other', ok: true });
    expect(d.lastEffects).toEqual([]);
  });
});

describe('wait', () => {
  const waitFor = (wait: Record<string, unknown>) =>
    run(
      n.start('w'),
      n.node('w', 'wait', { wait, next: 'a' }),
      n.step('a', ['rev1'], 'end'),
      n.end(),
    );

  it('for a duration', () => {
    const d = waitFor({ kind: 'for', duration: 'PT1H' }).start({});
    expect(d.jobs.size).toBe(1);
    d.wait('PT59M');
    expect(d.openNodes()).toEqual([]);
    d.wait('PT1M');
    expect(d.openNodes()).toEqual(['a']);
  });

  it('until an instant, or a date field of the record; a past instant passes at once', () => {
    const d = waitFor({ kind: 'until', at: '2026-11-24T00:00:00Z' }).start({});
    expect([...d.jobs.values()][0]?.runAt).toBe('2026-11-24T00:00:00.000Z');
    const field = waitFor({ kind: 'until', field: 'effectiveOn' }).start({
      effectiveOn: '2026-12-01',
    });
    expect([...field.jobs.values()][0]?.runAt).toBe('2026-12-01T00:00:00.000Z');
    const past = waitFor({ kind: 'until', field: 'effectiveOn' }).start({
      effectiveOn: '2020-01-01',
    });
    expect(past.openNodes()).toEqual(['a']);
  });

  it('for an external event', () => {
    const d = waitFor({ kind: 'event', name: 'contract-signed' }).start({});
    d.send({ type: 'external', name: 'other' });
    expect(d.openNodes()).toEqual([]);
    d.send({ type: 'external', name: 'contract-signed', payload: { by: 'x' } });
    expect(d.openNodes()).toEqual(['a']);
    expect(d.state?.pendingEvents).toEqual([{ name: 'other' }]);
  });

  it('keeps an event that arrives before the instance waits for it', () => {
    const d = run(
      n.start('a'),
      n.step('a', ['rev1'], 'w'),
      n.node('w', 'wait', { wait: { kind: 'event', name: 'paid' }, next: 'b' }),
      n.step('b', ['rev2'], 'end'),
      n.end(),
    ).start({});
    d.send({ type: 'external', name: 'paid' });
    expect(d.state?.pendingEvents).toEqual([{ name: 'paid' }]);
    d.approve('rev1');
    expect(d.openNodes()).toEqual(['b']);
    expect(d.state?.pendingEvents).toEqual([]);
  });
});

describe('race (whichever comes first)', () => {
  const race = () =>
    run(
      n.start('r'),
      n.node('r', 'race', {
        assignees: [{ kind: 'users', userIds: ['rev1'] }],
        timer: { kind: 'for', duration: 'P2D' },
        next: 'ok',
        onTimer: 'late',
      }),
      n.step('ok', ['rev2'], 'end'),
      n.step('late', ['rev3'], 'end'),
      n.end(),
    ).start({});

  it('the task wins: the timer is cancelled', () => {
    const d = race();
    expect(d.jobs.size).toBe(1);
    d.approve('rev1');
    expect(d.openNodes()).toEqual(['ok']);
    expect(d.jobs.size).toBe(0);
    d.wait('P3D');
    expect(d.openNodes()).toEqual(['ok']);
  });

  it('the timer wins: the task is cancelled', () => {
    const d = race().wait('P2D');
    expect(d.openNodes()).toEqual(['late']);
    expect(d.actions()).toContain('timer-won@r');
  });

  it('a rejection ends the instance', () => {
    const d = race();
    d.act('rev1', { kind: 'reject', taskId: d.taskOf('rev1') });
    expect(d.outcome).toBe('rejected');
  });
});

describe('admin move of a stuck instance', () => {
  it('retries a failed webhook step by moving the instance back to it', () => {
    const d = run(
      n.start('hook'),
      n.node('hook', 'automated', {
        actions: [{ kind: 'webhook', url: 'https://x.example', awaitResult: true }],
        next: 'a',
      }),
      n.step('a', ['rev1'], 'end'),
      n.end(),
    ).start({});
    d.send({ type: 'job-result', jobKey: 'i1:k2:0', ok: false });
    expect(() => d.act('rev1', { kind: 'move', nodeId: 'hook' })).toThrow(/administrator/);
    d.act('admin', { kind: 'move', nodeId: 'hook', comment: 'retry' });
    const calls = d.created.filter((e) => e.type === 'call-webhook');
    expect(calls).toHaveLength(2);
    d.send({ type: 'job-result', jobKey: 'i1:k3:0', ok: true });
    expect(d.openNodes()).toEqual(['a']);
  });
  it('refuses nodes inside parallel branches', () => {
    const d = run(
      n.start('p'),
      n.node('p', 'split', { branches: ['a', 'b'], join: 'j' }),
      n.step('a', ['rev1'], 'j'),
      n.step('b', ['rev2'], 'j'),
      n.node('j', 'join', { split: 'p', next: 'end' }),
      n.end(),
    ).start({});
    expect(() => d.act('admin', { kind: 'move', nodeId: 'a' })).toThrow(/outside parallel/);
    d.act('admin', { kind: 'move', nodeId: 'p' });
    expect(d.openNodes()).toEqual(['a', 'b']);
  });
});
