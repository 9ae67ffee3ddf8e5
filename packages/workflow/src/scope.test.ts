import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import type { Scope, Token } from './instance-state.ts';
import { hasPrefix, isInScope } from './scope.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { lendingOrg } from './testing/org-fixture.ts';
import { WorkflowDriver } from './testing/workflow-driver.ts';

const token = (lineage: string[]): Token => ({
  id: 'k',
  nodeId: 'x',
  lineage,
  enteredAt: '',
  status: 'active',
});
const scope: Scope = {
  id: 's4',
  splitNodeId: 'p',
  joinNodeId: 'j',
  lineage: ['s1:0'],
  activated: 2,
  arrived: 0,
  fired: false,
};

describe('scope helpers', () => {
  it('tell which tokens are inside a scope', () => {
    expect(isInScope(token(['s1:0', 's4:1']), scope)).toBe(true);
    expect(isInScope(token(['s1:0', 's4:0', 's9:1']), scope)).toBe(true);
    expect(isInScope(token(['s1:0']), scope)).toBe(false);
    expect(isInScope(token(['s1:0', 's40:1']), scope)).toBe(false);
    expect(hasPrefix(['a', 'b'], ['a'])).toBe(true);
    expect(hasPrefix(['a'], ['a', 'b'])).toBe(false);
  });
});

/** Nested parallel regions: p splits into branch A (a1 → a2, itself split q into x, y) and b. */
function nested(): WorkflowDriver {
  return new WorkflowDriver(
    compileWorkflow(
      workflowOf(
        n.start('top'),
        n.step('top', ['ceo'], 'p'),
        n.node('p', 'split', { branches: ['a1', 'b'], join: 'j' }),
        n.step('a1', ['rev1'], 'a2'),
        n.step('a2', ['rev2'], 'q'),
        n.node('q', 'split', { branches: ['x', 'y'], join: 'qj' }),
        n.step('x', ['com1'], 'qj'),
        n.step('y', ['com2'], 'qj'),
        n.node('qj', 'join', { split: 'q', next: 'j' }),
        n.step('b', ['risk1'], 'j'),
        n.node('j', 'join', { split: 'p', next: 'end' }),
        n.end(),
      ),
    ),
    lendingOrg(),
  ).start({});
}

describe('returns inside parallel regions', () => {
  it('a return within a branch re-runs only that branch', () => {
    const d = nested().approve('ceo', 'rev1', 'rev2');
    expect(d.openNodes()).toEqual(['b', 'x', 'y']);
    d.approve('com1');
    d.act('com2', {
      kind: 'return',
      taskId: d.taskOf('com2'),
      target: { kind: 'node', nodeId: 'a1' },
    });
    expect(d.openNodes()).toEqual(['a1', 'b']);
    expect(Object.values(d.state?.scopes ?? {}).map((s) => s.splitNodeId)).toEqual(['p']);
    d.approve('risk1', 'rev1', 'rev2', 'com1', 'com2');
    expect(d.outcome).toBe('approved');
    expect(d.state?.scopes).toEqual({});
  });

  it('a return from a branch to a step before the split cancels every branch', () => {
    const d = nested().approve('ceo', 'rev1');
    d.act('rev2', {
      kind: 'return',
      taskId: d.taskOf('rev2'),
      target: { kind: 'node', nodeId: 'top' },
    });
    expect(d.openNodes()).toEqual(['top']);
    expect(d.state?.scopes).toEqual({});
  });

  it('a branch cannot return into a sibling branch', () => {
    const d = nested().approve('ceo', 'rev1');
    expect(() =>
      d.act('risk1', {
        kind: 'return',
        taskId: d.taskOf('risk1'),
        target: { kind: 'node', nodeId: 'a1' },
      }),
    ).toThrow(/another parallel branch/);
  });

  it('a return to the submitter from a branch resumes at the outermost split', () => {
    const d = nested().approve('ceo', 'rev1', 'rev2');
    d.act('com1', { kind: 'return', taskId: d.taskOf('com1'), target: { kind: 'submitter' } });
    expect(d.openNodes()).toEqual(['start']);
    d.act('sales1', { kind: 'resubmit' });
    expect(d.openNodes()).toEqual(['a1', 'b']);
  });
});
