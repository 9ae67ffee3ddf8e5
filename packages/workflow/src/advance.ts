import { JoineryError } from '@joinery/shared';
import { approveAction, rejectAction } from './actions/decide-action.ts';
import {
  cancelAction,
  commentAction,
  moveAction,
  remindAction,
  withdrawAction,
} from './actions/instance-actions.ts';
import {
  addSignerAction,
  claimAction,
  releaseAction,
  transferAction,
} from './actions/reassign-actions.ts';
import { resubmitAction, returnAction } from './actions/return-action.ts';
import type { CompiledWorkflow } from './compiled-workflow.ts';
import type { WorkflowEffect } from './effects.ts';
import { EngineContext } from './engine-context.ts';
import type { WorkflowEnv } from './env.ts';
import type { ActionEvent, StartEvent, WorkflowEvent } from './events.ts';
import type { InstanceState } from './instance-state.ts';
import { handleTimer } from './timers.ts';

/** The result of `advance`: the next state and the effects to apply with it, in order. */
export interface AdvanceResult {
  readonly state: InstanceState;
  readonly effects: readonly WorkflowEffect[];
}

/** How many idempotency keys an instance remembers. */
const RECENT_KEYS = 100;

/**
 * The workflow engine: a pure function of the compiled definition, the instance state, one event
 * and the environment (clock, organisation). It returns a new state and the effects the runtime
 * applies in the same transaction that stores that state. It never mutates its inputs, never
 * reads the clock and does no I/O, so the same call always gives the same answer — a retried
 * transaction produces the same task ids and job keys.
 *
 * `state` is undefined only for a `start` event. Actions on a finished instance fail with
 * `JNY_WORKFLOW_INSTANCE_FINISHED` (409); stale timers, job results and external events for it
 * are ignored (no effects). An event whose `idempotencyKey` was seen recently has no effect.
 * Invalid actions throw a `JoineryError` and leave the state as it was.
 */
export function advance(
  workflow: CompiledWorkflow,
  state: InstanceState | undefined,
  event: WorkflowEvent,
  env: WorkflowEnv,
): AdvanceResult {
  if (event.type === 'start') {
    if (state !== undefined) throw new JoineryError('JNY_WORKFLOW_INSTANCE_STARTED');
    return finish(start(workflow, event, env), event.idempotencyKey);
  }
  if (state === undefined) throw new JoineryError('JNY_WORKFLOW_INSTANCE_NOT_STARTED');
  if (state.definitionId !== workflow.id || state.definitionVersion !== workflow.version) {
    throw new JoineryError('JNY_WORKFLOW_STATE_MISMATCH', {
      details: `instance of ${state.definitionId} v${state.definitionVersion}, definition ${workflow.id} v${workflow.version}`,
    });
  }
  const key = 'idempotencyKey' in event ? event.idempotencyKey : undefined;
  if (key !== undefined && state.recentKeys.includes(key)) return { state, effects: [] };
  if (state.status === 'finished') {
    if (event.type === 'action') {
      throw new JoineryError('JNY_WORKFLOW_INSTANCE_FINISHED', { outcome: state.outcome ?? '' });
    }
    return { state, effects: [] };
  }
  const ctx = new EngineContext(workflow, state, env);
  switch (event.type) {
    case 'action':
      act(ctx, event);
      break;
    case 'timer':
      handleTimer(ctx, event.jobKey);
      break;
    case 'external':
      external(ctx, event.name, event.payload);
      break;
    case 'job-result':
      jobResult(ctx, event.jobKey, event.ok, event.patch, event.error);
      break;
  }
  return finish(ctx, key);
}

function start(workflow: CompiledWorkflow, event: StartEvent, env: WorkflowEnv): EngineContext {
  const initial: InstanceState = {
    instanceId: event.instanceId,
    definitionId: workflow.id,
    definitionVersion: workflow.version,
    status: 'running',
    submitter: event.submitter,
    record: structuredClone(event.record),
    startedAt: env.now,
    seq: 0,
    tokens: {},
    stepRuns: {},
    tasks: {},
    closedTasks: {},
    jobs: {},
    scopes: {},
    visits: {},
    pendingEvents: [],
    recentKeys: [],
  };
  const ctx = new EngineContext(workflow, initial, env);
  ctx.history({ actor: event.submitter, action: 'started' });
  ctx.spawn(workflow.startNodeId, []);
  return ctx;
}

function act(ctx: EngineContext, event: ActionEvent): void {
  const { actor, action } = event;
  if (
    ctx.state.status === 'returned' &&
    !['resubmit', 'withdraw', 'comment', 'cancel', 'move'].includes(action.kind)
  ) {
    throw new JoineryError('JNY_WORKFLOW_ACTION_NOT_ALLOWED', {
      action: action.kind,
      reason: 'the request is back with the submitter',
    });
  }
  switch (action.kind) {
    case 'approve':
      approveAction(ctx, actor, action);
      return;
    case 'reject':
      rejectAction(ctx, actor, action);
      return;
    case 'return':
      returnAction(ctx, actor, action);
      return;
    case 'transfer':
      transferAction(ctx, actor, action);
      return;
    case 'add-signer':
      addSignerAction(ctx, actor, action);
      return;
    case 'claim':
      claimAction(ctx, actor, action);
      return;
    case 'release':
      releaseAction(ctx, actor, action);
      return;
    case 'comment':
      commentAction(ctx, actor, action);
      return;
    case 'withdraw':
      withdrawAction(ctx, actor, action);
      return;
    case 'remind':
      remindAction(ctx, actor, action);
      return;
    case 'cancel':
      cancelAction(ctx, actor, action);
      return;
    case 'resubmit':
      resubmitAction(ctx, actor, action);
      return;
    case 'move':
      moveAction(ctx, actor, action);
      return;
  }
}

/** Delivers an external event to the branch waiting for it, or keeps it for later. */
function external(ctx: EngineContext, name: string, payload: unknown): void {
  const waiting = Object.values(ctx.state.tokens).find((t) => t.waitingFor === name);
  if (waiting === undefined) {
    const kept = payload === undefined ? { name } : { name, payload: structuredClone(payload) };
    ctx.patch({ pendingEvents: [...ctx.state.pendingEvents, kept] });
    ctx.history({ actor: null, action: 'event-kept', details: { name } });
    return;
  }
  ctx.node(waiting.nodeId).behaviour.onEvent?.(ctx, waiting, name);
}

function jobResult(
  ctx: EngineContext,
  jobKey: string,
  ok: boolean,
  patch: Readonly<Record<string, unknown>> | undefined,
  error: string | undefined,
): void {
  const job = ctx.state.jobs[jobKey];
  if (job?.kind !== 'webhook') return;
  ctx.forgetJob(jobKey);
  const token = job.tokenId === undefined ? undefined : ctx.state.tokens[job.tokenId];
  if (token === undefined) return;
  if (ok && patch !== undefined) ctx.updateRecord(patch);
  ctx.node(token.nodeId).behaviour.onJobResult?.(ctx, token, ok, error);
}

function finish(ctx: EngineContext, key: string | undefined): AdvanceResult {
  if (key !== undefined) {
    ctx.patch({ recentKeys: [...ctx.state.recentKeys, key].slice(-RECENT_KEYS) });
  }
  // Not frozen: freezing costs more than the rest of the call, and the readonly types already
  // keep callers from writing. The engine itself never writes to an object it has returned.
  return { state: ctx.state, effects: ctx.effects };
}
