import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import type { WorkflowNodeJson } from './definition.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { lendingOrg } from './testing/org-fixture.ts';
import { WorkflowDriver } from './testing/workflow-driver.ts';

/** Control-flow patterns of the workflow patterns catalogue (van der Aalst et al.). */
function run(...nodes: WorkflowNodeJson[]): WorkflowDriver {
  return new WorkflowDriver(compileWorkflow(workflowOf(...nodes)), lendingOrg());
}

const split = (id: string, branches: string[], join: string) =>
  n.node(id, 'split', { branches, join });
const join = (id: string, splitId: string, next: string, extra: Record<string, unknown> = {}) =>
  n.node(id, 'join', { split: splitId, next, ...extra });

describe('control-flow patterns', () => {
  it('WCP1 sequence: steps run one after another', () => {
    const d = run(n.start('a'), n.step('a', ['rev1'], 'b'), n.step('b', ['rev2'], 'end'), n.end());
    d.start({});
    expect(d.openNodes()).toEqual(['a']);
    d.wait('PT3H').approve('rev1');
    expect(d.openNodes()).toEqual(['b']);
    d.approve('rev2');
    expect(d.outcome).toBe('approved');
    expect(d.history.find((h) => h.action === 'step-approved')).toMatchObject({
      nodeId: 'a',
      timeSpentMs: 3 * 3600_000,
    });
  });

  const parallel = (mode: Record<string, unknown> = {}) =>
    run(
      n.start('p'),
      split('p', ['a', 'b', 'c'], 'j'),
      n.step('a', ['rev1'], 'j'),
      n.step('b', ['rev2'], 'j'),
      n.step('c', ['rev3'], 'j'),
      join('j', 'p', 'after', mode),
      n.step('after', ['risk1'], 'end'),
      n.end(),
    );

  it('WCP2 parallel split and WCP3 synchronization: all branches, then one next step', () => {
    const d = parallel().start({});
    expect(d.openNodes()).toEqual(['a', 'b', 'c']);
    d.approve('rev1', 'rev2');
    expect(d.openNodes()).toEqual(['c']);
    d.approve('rev3');
    expect(d.openNodes()).toEqual(['after']);
    expect(d.actions().filter((a) => a === 'joined@j')).toHaveLength(1);
  });

  it('WCP4 exclusive choice and WCP5 simple merge', () => {
    const nodes = [
      n.start('choose'),
      n.node('choose', 'branch', {
        branches: [
          { when: { '>': [{ var: 'amount' }, 100] }, next: 'big' },
          { when: { '>': [{ var: 'amount' }, 10] }, next: 'medium' },
        ],
        default: 'merge',
      }),
      n.step('big', ['rev1'], 'merge'),
      n.step('medium', ['rev2'], 'merge'),
      n.step('merge', ['rev3'], 'end'),
      n.end(),
    ];
    const big = run(...nodes).start({ amount: 500 });
    expect(big.openNodes()).toEqual(['big']);
    big.approve('rev1');
    expect(big.openNodes()).toEqual(['merge']);
    const medium = run(...nodes).start({ amount: 50 });
    expect(medium.openNodes()).toEqual(['medium']);
    const none = run(...nodes).start({ amount: 1 });
    expect(none.openNodes()).toEqual(['merge']);
  });

  const inclusive = [
    n.start('choose'),
    n.node('choose', 'branch', {
      mode: 'inclusive',
      branches: [
        { when: { '>': [{ var: 'amount' }, 100] }, next: 'risk' },
        { when: { '==': [{ var: 'cash' }, true] }, next: 'aml' },
      ],
      default: 'basic',
      join: 'sync',
    }),
    n.step('risk', ['risk1'], 'sync'),
    n.step('aml', ['comp1'], 'sync'),
    n.step('basic', ['rev1'], 'sync'),
    join('sync', 'choose', 'after'),
    n.step('after', ['rev2'], 'end'),
    n.end(),
  ];

  it('WCP6 multi-choice: every branch whose condition holds starts', () => {
    expect(
      run(...inclusive)
        .start({ amount: 500, cash: true })
        .openNodes(),
    ).toEqual(['aml', 'risk']);
    expect(
      run(...inclusive)
        .start({ amount: 500, cash: false })
        .openNodes(),
    ).toEqual(['risk']);
    expect(
      run(...inclusive)
        .start({ amount: 5, cash: false })
        .openNodes(),
    ).toEqual(['basic']);
  });

  it('WCP7 structured synchronizing merge: the join waits only for the branches taken', () => {
    const both = run(...inclusive).start({ amount: 500, cash: true });
    both.approve('risk1');
    expect(both.openNodes()).toEqual(['aml']);
    both.approve('comp1');
    expect(both.openNodes()).toEqual(['after']);
    const one = run(...inclusive).start({ amount: 500, cash: false });
    one.approve('risk1');
    expect(one.openNodes()).toEqual(['after']);
  });

  it('WCP30 N-of-M partial join without cancelling: continues at the 2nd, absorbs the 3rd', () => {
    const d = parallel({ mode: 'n-of-m', n: 2, cancelRemaining: false }).start({});
    d.approve('rev1');
    expect(d.openNodes()).toEqual(['b', 'c']);
    d.approve('rev2');
    expect(d.openNodes()).toEqual(['after', 'c']);
    d.approve('rev3');
    expect(d.openNodes()).toEqual(['after']);
    expect(d.actions()).toContain('late-arrival@j');
    expect(d.actions().filter((a) => a === 'joined@j')).toHaveLength(1);
    d.approve('risk1');
    expect(d.outcome).toBe('approved');
  });

  it('WCP32 cancelling partial join: the remaining branches are cancelled', () => {
    const d = parallel({ mode: 'n-of-m', n: 2 }).start({});
    d.approve('rev1', 'rev2');
    expect(d.openNodes()).toEqual(['after']);
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'close-task', reason: 'cancelled' }),
    );
    expect(d.state?.scopes).toEqual({});
  });

  it('WCP29 cancelling discriminator: join any continues at the first arrival', () => {
    const d = parallel({ mode: 'any' }).start({});
    d.approve('rev2');
    expect(d.openNodes()).toEqual(['after']);
  });

  it('WCP14 multiple instances with runtime knowledge: one task per role member', () => {
    const d = run(
      n.start('c'),
      n.node('c', 'approval', {
        assignees: [{ kind: 'role', role: 'committee' }],
        countersign: { kind: 'all' },
        next: 'end',
      }),
      n.end(),
    );
    const org = lendingOrg();
    d.org = {
      ...org,
      users: { ...org.users, com4: { id: 'com4', roles: ['committee'], departmentId: 'hq' } },
    };
    d.start({});
    expect(d.openNodes()).toEqual(['c', 'c', 'c', 'c']);
    d.approve('com1', 'com2', 'com3');
    expect(d.outcome).toBeUndefined();
    d.approve('com4');
    expect(d.outcome).toBe('approved');
  });

  it('WCP10 arbitrary cycles: a return loops back to an earlier step, again and again', () => {
    const d = run(n.start('a'), n.step('a', ['rev1'], 'b'), n.step('b', ['rev2'], 'end'), n.end());
    d.start({});
    for (let i = 0; i < 3; i += 1) {
      d.approve('rev1');
      d.act('rev2', {
        kind: 'return',
        taskId: d.taskOf('rev2'),
        target: { kind: 'node', nodeId: 'a' },
      });
      expect(d.openNodes()).toEqual(['a']);
    }
    d.approve('rev1', 'rev2');
    expect(d.outcome).toBe('approved');
  });

  it('WCP10 arbitrary cycles through edges: a branch loops back to a step until done', () => {
    const d = run(
      n.start('check'),
      n.node('check', 'branch', {
        branches: [{ when: { var: 'done' }, next: 'end' }],
        default: 'fix',
      }),
      n.step('fix', ['rev1'], 'check', { fields: { editable: ['done'] } }),
      n.end(),
    ).start({ done: false });
    d.approve('rev1');
    expect(d.openNodes()).toEqual(['fix']);
    d.act('rev1', { kind: 'approve', taskId: d.taskOf('rev1'), patch: { done: true } });
    expect(d.outcome).toBe('approved');
  });

  it('WCP19 cancel task: a race timer withdraws the open task', () => {
    const d = run(
      n.start('r'),
      n.node('r', 'race', {
        assignees: [{ kind: 'users', userIds: ['rev1'] }],
        timer: { kind: 'for', duration: 'PT2H' },
        next: 'end',
        onTimer: 'fallback',
      }),
      n.step('fallback', ['rev2'], 'end'),
      n.end(),
    );
    d.start({}).wait('PT3H');
    expect(d.openNodes()).toEqual(['fallback']);
    expect(d.tasksOf('rev1')).toEqual([]);
  });

  it('WCP20 cancel case: an admin cancels the whole instance', () => {
    const d = parallel().start({});
    expect(() => d.act('rev1', { kind: 'cancel' })).toThrow(/administrator/);
    d.act('admin', { kind: 'cancel', comment: 'duplicate' });
    expect(d.outcome).toBe('cancelled');
    expect(d.openTasks.size).toBe(0);
    expect(() => d.approve('rev1')).toThrow();
  });

  it('deadline-triggered escalation: auto-approve after the deadline', () => {
    const d = run(
      n.start('a'),
      n.step('a', ['rev1'], 'end', { deadline: { after: 'P1D', escalation: 'auto-approve' } }),
      n.end(),
    );
    d.start({}).wait('PT23H');
    expect(d.outcome).toBeUndefined();
    d.wait('PT2H');
    expect(d.outcome).toBe('approved');
    expect(d.actions()).toContain('escalation-auto-approve@a');
  });
});
