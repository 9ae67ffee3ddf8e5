import { millisBetween } from '../duration.ts';
import type { EngineContext } from '../engine-context.ts';
import { assertAllowedEdits } from '../field-permissions.ts';
import type { TaskState } from '../instance-state.ts';
import { stepOf, voteOnSeat } from '../step-runner.ts';
import { type Acting, requireActor, requireTask, seatOf } from '../task-access.ts';

/** What accompanies a decision in the timeline. */
export interface DecisionNote {
  readonly comment?: string;
  readonly attachments?: readonly string[];
}

/**
 * Records a decision on a task and counts the vote: closes the task, writes the timeline entry
 * (with the time spent since the task opened), remembers the decider for four-eyes checks and
 * route-back, and settles the step if the vote decides it. `actor` null is the system
 * (escalation's automatic decision).
 */
export function decide(
  ctx: EngineContext,
  task: TaskState,
  actor: string | null,
  vote: 'approve' | 'reject',
  note: DecisionNote & Acting,
  action: string = vote === 'approve' ? 'approved' : 'rejected',
): void {
  const { run, seatId } = seatOf(ctx, task);
  ctx.closeTask(
    task.id,
    vote === 'approve' ? 'approved' : 'rejected',
    actor ?? undefined,
    note.onBehalfOf,
  );
  ctx.history({
    actor,
    action,
    nodeId: task.nodeId,
    taskId: task.id,
    timeSpentMs: millisBetween(task.openedAt, ctx.now),
    ...note,
  });
  const decider = actor === null ? undefined : (note.onBehalfOf ?? actor);
  const visit = ctx.state.visits[task.nodeId];
  ctx.patch({
    firstDecisionAt: ctx.state.firstDecisionAt ?? ctx.now,
    ...(vote === 'approve' && decider !== undefined ? { lastApprover: decider } : {}),
    ...(vote === 'approve' && decider !== undefined && visit !== undefined
      ? {
          visits: {
            ...ctx.state.visits,
            [task.nodeId]: {
              ...visit,
              deciders: [...visit.deciders, decider],
              ...(actor === null || decider === actor
                ? {}
                : { delegates: [...(visit.delegates ?? []), actor] }),
            },
          },
        }
      : {}),
  });
  voteOnSeat(ctx, run.id, seatId, vote);
}

/** `approve`: with optional field edits, which the step must allow. */
export function approveAction(
  ctx: EngineContext,
  actor: string,
  action: { taskId: string; patch?: Readonly<Record<string, unknown>> } & DecisionNote,
): void {
  const task = requireTask(ctx, action.taskId);
  const acting = requireActor(ctx, task, actor);
  if (action.patch !== undefined) {
    assertAllowedEdits(stepOf(ctx, task.nodeId).fields, action.patch);
    ctx.updateRecord(action.patch);
  }
  decide(ctx, task, actor, 'approve', noteOf(action, acting));
}

/** `reject`: a vote against; when the step can no longer pass, the instance ends rejected. */
export function rejectAction(
  ctx: EngineContext,
  actor: string,
  action: { taskId: string } & DecisionNote,
): void {
  const task = requireTask(ctx, action.taskId);
  const acting = requireActor(ctx, task, actor);
  decide(ctx, task, actor, 'reject', noteOf(action, acting));
}

/** The timeline fields of an action, without undefined properties. */
export function noteOf(action: DecisionNote, acting: Acting): DecisionNote & Acting {
  return {
    ...(action.comment === undefined ? {} : { comment: action.comment }),
    ...(action.attachments === undefined ? {} : { attachments: [...action.attachments] }),
    ...acting,
  };
}
