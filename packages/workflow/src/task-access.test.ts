import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import { mayActOn } from './task-access.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { lendingOrg } from './testing/org-fixture.ts';
import { WorkflowDriver } from './testing/workflow-driver.ts';

const away = (from: string, to: string) => ({
  from,
  to,
  start: '2026-11-20T00:00:00Z',
  end: '2026-11-30T00:00:00Z',
});

/** One step offered to the reviewers (claimable). */
const offered = compileWorkflow(
  workflowOf(
    n.start('a'),
    n.node('a', 'approval', {
      assignees: [{ kind: 'role', role: 'reviewer' }],
      claim: true,
      next: 'end',
    }),
    n.end(),
  ),
);

const decisions = (d: WorkflowDriver) =>
  d.history.filter((h) => h.taskId !== undefined).map((h) => [h.action, h.actor, h.onBehalfOf]);

describe('an offered task opened during an absence keeps "on behalf of"', () => {
  it('the delegate swapped into the candidates approves on the absent candidate’s behalf', () => {
    const d = new WorkflowDriver(offered, lendingOrg({ delegations: [away('rev1', 'risk1')] }));
    d.start({});
    const task = [...d.openTasks.values()][0];
    expect(task?.assignees).toEqual(['risk1', 'rev2', 'rev3']);
    d.approve('risk1');
    expect(decisions(d)).toEqual([['approved', 'risk1', 'rev1']]);
  });

  it('claiming keeps it for the decision; releasing gives the task back without it', () => {
    const d = new WorkflowDriver(offered, lendingOrg({ delegations: [away('rev1', 'risk1')] }));
    d.start({});
    const taskId = d.taskOf('risk1');
    d.act('risk1', { kind: 'claim', taskId });
    d.act('risk1', { kind: 'release', taskId });
    d.act('rev2', { kind: 'claim', taskId });
    d.act('rev2', { kind: 'approve', taskId });
    const claimed = new WorkflowDriver(
      offered,
      lendingOrg({ delegations: [away('rev1', 'risk1')] }),
    ).start({});
    claimed.act('risk1', { kind: 'claim', taskId });
    claimed.act('risk1', { kind: 'approve', taskId });
    expect(decisions(d)).toEqual([
      ['claimed', 'risk1', 'rev1'],
      ['released', 'risk1', undefined],
      ['claimed', 'rev2', undefined],
      ['approved', 'rev2', undefined],
    ]);
    expect(decisions(claimed)).toEqual([
      ['claimed', 'risk1', 'rev1'],
      ['approved', 'risk1', 'rev1'],
    ]);
  });

  it('a delegate who is a candidate in their own right acts for themself', () => {
    const d = new WorkflowDriver(offered, lendingOrg({ delegations: [away('rev1', 'rev2')] }));
    d.start({});
    expect([...d.openTasks.values()][0]?.assignees).toEqual(['rev2', 'rev3']);
    d.approve('rev2');
    expect(decisions(d)).toEqual([['approved', 'rev2', undefined]]);
  });

  it('a delegate claiming a task offered before the absence claims on the candidate’s behalf', () => {
    const d = new WorkflowDriver(offered, lendingOrg()).start({});
    d.org = lendingOrg({ delegations: [away('rev1', 'risk1')] });
    const taskId = d.taskOf('rev1');
    d.act('risk1', { kind: 'claim', taskId });
    d.act('risk1', { kind: 'approve', taskId });
    expect(decisions(d)).toEqual([
      ['claimed', 'risk1', 'rev1'],
      ['approved', 'risk1', 'rev1'],
    ]);
  });
});

describe('the task row records who acts and on whose behalf', () => {
  const row = (d: WorkflowDriver, taskId: string) => {
    const task = d.openTasks.get(taskId);
    return [task?.claimedBy, task?.onBehalfOf];
  };

  it('a delegate’s claim sets "on behalf of" on the task; a release clears it again', () => {
    const d = new WorkflowDriver(offered, lendingOrg({ delegations: [away('rev1', 'risk1')] }));
    d.start({});
    const taskId = d.taskOf('risk1');
    d.act('risk1', { kind: 'claim', taskId });
    expect(row(d, taskId)).toEqual(['risk1', 'rev1']);
    d.act('risk1', { kind: 'release', taskId });
    expect(row(d, taskId)).toEqual([null, undefined]);
    d.act('rev2', { kind: 'claim', taskId });
    expect(row(d, taskId)).toEqual(['rev2', undefined]);
  });

  it('a delegate who transfers closes the task on the absent user’s behalf', () => {
    const d = new WorkflowDriver(offered, lendingOrg()).start({});
    const taskId = d.taskOf('rev1');
    d.act('rev1', { kind: 'claim', taskId });
    d.org = lendingOrg({ delegations: [away('rev1', 'risk1')] });
    d.act('risk1', { kind: 'transfer', taskId, to: 'rev3' });
    expect(d.effects).toContainEqual({
      type: 'close-task',
      taskId,
      reason: 'transferred',
      by: 'risk1',
      onBehalfOf: 'rev1',
    });
    expect(decisions(d).at(-1)).toEqual(['transferred', 'risk1', 'rev1']);
    const next = [...d.openTasks.values()][0];
    expect([next?.assignees, next?.onBehalfOf]).toEqual([['rev3'], undefined]);
  });

  it('a transfer to someone away opens the task for their delegate, on their behalf', () => {
    const d = new WorkflowDriver(offered, lendingOrg({ delegations: [away('rev3', 'risk1')] }));
    d.start({});
    const taskId = d.taskOf('rev1');
    d.act('rev1', { kind: 'claim', taskId });
    d.act('rev1', { kind: 'transfer', taskId, to: 'rev3' });
    const next = [...d.openTasks.values()][0];
    expect([next?.assignees, next?.onBehalfOf]).toEqual([['risk1'], 'rev3']);
  });
});

describe('mayActOn: the engine’s own answer to "may this user act on this task now"', () => {
  const def = compileWorkflow(
    workflowOf(
      n.start('a'),
      n.step('a', ['rev2'], 'b'),
      n.step('b', ['rev1'], 'end', { excludeDecidersOf: ['a'] }),
      n.end(),
    ),
  );

  it('refuses a delegate the step excludes, allows an eligible one and the assignee', () => {
    const d = new WorkflowDriver(def, lendingOrg()).start({}).approve('rev2');
    const state = d.state;
    if (state === undefined) throw new Error('not started');
    const taskId = d.taskOf('rev1', 'b');
    const at = (delegate: string) => ({
      now: d.now,
      org: lendingOrg({ delegations: [away('rev1', delegate)] }),
    });
    expect(mayActOn(def, state, at('rev2'), taskId, 'rev2')).toBe(false);
    expect(mayActOn(def, state, at('rev3'), taskId, 'rev3')).toBe(true);
    expect(mayActOn(def, state, at('rev3'), taskId, 'rev1')).toBe(true);
    expect(mayActOn(def, state, at('rev3'), taskId, 'risk1')).toBe(false);
    expect(mayActOn(def, state, at('rev3'), 'no-such-task', 'rev1')).toBe(false);
    // The engine agrees when the excluded delegate tries.
    d.org = at('rev2').org;
    expect(() => d.act('rev2', { kind: 'approve', taskId })).toThrow(/assign/i);
  });
});
