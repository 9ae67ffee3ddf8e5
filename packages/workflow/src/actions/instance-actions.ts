import { JoineryError } from '@joinery/shared';
import type { EngineContext } from '../engine-context.ts';
import { isAdmin } from '../org-snapshot.ts';
import { requireActor, requireTask } from '../task-access.ts';

/**
 * `withdraw` (撤回): the submitter takes the request back — only before any reviewer decided,
 * or while it is returned to them. The instance ends cancelled.
 */
export function withdrawAction(
  ctx: EngineContext,
  actor: string,
  action: { comment?: string },
): void {
  if (actor !== ctx.state.submitter) {
    throw new JoineryError('JNY_WORKFLOW_NOT_SUBMITTER', { action: 'withdraw' });
  }
  if (ctx.state.status !== 'returned' && ctx.state.firstDecisionAt !== undefined) {
    throw new JoineryError('JNY_WORKFLOW_WITHDRAW_TOO_LATE');
  }
  ctx.history({
    actor,
    action: 'withdrawn',
    ...(action.comment === undefined ? {} : { comment: action.comment }),
  });
  notifyAssignees(ctx, 'cancelled');
  ctx.finish('cancelled', 'withdrawn');
}

/** `cancel`: an administrator stops the instance (cancel case). */
export function cancelAction(
  ctx: EngineContext,
  actor: string,
  action: { comment?: string },
): void {
  if (!isAdmin(ctx.env.org, actor)) {
    throw new JoineryError('JNY_WORKFLOW_NOT_ADMIN', { action: 'cancel' });
  }
  ctx.history({
    actor,
    action: 'cancelled',
    ...(action.comment === undefined ? {} : { comment: action.comment }),
  });
  notifyAssignees(ctx, 'cancelled');
  ctx.emit({ type: 'notify', kind: 'cancelled', userIds: [ctx.state.submitter] });
  ctx.finish('cancelled', 'cancelled by an administrator');
}

/** `remind` (催办): the submitter or an admin nudges the assignees of open tasks (or of one). */
export function remindAction(ctx: EngineContext, actor: string, action: { taskId?: string }): void {
  if (actor !== ctx.state.submitter && !isAdmin(ctx.env.org, actor)) {
    throw new JoineryError('JNY_WORKFLOW_NOT_SUBMITTER', { action: 'remind' });
  }
  const tasks =
    action.taskId === undefined
      ? Object.values(ctx.state.tasks).filter((t) => t.kind === 'approval')
      : [requireTask(ctx, action.taskId)];
  for (const task of tasks) {
    ctx.emit({
      type: 'notify',
      kind: 'remind',
      userIds: task.assignee === null ? (task.candidates ?? []) : [task.assignee],
      nodeId: task.nodeId,
      taskId: task.id,
    });
  }
  ctx.history({ actor, action: 'reminded', details: { taskIds: tasks.map((t) => t.id) } });
}

/**
 * `comment`: a remark with attachment references, on the timeline. On a task, only who may act
 * on it may comment; otherwise anyone the runtime lets read the instance.
 */
export function commentAction(
  ctx: EngineContext,
  actor: string,
  action: { taskId?: string; comment: string; attachments?: readonly string[] },
): void {
  let nodeId: string | undefined;
  if (action.taskId !== undefined) {
    const task = requireTask(ctx, action.taskId);
    requireActor(ctx, task, actor);
    nodeId = task.nodeId;
  }
  ctx.history({
    actor,
    action: 'commented',
    comment: action.comment,
    ...(nodeId === undefined ? {} : { nodeId }),
    ...(action.taskId === undefined ? {} : { taskId: action.taskId }),
    ...(action.attachments === undefined ? {} : { attachments: [...action.attachments] }),
  });
}

function notifyAssignees(ctx: EngineContext, kind: 'cancelled'): void {
  const users = new Set<string>();
  for (const task of Object.values(ctx.state.tasks)) {
    for (const user of task.assignee === null ? (task.candidates ?? []) : [task.assignee]) {
      if (user !== ctx.state.submitter) users.add(user);
    }
  }
  if (users.size > 0) ctx.emit({ type: 'notify', kind, userIds: [...users] });
}

/**
 * `move` (admin): unsticks an instance — a failed webhook, a step nobody can take — by
 * cancelling all running work and placing control at `nodeId`, which must lie outside parallel
 * regions. Works on a returned instance too (the resubmit task is cancelled).
 */
export function moveAction(
  ctx: EngineContext,
  actor: string,
  action: { nodeId: string; comment?: string },
): void {
  if (!isAdmin(ctx.env.org, actor)) {
    throw new JoineryError('JNY_WORKFLOW_NOT_ADMIN', { action: 'move' });
  }
  if (!ctx.workflow.movableNodeIds.has(action.nodeId)) {
    throw new JoineryError('JNY_WORKFLOW_RETURN_TARGET_INVALID', {
      nodeId: action.nodeId,
      reason: 'an instance can only be moved to a node outside parallel branches',
    });
  }
  ctx.history({
    actor,
    action: 'moved',
    nodeId: action.nodeId,
    ...(action.comment === undefined ? {} : { comment: action.comment }),
  });
  ctx.cancelTokens(() => true, 'cancelled');
  for (const task of Object.values(ctx.state.tasks)) ctx.closeTask(task.id, 'cancelled');
  const { resumeAt: _dropped, ...rest } = ctx.state;
  ctx.state = { ...rest, status: 'running', scopes: {} };
  ctx.spawn(action.nodeId, []);
}
