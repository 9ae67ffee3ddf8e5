import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow.ts';
import { n, workflowOf } from '../testing/node-builders.ts';
import { lendingOrg } from '../testing/org-fixture.ts';
import { WorkflowDriver } from '../testing/workflow-driver.ts';

const flow = compileWorkflow(
  workflowOf(
    n.start('a'),
    n.step('a', ['rev1'], 'b', {
      fields: { visible: ['amount', 'notes'], hidden: ['secret'], editable: ['notes'] },
    }),
    n.step('b', ['rev2'], 'c'),
    n.step('c', ['rev3'], 'end'),
    n.end(),
  ),
);
const start = () => new WorkflowDriver(flow, lendingOrg()).start({ amount: 100 });

/** The catalogue code of what `fn` throws. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isJoineryError(error)) return `${error.code} ${error.status}`;
    throw error;
  }
  return 'no error';
}

describe('approve and reject', () => {
  it('approve may carry edits of the fields the step lets edit', () => {
    const d = start();
    d.act('rev1', {
      kind: 'approve',
      taskId: d.taskOf('rev1'),
      patch: { notes: 'ok' },
      comment: 'fine',
    });
    expect(d.record.notes).toBe('ok');
    expect(d.state?.record.notes).toBe('ok');
    expect(d.history).toContainEqual(
      expect.objectContaining({
        action: 'approved',
        actor: 'rev1',
        comment: 'fine',
        timeSpentMs: 0,
      }),
    );
  });
  it('edits of other fields are refused naming them, and nothing happens', () => {
    const d = start();
    const before = d.state;
    expect(
      codeOf(() =>
        d.act('rev1', {
          kind: 'approve',
          taskId: d.taskOf('rev1'),
          patch: { amount: 1, secret: 2 },
        }),
      ),
    ).toBe('JNY_WORKFLOW_FIELDS_NOT_EDITABLE 403');
    expect(() =>
      d.act('rev1', { kind: 'approve', taskId: d.taskOf('rev1'), patch: { amount: 1 } }),
    ).toThrow(/amount/);
    expect(d.state).toBe(before);
  });
  it('records the time spent on a task', () => {
    const d = start().wait('PT2H');
    d.approve('rev1');
    expect(d.history.find((h) => h.action === 'approved')?.timeSpentMs).toBe(2 * 3600_000);
  });
  it('only the assignee may act (403); a closed task answers 409; unknown 404', () => {
    const d = start();
    const taskId = d.taskOf('rev1');
    expect(codeOf(() => d.act('rev2', { kind: 'approve', taskId }))).toBe(
      'JNY_WORKFLOW_NOT_ASSIGNEE 403',
    );
    d.approve('rev1');
    expect(codeOf(() => d.act('rev1', { kind: 'approve', taskId }))).toBe(
      'JNY_WORKFLOW_TASK_CLOSED 409',
    );
    expect(codeOf(() => d.act('rev1', { kind: 'approve', taskId: 'nope' }))).toBe(
      'JNY_WORKFLOW_TASK_NOT_FOUND 404',
    );
  });
  it('a finished instance accepts no more actions', () => {
    const d = start();
    d.act('rev1', { kind: 'reject', taskId: d.taskOf('rev1') });
    expect(d.outcome).toBe('rejected');
    expect(codeOf(() => d.act('sales1', { kind: 'withdraw' }))).toBe(
      'JNY_WORKFLOW_INSTANCE_FINISHED 409',
    );
  });
});

describe('return', () => {
  it('to any earlier step: that step opens again, later ones are cancelled', () => {
    const d = start().approve('rev1', 'rev2');
    d.act('rev3', {
      kind: 'return',
      taskId: d.taskOf('rev3'),
      target: { kind: 'node', nodeId: 'a' },
      comment: 'redo',
    });
    expect(d.openNodes()).toEqual(['a']);
    expect(d.created).toContainEqual(
      expect.objectContaining({ kind: 'returned', userIds: ['sales1'], message: 'redo' }),
    );
  });
  it('refuses steps not passed, the current step, and non-steps', () => {
    const d = start().approve('rev1');
    const taskId = d.taskOf('rev2');
    for (const nodeId of ['c', 'b', 'end', 'missing']) {
      expect(
        codeOf(() => d.act('rev2', { kind: 'return', taskId, target: { kind: 'node', nodeId } })),
      ).toBe('JNY_WORKFLOW_RETURN_TARGET_INVALID 400');
    }
  });
  it('to the submitter: only resubmit, withdraw or cancel are possible until resubmission', () => {
    const d = start().approve('rev1');
    d.act('rev2', { kind: 'return', taskId: d.taskOf('rev2'), target: { kind: 'submitter' } });
    expect(d.state?.status).toBe('returned');
    expect(codeOf(() => d.act('rev2', { kind: 'resubmit' }))).toBe(
      'JNY_WORKFLOW_NOT_SUBMITTER 403',
    );
    expect(codeOf(() => d.act('sales1', { kind: 'remind' }))).toBe(
      'JNY_WORKFLOW_ACTION_NOT_ALLOWED 409',
    );
    d.act('sales1', { kind: 'resubmit', comment: 'added proof' });
    expect(d.openNodes()).toEqual(['b']);
    expect(codeOf(() => d.act('sales1', { kind: 'resubmit' }))).toBe(
      'JNY_WORKFLOW_ACTION_NOT_ALLOWED 409',
    );
  });
  it('the submitter may withdraw a returned request', () => {
    const d = start().approve('rev1');
    d.act('rev2', { kind: 'return', taskId: d.taskOf('rev2'), target: { kind: 'submitter' } });
    d.act('sales1', { kind: 'withdraw' });
    expect(d.outcome).toBe('cancelled');
  });
  it('with start resubmit: restart, resubmission begins again at the first step', () => {
    const restart = compileWorkflow(
      workflowOf(
        n.start('a', { resubmit: 'restart' }),
        n.step('a', ['rev1'], 'b'),
        n.step('b', ['rev2'], 'end'),
        n.end(),
      ),
    );
    const d = new WorkflowDriver(restart, lendingOrg()).start({}).approve('rev1');
    d.act('rev2', { kind: 'return', taskId: d.taskOf('rev2'), target: { kind: 'submitter' } });
    d.act('sales1', { kind: 'resubmit' });
    expect(d.openNodes()).toEqual(['a']);
  });
});

describe('transfer and add-signer', () => {
  it('transfer hands the task over; four-eyes forbids the submitter', () => {
    const d = start();
    expect(
      codeOf(() => d.act('rev1', { kind: 'transfer', taskId: d.taskOf('rev1'), to: 'sales1' })),
    ).toBe('JNY_WORKFLOW_ACTION_NOT_ALLOWED 409');
    d.act('rev1', { kind: 'transfer', taskId: d.taskOf('rev1'), to: 'rev3', comment: 'on leave' });
    expect(d.tasksOf('rev3')).toHaveLength(1);
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'close-task', reason: 'transferred', by: 'rev1' }),
    );
  });
  it('one person, one vote: no transfer or added signer who already signs at the step', () => {
    const all = compileWorkflow(
      workflowOf(
        n.start('a'),
        n.step('a', ['rev1', 'rev2'], 'end', { countersign: { kind: 'all' } }),
        n.end(),
      ),
    );
    const d = new WorkflowDriver(all, lendingOrg()).start({});
    expect(() => d.act('rev1', { kind: 'transfer', taskId: d.taskOf('rev1'), to: 'rev2' })).toThrow(
      /already signs/,
    );
    expect(() =>
      d.act('rev1', {
        kind: 'add-signer',
        taskId: d.taskOf('rev1'),
        userIds: ['rev2'],
        position: 'after',
      }),
    ).toThrow(/already signs/);
    expect(() =>
      d.act('rev1', {
        kind: 'add-signer',
        taskId: d.taskOf('rev1'),
        userIds: ['rev1'],
        position: 'after',
      }),
    ).toThrow(/already signs/);
  });

  it('add a signer before oneself: they decide first, then the task comes back', () => {
    const d = start();
    d.act('rev1', {
      kind: 'add-signer',
      taskId: d.taskOf('rev1'),
      userIds: ['risk1'],
      position: 'before',
    });
    expect(d.tasksOf('rev1')).toEqual([]);
    d.approve('risk1');
    expect(d.openNodes()).toEqual(['a']);
    d.approve('rev1');
    expect(d.openNodes()).toEqual(['b']);
  });
  it('add a signer after oneself: they decide after one approves', () => {
    const d = start();
    d.act('rev1', {
      kind: 'add-signer',
      taskId: d.taskOf('rev1'),
      userIds: ['risk1', 'comp1'],
      position: 'after',
    });
    d.approve('rev1');
    expect(d.openNodes()).toEqual(['a']);
    d.approve('risk1');
    expect(d.openNodes()).toEqual(['a']);
    d.approve('comp1');
    expect(d.openNodes()).toEqual(['b']);
  });
  it('an added signer who rejects rejects the vote', () => {
    const d = start();
    d.act('rev1', {
      kind: 'add-signer',
      taskId: d.taskOf('rev1'),
      userIds: ['risk1'],
      position: 'before',
    });
    d.act('risk1', { kind: 'reject', taskId: d.taskOf('risk1') });
    expect(d.outcome).toBe('rejected');
  });
});

describe('comment, withdraw, remind, cancel', () => {
  it('comments with attachment references go to the timeline', () => {
    const d = start();
    d.act('rev1', {
      kind: 'comment',
      taskId: d.taskOf('rev1'),
      comment: 'see scan',
      attachments: ['file-1'],
    });
    d.act('sales1', { kind: 'comment', comment: 'uploaded' });
    expect(d.history.filter((h) => h.action === 'commented')).toMatchObject([
      { actor: 'rev1', comment: 'see scan', attachments: ['file-1'], nodeId: 'a' },
      { actor: 'sales1', comment: 'uploaded' },
    ]);
    expect(
      codeOf(() => d.act('rev2', { kind: 'comment', taskId: d.taskOf('rev1'), comment: 'x' })),
    ).toBe('JNY_WORKFLOW_NOT_ASSIGNEE 403');
  });
  it('withdraw: the submitter only', () => {
    const d = start();
    expect(codeOf(() => d.act('rev1', { kind: 'withdraw' }))).toBe(
      'JNY_WORKFLOW_NOT_SUBMITTER 403',
    );
    d.act('sales1', { kind: 'withdraw' });
    expect(d.outcome).toBe('cancelled');
  });
  it('remind notifies the assignees of the open tasks', () => {
    const d = start();
    d.act('sales1', { kind: 'remind' });
    expect(d.created).toContainEqual(
      expect.objectContaining({ type: 'notify', kind: 'remind', userIds: ['rev1'] }),
    );
    expect(codeOf(() => d.act('rev2', { kind: 'remind' }))).toBe('JNY_WORKFLOW_NOT_SUBMITTER 403');
  });
  it('cancel needs an admin', () => {
    const d = start();
    expect(codeOf(() => d.act('sales1', { kind: 'cancel' }))).toBe('JNY_WORKFLOW_NOT_ADMIN 403');
    d.act('admin', { kind: 'cancel' });
    expect(d.outcome).toBe('cancelled');
  });
});
