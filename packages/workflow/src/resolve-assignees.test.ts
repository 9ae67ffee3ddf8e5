import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { assigneesAt, oneStep } from './testing/one-step.ts';
import { lendingOrg } from './testing/org-fixture.ts';
import { WorkflowDriver } from './testing/workflow-driver.ts';

describe('assignees', () => {
  it('by user and by role (active members only)', () => {
    expect(
      assigneesAt(
        oneStep({
          assignees: [{ kind: 'users', userIds: ['rev2', 'rev1'] }],
          countersign: { kind: 'all' },
        }),
      ),
    ).toEqual(['rev1', 'rev2']);
    expect(
      assigneesAt(
        oneStep({ assignees: [{ kind: 'role', role: 'committee' }], countersign: { kind: 'all' } }),
      ),
    ).toEqual(['com1', 'com2', 'com3']);
  });

  it("by the submitter's department manager, N levels up", () => {
    expect(assigneesAt(oneStep({ assignees: [{ kind: 'department-manager' }] }))).toEqual([
      'east-boss',
    ]);
    expect(
      assigneesAt(oneStep({ assignees: [{ kind: 'department-manager', levels: 2 }] })),
    ).toEqual(['sales-boss']);
    expect(
      assigneesAt(oneStep({ assignees: [{ kind: 'department-manager', levels: 3 }] })),
    ).toEqual(['ceo']);
    // A manager submitting: level 1 is their own manager, not themself.
    expect(
      assigneesAt(oneStep({ assignees: [{ kind: 'department-manager' }] }, 'east-boss')),
    ).toEqual(['sales-boss']);
  });

  it('by a user field of the record (one id or several)', () => {
    expect(
      assigneesAt(
        oneStep({ assignees: [{ kind: 'record-field', field: 'owner' }] }, 'rev1', {
          owner: 'sales2',
        }),
      ),
    ).toEqual(['sales2']);
    expect(
      assigneesAt(
        oneStep(
          { assignees: [{ kind: 'record-field', field: 'team' }], countersign: { kind: 'all' } },
          'rev1',
          { team: ['sales1', 'sales2'] },
        ),
      ),
    ).toEqual(['sales1', 'sales2']);
  });

  it("by the previous approver's manager", () => {
    const d = new WorkflowDriver(
      compileWorkflow(
        workflowOf(
          n.start('a'),
          n.step('a', ['sales2'], 'b'),
          n.node('b', 'approval', {
            assignees: [{ kind: 'previous-approver-manager' }],
            next: 'end',
          }),
          n.end(),
        ),
      ),
      lendingOrg(),
    ).start({}, 'rev1');
    d.approve('sales2');
    expect(d.tasksOf('east-boss')).toHaveLength(1);
  });
});

describe('four-eyes', () => {
  it('the submitter never gets a task for their own request', () => {
    const d = oneStep(
      { assignees: [{ kind: 'users', userIds: ['rev1', 'rev2'] }], countersign: { kind: 'all' } },
      'rev1',
    );
    expect(assigneesAt(d)).toEqual(['rev2']);
  });
  it('a step can exclude whoever decided an earlier step', () => {
    const d = new WorkflowDriver(
      compileWorkflow(
        workflowOf(
          n.start('a'),
          n.node('a', 'approval', { assignees: [{ kind: 'role', role: 'reviewer' }], next: 'b' }),
          n.node('b', 'approval', {
            assignees: [{ kind: 'role', role: 'reviewer' }],
            excludeDecidersOf: ['a'],
            countersign: { kind: 'all' },
            next: 'end',
          }),
          n.end(),
        ),
      ),
      lendingOrg(),
    ).start({});
    d.approve('rev2');
    expect([...d.openTasks.values()].flatMap((t) => t.assignees).sort()).toEqual(['rev1', 'rev3']);
  });
});

describe('delegation while absent', () => {
  it('tasks go to the delegate during the date range; the delegate acts on behalf', () => {
    const base = lendingOrg({
      delegations: [
        { from: 'rev1', to: 'rev2', start: '2026-11-20T00:00:00Z', end: '2026-11-24T00:00:00Z' },
      ],
    });
    const def = compileWorkflow(
      workflowOf(n.start('a'), n.step('a', ['rev1'], 'b'), n.step('b', ['rev1'], 'end'), n.end()),
    );
    const d = new WorkflowDriver(def, base).start({});
    const task = [...d.openTasks.values()][0];
    expect(task?.assignees).toEqual(['rev2']);
    expect(task?.onBehalfOf).toBe('rev1');
    d.approve('rev2');
    expect(d.history.at(-2)).toMatchObject({
      action: 'approved',
      actor: 'rev2',
      onBehalfOf: 'rev1',
    });
    d.wait('P1D');
    // After the range, step b goes to rev1 again (it opened while rev1 was still away though):
    expect([...d.openTasks.values()][0]?.assignees).toEqual(['rev2']);
    const later = new WorkflowDriver(def, base, '2026-11-25T09:00:00.000Z').start({});
    expect([...later.openTasks.values()][0]?.assignees).toEqual(['rev1']);
  });
  it('a delegation that starts after the task opened lets the delegate act', () => {
    const def = compileWorkflow(workflowOf(n.start('a'), n.step('a', ['rev1'], 'end'), n.end()));
    const d = new WorkflowDriver(def, lendingOrg()).start({});
    d.org = lendingOrg({
      delegations: [
        { from: 'rev1', to: 'rev3', start: '2026-11-23T00:00:00Z', end: '2026-11-30T00:00:00Z' },
      ],
    });
    d.act('rev3', { kind: 'approve', taskId: d.taskOf('rev1') });
    expect(d.outcome).toBe('approved');
  });
});

describe('delegation keeps four-eyes', () => {
  const away = (from: string, to: string) => ({
    from,
    to,
    start: '2026-11-20T00:00:00Z',
    end: '2026-11-30T00:00:00Z',
  });

  it('a delegate who is the submitter is skipped: the task stays with the absent user', () => {
    const def = compileWorkflow(workflowOf(n.start('a'), n.step('a', ['rev1'], 'end'), n.end()));
    const d = new WorkflowDriver(def, lendingOrg({ delegations: [away('rev1', 'sales1')] })).start(
      {},
      'sales1',
    );
    const task = [...d.openTasks.values()][0];
    expect(task?.assignees).toEqual(['rev1']);
    expect(task?.onBehalfOf).toBeUndefined();
    expect(() => d.act('sales1', { kind: 'approve', taskId: d.taskOf('rev1') })).toThrow(/assign/i);
  });

  it('a delegate the step excludes is skipped, and one further along the chain takes it', () => {
    const def = compileWorkflow(
      workflowOf(
        n.start('a'),
        n.step('a', ['rev2'], 'b'),
        n.step('b', ['rev1'], 'end', { excludeDecidersOf: ['a'] }),
        n.end(),
      ),
    );
    const alone = new WorkflowDriver(def, lendingOrg({ delegations: [away('rev1', 'rev2')] }))
      .start({})
      .approve('rev2');
    expect([...alone.openTasks.values()][0]?.assignees).toEqual(['rev1']);
    const chained = new WorkflowDriver(
      def,
      lendingOrg({ delegations: [away('rev1', 'rev2'), away('rev2', 'rev3')] }),
    ).start({});
    // rev2 is away too, so step a goes to rev3 on rev2's behalf; rev3 then decided step a.
    chained.approve('rev3');
    expect([...chained.openTasks.values()][0]?.assignees).toEqual(['rev1']);
  });

  it('whoever approved on behalf of someone is excluded like them at a later step', () => {
    const def = compileWorkflow(
      workflowOf(
        n.start('a'),
        n.step('a', ['rev1'], 'b'),
        n.step('b', ['rev1', 'rev2', 'rev3'], 'end', {
          excludeDecidersOf: ['a'],
          countersign: { kind: 'all' },
        }),
        n.end(),
      ),
    );
    const d = new WorkflowDriver(def, lendingOrg({ delegations: [away('rev1', 'rev2')] })).start(
      {},
    );
    d.approve('rev2');
    expect([...d.openTasks.values()].flatMap((t) => t.assignees)).toEqual(['rev3']);
  });

  it('a delegation that starts later does not let an excluded delegate act', () => {
    const def = compileWorkflow(workflowOf(n.start('a'), n.step('a', ['rev1'], 'end'), n.end()));
    const d = new WorkflowDriver(def, lendingOrg()).start({}, 'rev2');
    d.org = lendingOrg({ delegations: [away('rev1', 'rev2')] });
    expect(() => d.act('rev2', { kind: 'approve', taskId: d.taskOf('rev1') })).toThrow(/assign/i);
    expect(d.outcome).toBeUndefined();
  });
});
