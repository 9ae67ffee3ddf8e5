import { isJoineryError } from '@joinery/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import type { WorkflowEvent } from './events.ts';
import { lendingApprovalDefinition } from './fixtures/lending-approval.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { lendingOrg } from './testing/org-fixture.ts';
import { WorkflowDriver } from './testing/workflow-driver.ts';

const org = lendingOrg();
const users = Object.keys(org.users);

const lending = compileWorkflow(lendingApprovalDefinition('two-of-three'));
/** Parallel branches with countersign inside, a cancelling 1-of-2 join and a race. */
const parallel = compileWorkflow(
  workflowOf(
    n.start('intro'),
    n.step('intro', ['rev1', 'rev2'], 'p', {
      countersign: { kind: 'all' },
      deadline: { after: 'PT2H', escalation: 'manager' },
    }),
    n.node('p', 'split', { branches: ['a', 'b'], join: 'j' }),
    n.node('a', 'approval', {
      assignees: [{ kind: 'role', role: 'committee' }],
      countersign: { kind: 'n-of-m', n: 2 },
      next: 'j',
    }),
    n.node('b', 'race', {
      assignees: [{ kind: 'role', role: 'reviewer' }],
      claim: true,
      timer: { kind: 'for', duration: 'PT3H' },
      next: 'j',
      onTimer: 'j',
    }),
    n.node('j', 'join', { split: 'p', mode: 'any', next: 'final' }),
    n.step('final', ['fin1'], 'end', { deadline: { after: 'PT1H', escalation: 'auto-approve' } }),
    n.end(),
  ),
);

/** Nested parallel regions with an inclusive branch inside one branch. */
const nested = compileWorkflow(
  workflowOf(
    n.start('top'),
    n.step('top', ['ceo'], 'p'),
    n.node('p', 'split', { branches: ['a1', 'b'], join: 'j' }),
    n.step('a1', ['rev1'], 'a2'),
    n.step('a2', ['rev2'], 'q'),
    n.node('q', 'branch', {
      mode: 'inclusive',
      branches: [
        { when: { '>': [{ var: 'amount' }, 10] }, next: 'x' },
        { when: { '>': [{ var: 'amount' }, 100] }, next: 'y' },
      ],
      default: 'qj',
      join: 'qj',
    }),
    n.step('x', ['com1'], 'qj'),
    n.step('y', ['com2'], 'qj'),
    n.node('qj', 'join', { split: 'q', next: 'j' }),
    n.step('b', ['risk1'], 'j'),
    n.node('j', 'join', { split: 'p', mode: 'n-of-m', n: 2, cancelRemaining: false, next: 'end' }),
    n.end(),
  ),
);

/** Every event that could plausibly be sent now, valid or not. */
function candidates(d: WorkflowDriver, seenTasks: readonly string[]): WorkflowEvent[] {
  const out: WorkflowEvent[] = [];
  const act = (actor: string, action: Extract<WorkflowEvent, { type: 'action' }>['action']) =>
    out.push({ type: 'action', actor, action });
  const visited = Object.keys(d.state?.visits ?? {});
  for (const task of d.openTasks.values()) {
    const people = task.claimedBy === null ? task.assignees : [task.claimedBy];
    for (const actor of people) {
      const taskId = task.taskId;
      if (task.kind === 'resubmit') continue;
      act(actor, { kind: 'approve', taskId });
      act(actor, { kind: 'approve', taskId });
      act(actor, { kind: 'approve', taskId });
      act(actor, { kind: 'reject', taskId });
      act(actor, { kind: 'claim', taskId });
      act(actor, { kind: 'release', taskId });
      act(actor, { kind: 'comment', taskId, comment: 'c', attachments: ['f'] });
      act(actor, { kind: 'return', taskId, target: { kind: 'submitter' } });
      for (const nodeId of visited)
        act(actor, { kind: 'return', taskId, target: { kind: 'node', nodeId } });
      act(actor, { kind: 'transfer', taskId, to: 'rev3' });
      act(actor, { kind: 'transfer', taskId, to: 'com2' });
      act(actor, { kind: 'add-signer', taskId, userIds: ['risk1'], position: 'before' });
      act(actor, { kind: 'add-signer', taskId, userIds: ['comp1'], position: 'after' });
    }
    act('fin1', { kind: 'approve', taskId: task.taskId });
  }
  for (const taskId of seenTasks) act('rev1', { kind: 'approve', taskId });
  act('sales1', { kind: 'withdraw' });
  act('sales1', { kind: 'resubmit' });
  act('sales1', { kind: 'remind' });
  act('admin', { kind: 'cancel' });
  const movable = [...d.workflow.movableNodeIds];
  const moveTo = movable[seenTasks.length % movable.length];
  if (moveTo !== undefined) act('admin', { kind: 'move', nodeId: moveTo });
  for (const key of d.jobs.keys()) out.push({ type: 'timer', jobKey: key });
  out.push({ type: 'external', name: 'ping' });
  return out;
}

/** The engine's invariants, checked after every event. */
function checkInvariants(d: WorkflowDriver, completedRuns: Set<string>): void {
  const state = d.state;
  if (state === undefined) return;
  // The fake runtime's task table is exactly the engine's open tasks.
  expect([...d.openTasks.keys()].sort()).toEqual(Object.keys(state.tasks).sort());
  // One active run per step node; at most one open task per seat, each owned by its seat.
  const runsPerNode = new Map<string, number>();
  for (const run of Object.values(state.stepRuns)) {
    runsPerNode.set(run.nodeId, (runsPerNode.get(run.nodeId) ?? 0) + 1);
    expect(runsPerNode.get(run.nodeId)).toBe(1);
    const open = Object.values(state.tasks).filter((t) => t.stepRunId === run.id);
    expect(open.length).toBeLessThanOrEqual(run.seats.length);
    for (const task of open) {
      expect(run.seats.find((s) => s.id === task.seatId)?.taskId).toBe(task.id);
    }
    if (run.seats.length === 1) expect(open.length).toBeLessThanOrEqual(1);
    // One person, one vote: nobody holds two open tasks of the same step.
    const holders = open.map((t) => t.assignee).filter((a) => a !== null);
    expect(new Set(holders).size).toBe(holders.length);
  }
  // Every task belongs to a live run (or is the submitter's resubmit task).
  for (const task of Object.values(state.tasks)) {
    if (task.kind === 'approval') expect(state.stepRuns[task.stepRunId ?? '']).toBeDefined();
  }
  // No step run completes twice.
  for (const effect of d.lastEffects) {
    if (effect.type !== 'append-history') continue;
    const runId = effect.entry.details?.runId;
    if (typeof runId !== 'string') continue;
    expect(completedRuns.has(runId)).toBe(false);
    completedRuns.add(runId);
  }
  if (state.status === 'finished') {
    expect(d.openTasks.size).toBe(0);
    expect(Object.keys(state.tokens)).toEqual([]);
  }
}

function drive(
  workflow: typeof lending,
  record: Record<string, unknown>,
  choices: readonly number[],
): void {
  const d = new WorkflowDriver(workflow, org).start(record);
  const completedRuns = new Set<string>();
  const seenTasks = new Set<string>();
  checkInvariants(d, completedRuns);
  for (const choice of choices) {
    for (const id of d.openTasks.keys()) seenTasks.add(id);
    const options = candidates(d, [...seenTasks]);
    const event = options[choice % options.length];
    if (event === undefined) break;
    const before = d.state;
    const snapshot = structuredClone(before);
    try {
      d.send(event);
      // advance never writes to the state it was given.
      expect(before).toEqual(snapshot);
    } catch (error) {
      // A refused event is a catalogue error for the client, and changes nothing.
      if (!isJoineryError(error)) throw error;
      expect(error.status).toBeGreaterThanOrEqual(400);
      expect(error.status).toBeLessThan(500);
      expect(d.state).toBe(before);
      continue;
    }
    checkInvariants(d, completedRuns);
    if (d.outcome !== undefined) {
      const actor = users[choice % users.length] ?? 'rev1';
      for (const action of [
        { kind: 'withdraw' },
        { kind: 'cancel' },
        { kind: 'remind' },
      ] as const) {
        expect(() => d.act(actor, action)).toThrow(/has finished/);
      }
      for (const taskId of seenTasks) {
        expect(() => d.act('rev1', { kind: 'approve', taskId })).toThrow(/has finished/);
      }
      break;
    }
  }
}

const recordArb = fc.record({
  amount: fc.constantFrom(10_000, 49_999, 50_000, 150_000, 250_000),
  grade: fc.constantFrom('A', 'B', 'C'),
  debtToIncome: fc.constantFrom(0.1, 0.6),
  owner: fc.constant('sales1'),
});

describe('random action sequences', () => {
  it('keep the lending workflow consistent', () => {
    fc.assert(
      fc.property(recordArb, fc.array(fc.nat(), { maxLength: 40 }), (record, choices) => {
        drive(lending, record, choices);
      }),
      { numRuns: 150 },
    );
  });

  it('keep nested regions, inclusive branches and returns inside branches consistent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(5, 50, 500),
        fc.array(fc.nat(), { maxLength: 40 }),
        (amount, choices) => {
          drive(nested, { amount }, choices);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keep parallel countersigns, races and cancelling joins consistent', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (choices) => {
        drive(parallel, {}, choices);
      }),
      { numRuns: 150 },
    );
  });
});
