import { JoineryError } from '@joinery/shared';
import { millisBetween } from '../duration.ts';
import type { EngineContext } from '../engine-context.ts';
import type { ReturnTarget } from '../events.ts';
import { dropScopesUnder, hasPrefix } from '../scope.ts';
import { requireActor, requireTask } from '../task-access.ts';
import { type DecisionNote, noteOf } from './decide-action.ts';

/**
 * `return` (退回): sends the instance back — to an earlier step, which opens again (cancelling
 * whatever ran after it in the same branch), or to the submitter, who gets a `resubmit` task;
 * all running work is cancelled until they resubmit. A step inside a parallel branch can be
 * returned to only from the same branch.
 */
export function returnAction(
  ctx: EngineContext,
  actor: string,
  action: { taskId: string; target: ReturnTarget } & DecisionNote,
): void {
  const task = requireTask(ctx, action.taskId);
  const acting = requireActor(ctx, task, actor);
  const run = task.stepRunId === undefined ? undefined : ctx.state.stepRuns[task.stepRunId];
  const token = run === undefined ? undefined : ctx.state.tokens[run.tokenId];
  if (token === undefined) {
    throw new JoineryError('JNY_WORKFLOW_ACTION_NOT_ALLOWED', {
      action: 'return',
      reason: 'the task is not a review task',
    });
  }
  const target = action.target;
  let visitLineage: readonly string[] = [];
  if (target.kind === 'node') {
    const visit = ctx.state.visits[target.nodeId];
    const reason =
      ctx.workflow.nodes.get(target.nodeId)?.behaviour.role.kind !== 'step'
        ? 'it is not a review step'
        : target.nodeId === task.nodeId
          ? 'it is the current step'
          : visit === undefined
            ? 'the instance has not passed it'
            : !hasPrefix(token.lineage, visit.lineage)
              ? 'it lies in another parallel branch'
              : undefined;
    if (reason !== undefined || visit === undefined) {
      throw new JoineryError('JNY_WORKFLOW_RETURN_TARGET_INVALID', {
        nodeId: target.nodeId,
        reason: reason ?? 'unknown step',
      });
    }
    visitLineage = visit.lineage;
  }
  ctx.closeTask(task.id, 'returned', actor, acting.onBehalfOf);
  ctx.history({
    actor,
    action: 'returned',
    nodeId: task.nodeId,
    taskId: task.id,
    timeSpentMs: millisBetween(task.openedAt, ctx.now),
    details: { to: target.kind === 'node' ? target.nodeId : 'submitter' },
    ...noteOf(action, acting),
  });
  ctx.patch({ firstDecisionAt: ctx.state.firstDecisionAt ?? ctx.now });
  ctx.emit({
    type: 'notify',
    kind: 'returned',
    userIds: [ctx.state.submitter],
    nodeId: task.nodeId,
    ...(action.comment === undefined ? {} : { message: action.comment }),
  });
  if (target.kind === 'node') markRouteBack(ctx, target.nodeId, undefined);
  else markRouteBack(ctx, task.nodeId, actor);
  if (target.kind === 'node') {
    ctx.cancelTokens((t) => hasPrefix(t.lineage, visitLineage), 'cancelled');
    dropScopesUnder(ctx, visitLineage);
    ctx.spawn(target.nodeId, visitLineage);
    return;
  }
  const resumeAt = resumePoint(ctx, task.nodeId, token.lineage);
  ctx.cancelTokens(() => true, 'cancelled');
  ctx.patch({ status: 'returned', scopes: {}, resumeAt });
  ctx.openTask({
    id: ctx.nextId('t'),
    nodeId: ctx.workflow.startNodeId,
    kind: 'resubmit',
    assignee: ctx.state.submitter,
    openedAt: ctx.now,
  });
}

/**
 * Where a resubmission resumes: the returning step, or — if it sat inside a parallel branch —
 * the outermost split, so the whole parallel region runs again. With the start node's
 * `resubmit: restart`, from the beginning.
 */
function resumePoint(
  ctx: EngineContext,
  nodeId: string,
  lineage: readonly string[],
): { nodeId: string; lineage: readonly string[] } {
  const start = ctx.node(ctx.workflow.startNodeId).behaviour.role;
  if (start.kind === 'start' && start.resubmit === 'restart') {
    return { nodeId: ctx.workflow.startNodeId, lineage: [] };
  }
  const outer = lineage[0];
  if (outer === undefined) return { nodeId, lineage: [] };
  const scope = ctx.state.scopes[outer.slice(0, outer.indexOf(':'))];
  return { nodeId: scope?.splitNodeId ?? ctx.workflow.startNodeId, lineage: [] };
}

/** `resubmit`: the submitter sends a returned request back in (with edits); the flow resumes. */
export function resubmitAction(
  ctx: EngineContext,
  actor: string,
  action: { patch?: Readonly<Record<string, unknown>> } & DecisionNote,
): void {
  if (actor !== ctx.state.submitter) {
    throw new JoineryError('JNY_WORKFLOW_NOT_SUBMITTER', { action: 'resubmit' });
  }
  const resume = ctx.state.resumeAt;
  if (ctx.state.status !== 'returned' || resume === undefined) {
    throw new JoineryError('JNY_WORKFLOW_ACTION_NOT_ALLOWED', {
      action: 'resubmit',
      reason: 'the request has not been returned to the submitter',
    });
  }
  for (const task of Object.values(ctx.state.tasks)) {
    if (task.kind === 'resubmit') ctx.closeTask(task.id, 'resubmitted', actor);
  }
  if (action.patch !== undefined) ctx.updateRecord(action.patch);
  ctx.history({ actor, action: 'resubmitted', ...noteOf(action, {}) });
  const { resumeAt: _done, ...rest } = ctx.state;
  ctx.state = { ...rest, status: 'running' };
  ctx.spawn(resume.nodeId, resume.lineage);
}

/** Remembers who `nodeId` goes back to: `returner`, or else the step's last approvers. */
function markRouteBack(ctx: EngineContext, nodeId: string, returner: string | undefined): void {
  const visit = ctx.state.visits[nodeId];
  if (visit === undefined) return;
  const routeBackTo = returner === undefined ? visit.deciders : [returner];
  ctx.patch({ visits: { ...ctx.state.visits, [nodeId]: { ...visit, routeBackTo } } });
}
