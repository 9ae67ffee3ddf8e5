import { JoineryError } from '@joinery/shared';
import type { EngineContext } from '../engine-context.ts';
import type { Seat, TaskState } from '../instance-state.ts';
import { mayTakePart } from '../resolve-assignees.ts';
import { openSeat, replaceSeat, stepOf } from '../step-runner.ts';
import { type Acting, requireActor, requireTask, seatOf } from '../task-access.ts';

function notAllowed(action: string, reason: string): JoineryError {
  return new JoineryError('JNY_WORKFLOW_ACTION_NOT_ALLOWED', { action, reason });
}

/**
 * The seat behind a task, with the acting user settled as its current signer, and whom they act
 * for (a delegate acts for the absent assignee).
 */
function claimedSeat(
  ctx: EngineContext,
  task: TaskState,
  actor: string,
  action: string,
): { seat: Seat; acting: Acting } {
  const acting = requireActor(ctx, task, actor);
  const { run, seatId } = seatOf(ctx, task);
  const seat = run.seats.find((s) => s.id === seatId);
  if (seat === undefined) throw notAllowed(action, 'the task has no seat');
  if (task.assignee === null) throw notAllowed(action, 'claim the task first');
  return { seat, acting };
}

/** Whether `user` already signs in the task's step (one person, one vote). */
export function holdsSeat(ctx: EngineContext, task: TaskState, user: string): boolean {
  const { run } = seatOf(ctx, task);
  return run.seats.some(
    (s) =>
      s.status !== 'cancelled' &&
      (s.chain.includes(user) || (s.chain.length === 0 && s.candidates?.includes(user) === true)),
  );
}

function checkNewSigner(ctx: EngineContext, task: TaskState, user: string, action: string): void {
  if (holdsSeat(ctx, task, user)) {
    throw notAllowed(action, `${user} already signs at this step`);
  }
  if (!mayTakePart(ctx, stepOf(ctx, task.nodeId), user)) {
    throw notAllowed(
      action,
      `${user} may not take part in this step (unknown, inactive, or four-eyes)`,
    );
  }
}

/**
 * Hands the task's seat to someone else: `to` replaces the current signer and gets a new task
 * (their delegate's, on their behalf, while they are away); the old task closes as `reason`
 * (`transferred`, or `escalated` for deadline escalation), by `by` for `onBehalfOf`.
 */
export function reassignSeat(
  ctx: EngineContext,
  task: TaskState,
  seat: Seat,
  to: string,
  reason: 'transferred' | 'escalated',
  by?: string,
  onBehalfOf?: string,
): void {
  const { run } = seatOf(ctx, task);
  const chain =
    seat.candidates === undefined
      ? seat.chain.map((user, i) => (i === seat.position ? to : user))
      : [to];
  const { candidates: _offer, taskId: _old, ...rest } = seat;
  ctx.closeTask(task.id, reason, by, onBehalfOf);
  replaceSeat(ctx, run.id, { ...rest, chain, status: 'pending' });
  openSeat(ctx, run.id, seat.id);
}

/** `transfer` (转办): the task goes to a colleague, who decides in the actor's place. */
export function transferAction(
  ctx: EngineContext,
  actor: string,
  action: { taskId: string; to: string; comment?: string },
): void {
  const task = requireTask(ctx, action.taskId);
  const { seat, acting } = claimedSeat(ctx, task, actor, 'transfer');
  if (action.to === task.assignee) throw notAllowed('transfer', 'the task is already theirs');
  checkNewSigner(ctx, task, action.to, 'transfer');
  ctx.history({
    actor,
    action: 'transferred',
    nodeId: task.nodeId,
    taskId: task.id,
    details: { to: action.to },
    ...acting,
    ...(action.comment === undefined ? {} : { comment: action.comment }),
  });
  reassignSeat(ctx, task, seat, action.to, 'transferred', actor, acting.onBehalfOf);
}

/**
 * `add-signer` (加签): more people must approve this vote. `before`: they decide first, in order,
 * then the task comes back to the actor (whose task is suspended meanwhile). `after`: the actor
 * keeps the task; once they approve, the added signers follow in order.
 */
export function addSignerAction(
  ctx: EngineContext,
  actor: string,
  action: {
    taskId: string;
    userIds: readonly string[];
    position: 'before' | 'after';
    comment?: string;
  },
): void {
  const task = requireTask(ctx, action.taskId);
  const { seat, acting } = claimedSeat(ctx, task, actor, 'add-signer');
  const users = [...new Set(action.userIds)];
  if (users.length === 0) throw notAllowed('add-signer', 'name at least one signer');
  for (const user of users) checkNewSigner(ctx, task, user, 'add-signer');
  const { run } = seatOf(ctx, task);
  const at = action.position === 'before' ? seat.position : seat.position + 1;
  const chain = [...seat.chain.slice(0, at), ...users, ...seat.chain.slice(at)];
  ctx.history({
    actor,
    action: 'signer-added',
    nodeId: task.nodeId,
    taskId: task.id,
    details: { userIds: users, position: action.position },
    ...acting,
    ...(action.comment === undefined ? {} : { comment: action.comment }),
  });
  if (action.position === 'after') {
    replaceSeat(ctx, run.id, { ...seat, chain });
    return;
  }
  const { taskId: _old, ...rest } = seat;
  ctx.closeTask(task.id, 'suspended', actor, acting.onBehalfOf);
  replaceSeat(ctx, run.id, { ...rest, chain, status: 'pending' });
  openSeat(ctx, run.id, seat.id);
}

/** `claim` (认领): one candidate takes an offered task; the others no longer may act on it. */
export function claimAction(ctx: EngineContext, actor: string, action: { taskId: string }): void {
  const task = requireTask(ctx, action.taskId);
  if (task.candidates === undefined)
    throw notAllowed('claim', 'the task is not offered to a group');
  if (task.assignee !== null) {
    if (task.assignee === actor) return;
    throw new JoineryError('JNY_WORKFLOW_TASK_CLAIMED', { taskId: task.id });
  }
  const acting = requireActor(ctx, task, actor);
  const { run, seatId } = seatOf(ctx, task);
  const seat = run.seats.find((s) => s.id === seatId);
  if (seat !== undefined) replaceSeat(ctx, run.id, { ...seat, chain: [actor], position: 0 });
  // A delegate claims on behalf of the absent candidate, and decides on their behalf too.
  ctx.putTask({ ...task, assignee: actor, ...acting });
  ctx.emit({
    type: 'update-task',
    taskId: task.id,
    claimedBy: actor,
    onBehalfOf: acting.onBehalfOf ?? null,
  });
  ctx.history({ actor, action: 'claimed', nodeId: task.nodeId, taskId: task.id, ...acting });
}

/** `release`: the claimer gives an offered task back to the group. */
export function releaseAction(ctx: EngineContext, actor: string, action: { taskId: string }): void {
  const task = requireTask(ctx, action.taskId);
  if (task.candidates === undefined)
    throw notAllowed('release', 'the task is not offered to a group');
  if (task.assignee !== actor)
    throw new JoineryError('JNY_WORKFLOW_NOT_ASSIGNEE', { taskId: task.id });
  const { run, seatId } = seatOf(ctx, task);
  const seat = run.seats.find((s) => s.id === seatId);
  if (seat !== undefined) replaceSeat(ctx, run.id, { ...seat, chain: [], position: 0 });
  const { onBehalfOf: _claimedFor, ...offered } = task;
  ctx.putTask({ ...offered, assignee: null });
  ctx.emit({ type: 'update-task', taskId: task.id, claimedBy: null, onBehalfOf: null });
  ctx.history({ actor, action: 'released', nodeId: task.nodeId, taskId: task.id });
}
