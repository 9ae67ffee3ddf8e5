import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { advance } from './advance.ts';
import { compileWorkflow } from './compile-workflow.ts';
import type { WorkflowEvent } from './events.ts';
import { lendingApprovalDefinition } from './fixtures/lending-approval.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { lendingOrg } from './testing/org-fixture.ts';

const workflow = compileWorkflow(lendingApprovalDefinition());
const env = { now: '2026-11-23T09:00:00.000Z', org: lendingOrg() };
const startEvent: WorkflowEvent = {
  type: 'start',
  instanceId: 'i9',
  submitter: 'sales1',
  record: { amount: 30000, grade: 'A', owner: 'sales1' },
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isJoineryError(error)) return error.code;
    throw error;
  }
  return 'none';
}

describe('advance', () => {
  it('starts an instance: the first task, its deadline jobs, and the history', () => {
    const { state, effects } = advance(workflow, undefined, startEvent, env);
    expect(state).toMatchObject({
      instanceId: 'i9',
      definitionId: 'loan-approval',
      definitionVersion: 1,
      status: 'running',
    });
    expect(effects.map((e) => e.type)).toEqual([
      'append-history',
      'open-task',
      'schedule-job',
      'schedule-job',
    ]);
    expect(effects[1]).toEqual({
      type: 'open-task',
      taskId: 't4',
      nodeId: 'first-review',
      kind: 'approval',
      assignees: ['rev1', 'rev2', 'rev3'],
      offered: true,
      openedAt: env.now,
      deadline: '2026-11-24T09:00:00.000Z',
    });
    expect(effects[2]).toEqual({
      type: 'schedule-job',
      key: 'i9:t4:reminder',
      kind: 'reminder',
      runAt: '2026-11-24T05:00:00.000Z',
      taskId: 't4',
    });
  });

  it('is deterministic and leaves its inputs untouched', () => {
    const record = { amount: 30000, grade: 'A', owner: 'sales1' };
    const first = advance(workflow, undefined, { ...startEvent, record }, env);
    const copy = structuredClone(first.state);
    const act: WorkflowEvent = {
      type: 'action',
      actor: 'rev1',
      action: { kind: 'approve', taskId: 't4' },
    };
    const a = advance(workflow, first.state, act, env);
    const b = advance(workflow, first.state, act, env);
    expect(a).toEqual(b);
    expect(first.state).toEqual(copy);
    expect(Object.isFrozen(record)).toBe(false);
  });

  it('answers a repeated idempotency key with no effects', () => {
    const { state } = advance(workflow, undefined, startEvent, env);
    const act: WorkflowEvent = {
      type: 'action',
      actor: 'rev1',
      action: { kind: 'approve', taskId: 't4' },
      idempotencyKey: 'req-1',
    };
    const once = advance(workflow, state, act, env);
    const twice = advance(workflow, once.state, act, env);
    expect(twice.effects).toEqual([]);
    expect(twice.state).toBe(once.state);
  });

  it('refuses a second start, actions before the start, and a state of another definition', () => {
    const { state } = advance(workflow, undefined, startEvent, env);
    expect(code(() => advance(workflow, state, startEvent, env))).toBe(
      'JNY_WORKFLOW_INSTANCE_STARTED',
    );
    expect(code(() => advance(workflow, undefined, { type: 'timer', jobKey: 'x' }, env))).toBe(
      'JNY_WORKFLOW_INSTANCE_NOT_STARTED',
    );
    const other = compileWorkflow(workflowOf(n.start('end'), n.end()));
    expect(code(() => advance(other, state, { type: 'timer', jobKey: 'x' }, env))).toBe(
      'JNY_WORKFLOW_STATE_MISMATCH',
    );
  });

  it('ignores stale timers and events once finished, but refuses actions', () => {
    let { state } = advance(workflow, undefined, startEvent, env);
    state = advance(
      workflow,
      state,
      { type: 'action', actor: 'sales1', action: { kind: 'withdraw' } },
      env,
    ).state;
    expect(state.outcome).toBe('cancelled');
    expect(
      advance(workflow, state, { type: 'timer', jobKey: 'i9:t4:reminder' }, env).effects,
    ).toEqual([]);
    expect(advance(workflow, state, { type: 'external', name: 'x' }, env).effects).toEqual([]);
    expect(
      code(() =>
        advance(
          workflow,
          state,
          { type: 'action', actor: 'rev1', action: { kind: 'approve', taskId: 't4' } },
          env,
        ),
      ),
    ).toBe('JNY_WORKFLOW_INSTANCE_FINISHED');
  });

  it('ignores a timer whose task has closed', () => {
    let { state } = advance(workflow, undefined, startEvent, env);
    state = advance(
      workflow,
      state,
      { type: 'action', actor: 'rev1', action: { kind: 'approve', taskId: 't4' } },
      env,
    ).state;
    expect(
      advance(workflow, state, { type: 'timer', jobKey: 'i9:t4:escalation' }, env).effects,
    ).toEqual([]);
  });
});
