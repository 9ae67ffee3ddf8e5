import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import { requiredApprovals } from './step-runner.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { assigneesAt, oneStep } from './testing/one-step.ts';
import { lendingOrg } from './testing/org-fixture.ts';
import { WorkflowDriver } from './testing/workflow-driver.ts';

describe('countersign', () => {
  const committee = { kind: 'role', role: 'committee' };
  it('computes thresholds', () => {
    expect(requiredApprovals({ kind: 'any' }, 3)).toBe(1);
    expect(requiredApprovals({ kind: 'all' }, 3)).toBe(3);
    expect(requiredApprovals({ kind: 'n-of-m', n: 5 }, 3)).toBe(3);
    expect(requiredApprovals({ kind: 'percentage', percent: 60 }, 5)).toBe(3);
    expect(requiredApprovals({ kind: 'percentage', percent: 50 }, 3)).toBe(2);
    expect(requiredApprovals({ kind: 'sequential' }, 4)).toBe(4);
  });

  it('any: the first approval completes the step and cancels the other tasks', () => {
    const d = oneStep({ assignees: [committee] });
    expect(assigneesAt(d)).toEqual(['com1', 'com2', 'com3']);
    d.approve('com2');
    expect(d.openNodes()).toEqual(['b']);
    expect(
      d.effects.filter((e) => e.type === 'close-task' && e.reason === 'not-needed'),
    ).toHaveLength(2);
  });

  it('any: rejected only when every member rejected', () => {
    const d = oneStep({ assignees: [committee] });
    d.act('com1', { kind: 'reject', taskId: d.taskOf('com1') });
    d.act('com2', { kind: 'reject', taskId: d.taskOf('com2') });
    expect(d.outcome).toBeUndefined();
    d.act('com3', { kind: 'reject', taskId: d.taskOf('com3') });
    expect(d.outcome).toBe('rejected');
  });

  it('all: one rejection rejects', () => {
    const d = oneStep({ assignees: [committee], countersign: { kind: 'all' } });
    d.approve('com1');
    d.act('com2', { kind: 'reject', taskId: d.taskOf('com2') });
    expect(d.outcome).toBe('rejected');
  });

  it('percentage: 60% of 3 needs 2', () => {
    const d = oneStep({ assignees: [committee], countersign: { kind: 'percentage', percent: 60 } });
    d.approve('com1');
    expect(d.openNodes()).toEqual(['a', 'a']);
    d.approve('com3');
    expect(d.openNodes()).toEqual(['b']);
  });

  it('sequential: one task at a time, in the given order', () => {
    const d = oneStep({
      assignees: [{ kind: 'users', userIds: ['com3', 'com1', 'com2'] }],
      countersign: { kind: 'sequential' },
    });
    expect(assigneesAt(d)).toEqual(['com3']);
    d.approve('com3');
    expect(assigneesAt(d)).toEqual(['com1']);
    d.approve('com1', 'com2');
    expect(d.openNodes()).toEqual(['b']);
  });
});

describe('empty assignee list policies', () => {
  const nobody = [{ kind: 'role', role: 'astronaut' }];
  it('admin (default): the admins get the task', () => {
    expect(assigneesAt(oneStep({ assignees: nobody }))).toEqual(['admin']);
  });
  it('skip: the step is passed', () => {
    const d = oneStep({ assignees: nobody, emptyAssignees: 'skip' });
    expect(d.openNodes()).toEqual(['b']);
    expect(d.actions()).toContain('skipped@a');
  });
  it('auto-approve: the step is approved by the system', () => {
    const d = oneStep({ assignees: nobody, emptyAssignees: 'auto-approve' });
    expect(d.openNodes()).toEqual(['b']);
    expect(d.actions()).toContain('auto-approved@a');
  });
});

describe('role-offered steps', () => {
  const offered = { assignees: [{ kind: 'role', role: 'reviewer' }], claim: true };
  it('one task offered to all members; one claims, others can no longer act; release offers it again', () => {
    const d = oneStep(offered);
    expect(d.openTasks.size).toBe(1);
    const taskId = d.taskOf('rev1');
    expect(d.openTasks.get(taskId)?.offered).toBe(true);
    d.act('rev2', { kind: 'claim', taskId });
    expect(() => d.act('rev1', { kind: 'approve', taskId })).toThrow(/claimed by someone else/);
    expect(() => d.act('rev1', { kind: 'claim', taskId })).toThrow(/claimed by someone else/);
    expect(() => d.act('rev1', { kind: 'release', taskId })).toThrow(/not assigned to you/);
    d.act('rev2', { kind: 'release', taskId });
    expect(d.openTasks.get(taskId)?.claimedBy).toBeNull();
    d.act('rev1', { kind: 'approve', taskId });
    expect(d.openNodes()).toEqual(['b']);
  });
  it('outsiders cannot claim', () => {
    const d = oneStep(offered);
    expect(() => d.act('fin1', { kind: 'claim', taskId: d.taskOf('rev1') })).toThrow(
      /not assigned to you/,
    );
  });
});

describe('route back to the previous reviewer after a return', () => {
  it('gives the step to whoever approved it before', () => {
    const d = new WorkflowDriver(
      compileWorkflow(
        workflowOf(
          n.start('a'),
          n.node('a', 'approval', {
            assignees: [{ kind: 'role', role: 'reviewer' }],
            claim: true,
            returnToPreviousReviewer: true,
            next: 'b',
          }),
          n.step('b', ['risk1'], 'end'),
          n.end(),
        ),
      ),
      lendingOrg(),
    ).start({});
    d.approve('rev3');
    d.act('risk1', {
      kind: 'return',
      taskId: d.taskOf('risk1'),
      target: { kind: 'node', nodeId: 'a' },
    });
    const task = [...d.openTasks.values()][0];
    expect(task?.assignees).toEqual(['rev3']);
    expect(task?.offered).toBe(false);
  });

  it('after a return to the submitter, the resubmission goes back to the returner', () => {
    const d = new WorkflowDriver(
      compileWorkflow(
        workflowOf(
          n.start('a'),
          n.node('a', 'approval', {
            assignees: [{ kind: 'role', role: 'reviewer' }],
            claim: true,
            returnToPreviousReviewer: true,
            next: 'end',
          }),
          n.end(),
        ),
      ),
      lendingOrg(),
    ).start({});
    d.act('rev2', { kind: 'return', taskId: d.taskOf('rev2'), target: { kind: 'submitter' } });
    d.act('sales1', { kind: 'resubmit' });
    expect([...d.openTasks.values()][0]).toMatchObject({ assignees: ['rev2'], offered: false });
  });

  it('a step reached again through an edge (no return) is offered as usual', () => {
    const d = new WorkflowDriver(
      compileWorkflow(
        workflowOf(
          n.start('x'),
          n.node('x', 'branch', {
            branches: [{ when: { var: 'done' }, next: 'end' }],
            default: 'a',
          }),
          n.node('a', 'approval', {
            assignees: [{ kind: 'role', role: 'reviewer' }],
            claim: true,
            returnToPreviousReviewer: true,
            next: 'x',
          }),
          n.end(),
        ),
      ),
      lendingOrg(),
    ).start({});
    d.approve('rev2');
    expect([...d.openTasks.values()][0]).toMatchObject({ offered: true });
  });
});

describe('concurrent clicks (serialised by the runtime lock)', () => {
  it('a second approval on a completed any-step answers 409 and opens nothing', () => {
    const d = oneStep({ assignees: [{ kind: 'role', role: 'committee' }] });
    const late = d.taskOf('com2');
    d.approve('com1');
    const opened = d.effects.filter((e) => e.type === 'open-task' && e.nodeId === 'b').length;
    expect(() => d.act('com2', { kind: 'approve', taskId: late })).toThrow(
      /already closed \(not-needed\)/,
    );
    expect(d.effects.filter((e) => e.type === 'open-task' && e.nodeId === 'b')).toHaveLength(
      opened,
    );
    expect(opened).toBe(1);
  });
});
