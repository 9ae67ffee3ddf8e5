import { decide } from './actions/decide-action.ts';
import { holdsSeat, reassignSeat } from './actions/reassign-actions.ts';
import type { EngineContext } from './engine-context.ts';
import type { JobState, TaskState } from './instance-state.ts';
import { managerOf } from './org-snapshot.ts';
import { mayTakePart } from './resolve-assignees.ts';
import { stepOf } from './step-runner.ts';
import { seatOf } from './task-access.ts';

/**
 * A scheduled job fired. Jobs the instance no longer expects (their task closed, the instance
 * finished) are ignored: the queue may run a job that was cancelled in a racing transaction.
 */
export function handleTimer(ctx: EngineContext, jobKey: string): void {
  const job = ctx.state.jobs[jobKey];
  if (job === undefined || job.kind === 'webhook') return;
  ctx.forgetJob(jobKey);
  if (job.kind === 'reminder' || job.kind === 'escalation') {
    const task = job.taskId === undefined ? undefined : ctx.state.tasks[job.taskId];
    if (task === undefined) return;
    if (job.kind === 'reminder') remind(ctx, task);
    else escalate(ctx, task);
    return;
  }
  tokenTimer(ctx, job);
}

function tokenTimer(ctx: EngineContext, job: JobState): void {
  const token = job.tokenId === undefined ? undefined : ctx.state.tokens[job.tokenId];
  if (token === undefined) return;
  ctx.node(token.nodeId).behaviour.onTimer?.(ctx, token, job);
}

function remind(ctx: EngineContext, task: TaskState): void {
  ctx.emit({
    type: 'notify',
    kind: 'reminder',
    userIds: task.assignee === null ? (task.candidates ?? []) : [task.assignee],
    nodeId: task.nodeId,
    taskId: task.id,
  });
  ctx.history({ actor: null, action: 'reminder-sent', nodeId: task.nodeId, taskId: task.id });
}

/**
 * The deadline passed: hand the task to the assignee's manager (default), or decide it
 * automatically. Without a manager, the admins are told and the task stays.
 */
function escalate(ctx: EngineContext, task: TaskState): void {
  const step = stepOf(ctx, task.nodeId);
  const how = step.deadline?.escalation ?? 'manager';
  if (how === 'auto-approve' || how === 'auto-reject') {
    decide(ctx, task, null, how === 'auto-approve' ? 'approve' : 'reject', {}, `escalation-${how}`);
    return;
  }
  const owner = task.onBehalfOf ?? task.assignee;
  const manager = owner === null ? undefined : managerOf(ctx.env.org, owner);
  if (manager === undefined || !mayTakePart(ctx, step, manager) || holdsSeat(ctx, task, manager)) {
    ctx.emit({
      type: 'notify',
      kind: 'escalated',
      userIds: [...ctx.env.org.admins],
      taskId: task.id,
      nodeId: task.nodeId,
    });
    ctx.history({ actor: null, action: 'escalation-failed', nodeId: task.nodeId, taskId: task.id });
    return;
  }
  const { run, seatId } = seatOf(ctx, task);
  const seat = run.seats.find((s) => s.id === seatId);
  if (seat === undefined) return;
  ctx.history({
    actor: null,
    action: 'escalated',
    nodeId: task.nodeId,
    taskId: task.id,
    details: { to: manager },
  });
  ctx.emit({
    type: 'notify',
    kind: 'escalated',
    userIds: [manager],
    taskId: task.id,
    nodeId: task.nodeId,
  });
  reassignSeat(ctx, task, seat, manager, 'escalated');
}
