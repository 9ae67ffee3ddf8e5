import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { lendingOrg } from './testing/org-fixture.ts';
import { WorkflowDriver } from './testing/workflow-driver.ts';

function withDeadline(deadline: Record<string, unknown>, users = ['rev1']): WorkflowDriver {
  return new WorkflowDriver(
    compileWorkflow(
      workflowOf(
        n.start('a'),
        n.step('a', users, 'b', { deadline }),
        n.step('b', ['risk1'], 'end'),
        n.end(),
      ),
    ),
    lendingOrg(),
  ).start({});
}

describe('deadline jobs', () => {
  it('schedules a reminder before and an escalation at the deadline, and cancels both on decision', () => {
    const d = withDeadline({ after: 'PT8H', reminderBefore: 'PT1H' });
    expect([...d.jobs.values()].map((j) => [j.kind, j.runAt])).toEqual([
      ['reminder', '2026-11-23T16:00:00.000Z'],
      ['escalation', '2026-11-23T17:00:00.000Z'],
    ]);
    d.approve('rev1');
    expect(d.jobs.size).toBe(0);
    expect(d.effects.filter((e) => e.type === 'cancel-job')).toHaveLength(2);
  });

  it('skips a reminder that would be due already', () => {
    const d = withDeadline({ after: 'PT1H', reminderBefore: 'PT2H' });
    expect([...d.jobs.values()].map((j) => j.kind)).toEqual(['escalation']);
  });

  it('auto-reject after the deadline ends the instance', () => {
    const d = withDeadline({ after: 'P1D', escalation: 'auto-reject' }).wait('P1D');
    expect(d.outcome).toBe('rejected');
    expect(d.actions()).toContain('escalation-auto-reject@a');
  });

  it('escalation to the manager opens a task for them with a fresh deadline', () => {
    const d = withDeadline({ after: 'P1D' }).wait('P1D');
    const task = d.tasksOf('credit-boss')[0];
    expect(task?.deadline).toBe('2026-11-25T09:00:00.000Z');
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'close-task', reason: 'escalated' }),
    );
    expect(d.created).toContainEqual(
      expect.objectContaining({ kind: 'escalated', userIds: ['credit-boss'] }),
    );
  });

  it('without a manager, the admins are told and the task stays', () => {
    const d = withDeadline({ after: 'P1D' }, ['ceo']).wait('P1D');
    expect(d.tasksOf('ceo')).toHaveLength(1);
    expect(d.created).toContainEqual(
      expect.objectContaining({ kind: 'escalated', userIds: ['admin'] }),
    );
    expect(d.actions()).toContain('escalation-failed@a');
  });

  it('a timer for a closed task or an unknown key does nothing', () => {
    const d = withDeadline({ after: 'P1D' });
    const key = [...d.jobs.keys()][0] ?? '';
    d.approve('rev1');
    d.send({ type: 'timer', jobKey: key });
    expect(d.lastEffects).toEqual([]);
    d.send({ type: 'timer', jobKey: 'i1:nothing' });
    expect(d.lastEffects).toEqual([]);
  });
});
