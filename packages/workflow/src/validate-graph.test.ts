import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { compileWorkflow, validateWorkflow } from './compile-workflow.ts';
import type { WorkflowNodeJson } from './definition.ts';
import { n, workflowOf } from './testing/node-builders.ts';

function problems(...nodes: WorkflowNodeJson[]): string[] {
  const result = validateWorkflow(workflowOf(...nodes));
  return result.ok ? [] : result.problems.map((p) => `${p.nodeId ?? '-'}: ${p.message}`);
}

const par = (join: Record<string, unknown> = {}) => [
  n.start('p'),
  n.node('p', 'split', { branches: ['a', 'b'], join: 'j' }),
  n.step('a', ['rev1'], 'j'),
  n.step('b', ['rev2'], 'j'),
  n.node('j', 'join', { split: 'p', next: 'end', ...join }),
  n.end(),
];

describe('definition validation', () => {
  it('accepts a well-formed parallel workflow', () => {
    expect(problems(...par())).toEqual([]);
  });

  it('checks the JSON shape and node parameters, naming the node', () => {
    expect(validateWorkflow({ id: 'x', nodes: [] }).ok).toBe(false);
    expect(problems(n.start('end'), n.node('end', 'end', { outcome: 'maybe' }))).toEqual([
      'end: expected one of "approved", "rejected"',
    ]);
    expect(
      problems(n.start('a'), n.node('a', 'approval', { next: 'end', assignee: [] }), n.end()),
    ).toEqual(['a: unknown property', 'a: required']);
    expect(problems(n.start('end'), n.end(), { id: 'z', type: 'teleport', version: 1 })).toEqual([
      'z: unknown node type teleport v1',
    ]);
    expect(problems(n.start('end'), n.end(), n.end())).toEqual(['end: duplicate node id']);
  });

  it('refuses invalid conditions, with the branch named', () => {
    expect(
      problems(
        n.start('b'),
        n.node('b', 'branch', { branches: [{ when: { nope: [1] }, next: 'end' }], default: 'end' }),
        n.end(),
      ),
    ).toEqual([expect.stringMatching(/^b: invalid condition/)]);
  });

  it('requires a default path on branches (a way out)', () => {
    expect(
      problems(
        n.start('b'),
        n.node('b', 'branch', { branches: [{ when: true, next: 'end' }] }),
        n.end(),
      ),
    ).toEqual(['b: required']);
  });

  it('finds dangling edges, a missing start, unreachable nodes and dead ends', () => {
    expect(problems(n.start('nowhere'), n.end())).toEqual([
      'start: points at unknown node nowhere',
    ]);
    expect(problems(n.end())).toEqual(['-: expected exactly one start node, found 0']);
    expect(problems(n.start('end'), n.end(), n.step('orphan', ['rev1'], 'end'))).toEqual([
      'orphan: is not reachable from the start',
    ]);
    // a ↔ b loop with no way to an end
    expect(
      problems(
        n.start('x'),
        n.node('x', 'branch', { branches: [{ when: true, next: 'end' }], default: 'a' }),
        n.step('a', ['rev1'], 'b'),
        n.step('b', ['rev1'], 'a'),
        n.end(),
      ),
    ).toEqual([
      'a: no path from this node reaches an end',
      'b: no path from this node reaches an end',
    ]);
  });

  it('refuses a loop that never waits for anyone', () => {
    expect(
      problems(
        n.start('x'),
        n.node('x', 'branch', { branches: [{ when: true, next: 'end' }], default: 'cc' }),
        n.node('cc', 'notify', { to: [{ kind: 'users', userIds: ['u'] }], next: 'x' }),
        n.end(),
      ),
    ).toEqual([
      'x: is on a loop with no step or wait, which would never stop',
      'cc: is on a loop with no step or wait, which would never stop',
    ]);
    // The same loop through a step is fine (an arbitrary cycle).
    expect(
      problems(
        n.start('x'),
        n.node('x', 'branch', { branches: [{ when: { var: 'done' }, next: 'end' }], default: 'a' }),
        n.step('a', ['rev1'], 'x'),
        n.end(),
      ),
    ).toEqual([]);
  });

  it('matches joins with their splits', () => {
    expect(problems(...par({ split: 'a' }))).toContain('j: a is not a split or inclusive branch');
    expect(problems(...par({ mode: 'n-of-m', n: 3 }))).toContain(
      'j: needs 3 arrivals but the split has 2 branches',
    );
    expect(problems(...par({ mode: 'n-of-m' }))).toContain(
      'j: n is required with mode n-of-m, and only then',
    );
  });

  it('refuses a branch that escapes its split region', () => {
    const escaping = [
      n.start('p'),
      n.node('p', 'split', { branches: ['a', 'b'], join: 'j' }),
      n.step('a', ['rev1'], 'j'),
      n.step('b', ['rev2'], 'end'),
      n.node('j', 'join', { split: 'p', next: 'end' }),
      n.end(),
    ];
    expect(problems(...escaping)).toEqual([
      'p: branch reaches end end without passing join j',
      'p: branch 1 never reaches join j',
    ]);
  });

  it('refuses a join entered from outside its region', () => {
    expect(
      problems(
        n.start('x'),
        n.node('x', 'branch', { branches: [{ when: true, next: 'p' }], default: 'j' }),
        n.node('p', 'split', { branches: ['a', 'b'], join: 'j' }),
        n.step('a', ['rev1'], 'j'),
        n.step('b', ['rev2'], 'j'),
        n.node('j', 'join', { split: 'p', next: 'end' }),
        n.end(),
      ),
    ).toEqual(['j: is entered from x, outside the branches of p']);
  });

  it('requires a join for an inclusive branch', () => {
    expect(
      problems(
        n.start('b'),
        n.node('b', 'branch', {
          mode: 'inclusive',
          branches: [{ when: true, next: 'end' }],
          default: 'end',
        }),
        n.end(),
      ),
    ).toEqual(['b: an inclusive branch needs the join that synchronises it']);
  });

  it('checks countersign, claim, deadlines and field settings', () => {
    expect(
      problems(
        n.start('a'),
        n.node('a', 'approval', {
          assignees: [{ kind: 'users', userIds: ['u1', 'u2'] }],
          countersign: { kind: 'n-of-m', n: 3 },
          deadline: { after: '2 days', reminderBefore: 'PT1H' },
          fields: { hidden: ['salary'], editable: ['salary'] },
          next: 'end',
        }),
        n.end(),
      ),
    ).toEqual([
      'a: needs 3 approvals but only 2 assignees are listed',
      'a: expected an ISO-8601 duration',
      'a: fields both hidden and editable: salary',
    ]);
    expect(
      problems(
        n.start('a'),
        n.node('a', 'approval', {
          assignees: [{ kind: 'role', role: 'r' }],
          claim: true,
          countersign: { kind: 'all' },
          next: 'end',
        }),
        n.end(),
      ),
    ).toEqual(['a: a claimable step needs countersign mode any']);
    expect(
      problems(
        n.start('a'),
        n.node('a', 'approval', {
          assignees: [{ kind: 'role', role: 'r' }],
          excludeDecidersOf: ['end'],
          next: 'end',
        }),
        n.end(),
      ),
    ).toEqual(['a: end is not a step of this workflow']);
  });

  it('compileWorkflow throws a 400 whose field problems point at the nodes', () => {
    try {
      compileWorkflow(workflowOf(n.start('end'), n.end(), n.step('orphan', ['rev1'], 'end')));
      expect.unreachable();
    } catch (error) {
      expect(isJoineryError(error) && error.status).toBe(400);
      expect(isJoineryError(error) && error.fields).toEqual([
        { field: '/nodes/orphan', reason: 'is not reachable from the start' },
      ]);
    }
  });

  it('freezes the compiled definition and does not share the caller’s objects', () => {
    const raw = workflowOf(n.start('end'), n.end());
    const compiled = compileWorkflow(raw);
    expect(Object.isFrozen(compiled.definition.nodes[0])).toBe(true);
    expect(Object.isFrozen(raw.nodes[0])).toBe(false);
  });
});
