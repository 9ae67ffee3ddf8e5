import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// Each control-flow pattern of the workflow patterns catalogue (van der Aalst et al.) that the
// issue names, run through the real HTTP API on PostgreSQL, with the job worker and test clock.

let k: WorkflowKit;
let s: Actor;
let a: Actor;
let b: Actor;
let c: Actor;
let d: Actor;
let boss: Actor;
const APP = 'demo';
const label = (text: string) => ({ 'zh-CN': text, en: text });
const FIELDS = [
  { id: 'f1', key: 'amount', type: 'money', label: label('amount') },
  {
    id: 'f2',
    key: 'flags',
    type: 'multiselect',
    label: label('flags'),
    config: { options: ['risk', 'legal'].map((value) => ({ value, label: label(value) })) },
  },
  { id: 'f3', key: 'note', type: 'text', label: label('note') },
];

async function tasksIn(instanceId: string) {
  return k.db
    .selectFrom('joinery.workflow_tasks')
    .select(['node_id', 'status', 'close_reason'])
    .where('instance_id', '=', instanceId)
    .orderBy('opened_at')
    .orderBy('task_key')
    .execute();
}

/** Publishes `nodes` as the workflow of a new form, and returns a starter for records of it. */
async function workflow(form: string, nodes: object[]) {
  await k.form(APP, form, FIELDS);
  await k.publish(APP, form, { id: `${form}-flow`, nodes });
  return async (values: Record<string, unknown> = {}) => {
    const recordId = await k.record(APP, form, { amount: '0', ...values });
    return k.start(s, APP, form, recordId);
  };
}

beforeAll(async () => {
  k = await WorkflowKit.create({ worker: true });
  boss = await k.user('boss');
  const dept = await k.department('reviews', boss.id);
  s = await k.user('submitter');
  a = await k.user('alice', { department: dept });
  b = await k.user('bob', { department: dept });
  c = await k.user('carol', { department: dept });
  d = await k.user('dave', { department: dept });
});
afterAll(() => k.close());

describe('workflow control-flow patterns through the API', () => {
  it('sequence: one step after the other, then the end', async () => {
    const start = await workflow('seq', [
      node('start', 'start', { next: 'one' }),
      step('one', [a.id], 'two'),
      step('two', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await start();
    expect(started.openTasks.map((t) => t.nodeId)).toEqual(['one']);
    const afterOne = await k.approve(started.instanceId, a);
    expect(afterOne?.openTasks.map((t) => [t.nodeId, t.assignees])).toEqual([['two', [b.id]]]);
    const done = await k.approve(started.instanceId, b);
    expect(done).toMatchObject({ status: 'finished', outcome: 'approved', openTasks: [] });
    expect(await tasksIn(started.instanceId)).toEqual([
      { node_id: 'one', status: 'closed', close_reason: 'approved' },
      { node_id: 'two', status: 'closed', close_reason: 'approved' },
    ]);
    expect(await k.timeline(started.instanceId, s)).toEqual(
      expect.arrayContaining(['started', 'approved@one', 'approved@two', 'ended@end']),
    );
  });

  it('parallel split and synchronization: both branches open at once; the join waits for both', async () => {
    const start = await workflow('par', [
      node('start', 'start', { next: 'split' }),
      node('split', 'split', { branches: ['left', 'right'], join: 'join' }),
      step('left', [a.id], 'join'),
      step('right', [b.id], 'join'),
      node('join', 'join', { split: 'split', next: 'after' }),
      step('after', [c.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await start();
    expect(started.openTasks.map((t) => t.nodeId).sort()).toEqual(['left', 'right']);
    await k.approve(started.instanceId, b);
    expect(await k.openNodes(started.instanceId)).toEqual(['left']);
    await k.approve(started.instanceId, a);
    expect(await k.openNodes(started.instanceId)).toEqual(['after']);
    await k.approve(started.instanceId, c);
    expect((await k.instance(started.instanceId)).outcome).toBe('approved');
  });

  it('exclusive choice and simple merge: one path by condition, both paths meet again', async () => {
    const start = await workflow('choice', [
      node('start', 'start', { next: 'route' }),
      node('route', 'branch', {
        branches: [{ when: { '>=': [{ var: 'amount' }, 1000] }, next: 'big' }],
        default: 'small',
      }),
      step('big', [a.id], 'final'),
      step('small', [b.id], 'final'),
      step('final', [c.id], 'end'),
      node('end', 'end'),
    ]);
    const large = await start({ amount: '5000.00' });
    const small = await start({ amount: '10.00' });
    expect(large.openTasks.map((t) => t.nodeId)).toEqual(['big']);
    expect(small.openTasks.map((t) => t.nodeId)).toEqual(['small']);
    await k.approve(large.instanceId, a);
    await k.approve(small.instanceId, b);
    expect(await k.openNodes(large.instanceId)).toEqual(['final']);
    expect(await k.openNodes(small.instanceId)).toEqual(['final']);
    await k.approve(large.instanceId, c);
    await k.approve(small.instanceId, c);
    expect((await k.instance(small.instanceId)).outcome).toBe('approved');
  });

  it('multi-choice and structured synchronizing merge: every true branch runs; the merge waits only for those', async () => {
    const start = await workflow('multi', [
      node('start', 'start', { next: 'pick' }),
      node('pick', 'branch', {
        mode: 'inclusive',
        join: 'merge',
        branches: [
          { when: { in: ['risk', { var: 'flags' }] }, next: 'risk' },
          { when: { in: ['legal', { var: 'flags' }] }, next: 'legal' },
        ],
        default: 'plain',
      }),
      step('risk', [a.id], 'merge'),
      step('legal', [b.id], 'merge'),
      step('plain', [c.id], 'merge'),
      node('merge', 'join', { split: 'pick', next: 'final' }),
      step('final', [d.id], 'end'),
      node('end', 'end'),
    ]);
    const both = await start({ flags: ['risk', 'legal'] });
    expect(both.openTasks.map((t) => t.nodeId).sort()).toEqual(['legal', 'risk']);
    await k.approve(both.instanceId, a);
    expect(await k.openNodes(both.instanceId)).toEqual(['legal']);
    await k.approve(both.instanceId, b);
    expect(await k.openNodes(both.instanceId)).toEqual(['final']);

    const one = await start({ flags: ['risk'] });
    expect(one.openTasks.map((t) => t.nodeId)).toEqual(['risk']);
    await k.approve(one.instanceId, a);
    expect(await k.openNodes(one.instanceId)).toEqual(['final']);

    const none = await start({ flags: [] });
    expect(none.openTasks.map((t) => t.nodeId)).toEqual(['plain']);
  });

  it('N-of-M partial join: continues at the second of three; the third runs on and is absorbed', async () => {
    const start = await workflow('nofm', [
      node('start', 'start', { next: 'split' }),
      node('split', 'split', { branches: ['x', 'y', 'z'], join: 'join' }),
      step('x', [a.id], 'join'),
      step('y', [b.id], 'join'),
      step('z', [c.id], 'join'),
      node('join', 'join', {
        split: 'split',
        mode: 'n-of-m',
        n: 2,
        cancelRemaining: false,
        next: 'after',
      }),
      step('after', [d.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await start();
    await k.approve(started.instanceId, a);
    expect(await k.openNodes(started.instanceId)).toEqual(['y', 'z']);
    await k.approve(started.instanceId, b);
    expect(await k.openNodes(started.instanceId)).toEqual(['after', 'z']);
    await k.approve(started.instanceId, c);
    expect(await k.openNodes(started.instanceId)).toEqual(['after']);
    const afterTasks = (await tasksIn(started.instanceId)).filter((t) => t.node_id === 'after');
    expect(afterTasks).toHaveLength(1);
  });

  it('cancelling partial join: the first of two continues and the other branch is cancelled', async () => {
    const start = await workflow('cancelling', [
      node('start', 'start', { next: 'split' }),
      node('split', 'split', { branches: ['x', 'y'], join: 'join' }),
      step('x', [a.id], 'join'),
      step('y', [b.id], 'join'),
      node('join', 'join', { split: 'split', mode: 'any', next: 'after' }),
      step('after', [c.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await start();
    const summary = await k.approve(started.instanceId, b);
    expect(summary?.openTasks.map((t) => t.nodeId)).toEqual(['after']);
    expect(await tasksIn(started.instanceId)).toEqual(
      expect.arrayContaining([
        { node_id: 'x', status: 'closed', close_reason: 'cancelled' },
        { node_id: 'y', status: 'closed', close_reason: 'approved' },
      ]),
    );
    const stale = await k.actRaw(a, started.openTasks.find((t) => t.nodeId === 'x')?.id ?? '', {
      action: 'approve',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('JNY_WORKFLOW_TASK_CLOSED');
  });

  it('multiple instances with runtime knowledge (countersign): one task per member of the role when the step opens, all must approve', async () => {
    const start = await workflow('countersign', [
      node('start', 'start', { next: 'committee' }),
      node('committee', 'approval', {
        assignees: [{ kind: 'role', role: 'panel' }],
        countersign: { kind: 'all' },
        next: 'after',
      }),
      step('after', [d.id], 'end'),
      node('end', 'end'),
    ]);
    await k.addRole(a, 'panel');
    await k.addRole(b, 'panel');
    const two = await start();
    expect(two.openTasks.map((t) => t.assignees[0]).sort()).toEqual([a.id, b.id].sort());
    await k.addRole(c, 'panel');
    const three = await start();
    expect(three.openTasks.map((t) => t.assignees[0]).sort()).toEqual([a.id, b.id, c.id].sort());
    await k.approve(three.instanceId, c, a);
    expect(await k.openNodes(three.instanceId)).toEqual(['committee']);
    await k.approve(three.instanceId, b);
    expect(await k.openNodes(three.instanceId)).toEqual(['after']);
    expect(await k.openNodes(two.instanceId)).toEqual(['committee', 'committee']);
    const rejected = await k.act(b, (await k.taskOf(b, two.instanceId)).id, {
      action: 'reject',
      comment: 'no',
    });
    expect(rejected).toMatchObject({ status: 'finished', outcome: 'rejected', openTasks: [] });
  });

  it('arbitrary cycles (return): back to an earlier step, and to the submitter who resubmits', async () => {
    const start = await workflow('cycle', [
      node('start', 'start', { next: 'first' }),
      step('first', [a.id], 'second'),
      step('second', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await start();
    const id = started.instanceId;
    await k.approve(id, a);
    const second = await k.taskOf(b, id, 'second');
    const back = await k.act(b, second.id, {
      action: 'return',
      target: { kind: 'node', nodeId: 'first' },
      comment: 'check the income again',
    });
    expect(back.openTasks.map((t) => t.nodeId)).toEqual(['first']);
    await k.approve(id, a);
    const again = await k.taskOf(b, id, 'second');
    const toSubmitter = await k.act(b, again.id, {
      action: 'return',
      target: { kind: 'submitter' },
      comment: 'missing documents',
    });
    expect(toSubmitter.status).toBe('returned');
    expect(toSubmitter.openTasks.map((t) => [t.kind, t.assignees])).toEqual([['resubmit', [s.id]]]);
    const resumed = await k.actOnInstance(s, id, { action: 'resubmit', comment: 'attached' });
    expect(resumed.status).toBe('running');
    expect(resumed.openTasks.map((t) => t.nodeId)).toEqual(['second']);
    const done = await k.approve(id, b);
    expect(done?.outcome).toBe('approved');
    expect(await k.timeline(id)).toEqual(
      expect.arrayContaining(['returned@second', 'resubmitted']),
    );
  });

  it('cancel task: a step racing a timer loses, its task is withdrawn and the flow takes the timer path', async () => {
    const start = await workflow('race', [
      node('start', 'start', { next: 'quick' }),
      node('quick', 'race', {
        assignees: [{ kind: 'users', userIds: [a.id] }],
        timer: { kind: 'for', duration: 'PT1H' },
        next: 'end',
        onTimer: 'fallback',
      }),
      step('fallback', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await start();
    expect(started.openTasks.map((t) => t.nodeId)).toEqual(['quick']);
    await k.advanceClock(2 * 3600);
    expect(await k.openNodes(started.instanceId)).toEqual(['fallback']);
    expect((await tasksIn(started.instanceId))[0]).toEqual({
      node_id: 'quick',
      status: 'closed',
      close_reason: 'cancelled',
    });
  });

  it('whichever comes first: the step approved before its timer wins, and the timer job is removed', async () => {
    const start = await workflow('racewin', [
      node('start', 'start', { next: 'quick' }),
      node('quick', 'race', {
        assignees: [{ kind: 'users', userIds: [a.id] }],
        timer: { kind: 'for', duration: 'PT1H' },
        next: 'end',
        onTimer: 'fallback',
      }),
      step('fallback', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await start();
    const done = await k.approve(started.instanceId, a);
    expect(done).toMatchObject({ status: 'finished', outcome: 'approved', openTasks: [] });
    // The cancelled timer left the queue in the step's transaction: nothing runs when it is due.
    expect(await k.advanceClock(2 * 3600)).toBe(0);
    expect(await k.timeline(started.instanceId)).not.toContain('timer-won@quick');
    expect((await tasksIn(started.instanceId)).map((t) => t.node_id)).toEqual(['quick']);
  });

  it('cancel case: an administrator cancels the whole instance; others may not', async () => {
    const start = await workflow('cancelcase', [
      node('start', 'start', { next: 'split' }),
      node('split', 'split', { branches: ['x', 'y'], join: 'join' }),
      step('x', [a.id], 'join'),
      step('y', [b.id], 'join'),
      node('join', 'join', { split: 'split', next: 'end' }),
      node('end', 'end'),
    ]);
    const started = await start();
    const refused = await k.app.inject({
      method: 'POST',
      url: `/api/workflow/instances/${started.instanceId}/actions`,
      headers: a.headers,
      payload: { action: 'cancel' },
    });
    expect(refused.statusCode).toBe(403);
    const cancelled = await k.actOnInstance(k.admin, started.instanceId, {
      action: 'cancel',
      comment: 'duplicate application',
    });
    expect(cancelled).toMatchObject({ status: 'finished', outcome: 'cancelled', openTasks: [] });
    expect((await tasksIn(started.instanceId)).map((t) => t.close_reason)).toEqual([
      'cancelled',
      'cancelled',
    ]);
  });

  it('deadline-triggered escalation: a reminder before the deadline, then the task goes to the manager', async () => {
    const start = await workflow('deadline', [
      node('start', 'start', { next: 'review' }),
      step('review', [a.id], 'end', {
        deadline: { after: 'P1D', reminderBefore: 'PT4H', escalation: 'manager' },
      }),
      node('end', 'end'),
    ]);
    const started = await start();
    const id = started.instanceId;
    expect(started.openTasks[0]?.deadline).not.toBeNull();
    const notified = (kind: string) =>
      k.db
        .selectFrom('joinery.workflow_notifications')
        .select('user_id')
        .where('instance_id', '=', id)
        .where('kind', '=', kind)
        .execute();
    await k.advanceClock(19 * 3600);
    expect(await notified('reminder')).toEqual([]);
    expect(await k.advanceClock(2 * 3600)).toBe(1);
    expect(await notified('reminder')).toEqual([{ user_id: a.id }]);
    await k.advanceClock(4 * 3600);
    expect(await notified('escalated')).toEqual([{ user_id: boss.id }]);
    const open = await k.instance(id);
    expect(open.openTasks.map((t) => [t.nodeId, t.assignees])).toEqual([['review', [boss.id]]]);
    expect((await tasksIn(id))[0]?.close_reason).toBe('escalated');
    await k.approve(id, boss);
    expect((await k.instance(id)).outcome).toBe('approved');
  });
});
