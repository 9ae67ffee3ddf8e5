import { isJoineryError, JoineryError } from '@joinery/shared';
import type { CompiledWorkflow } from './compiled-workflow.ts';
import { EngineContext } from './engine-context.ts';
import type { WorkflowEnv } from './env.ts';
import type { InstanceState, StepRun, TaskState } from './instance-state.ts';
import { actsFor } from './org-snapshot.ts';
import { mayTakePart } from './resolve-assignees.ts';
import { stepOf } from './step-runner.ts';

/** The open task `taskId`; 409 if it was closed (naming why), 404 if it never existed. */
export function requireTask(ctx: EngineContext, taskId: string): TaskState {
  const task = ctx.state.tasks[taskId];
  if (task !== undefined) return task;
  const closed = ctx.state.closedTasks[taskId];
  if (closed !== undefined) {
    throw new JoineryError('JNY_WORKFLOW_TASK_CLOSED', { taskId, outcome: closed });
  }
  throw new JoineryError('JNY_WORKFLOW_TASK_NOT_FOUND', { taskId });
}

/** Who the actor stands in for on a task (delegation), or undefined when acting as themself. */
export interface Acting {
  readonly onBehalfOf?: string;
}

/**
 * Checks that `actor` may act on `task`: the assignee, the absent user a delegated task was
 * opened for, or a delegate in force now. On an unclaimed offered task any candidate may act
 * (acting claims it); a claimed one belongs to its claimer (409 for other candidates).
 */
export function requireActor(ctx: EngineContext, task: TaskState, actor: string): Acting {
  const { org } = ctx.env;
  // A delegate must be one the step would take (four-eyes); a resubmission has no step.
  const eligible =
    task.kind === 'approval'
      ? (user: string) => mayTakePart(ctx, stepOf(ctx, task.nodeId), user)
      : () => true;
  const standsIn = (user: string) => actsFor(org, actor, user, ctx.now, eligible);
  if (task.assignee === null) {
    const candidates = task.candidates ?? [];
    // One's own candidacy first: a candidate who also stands in for another acts for themself.
    const candidate = candidates.includes(actor) ? actor : candidates.find(standsIn);
    if (candidate === undefined) {
      throw new JoineryError('JNY_WORKFLOW_NOT_ASSIGNEE', { taskId: task.id });
    }
    const absent = candidate === actor ? task.standIns?.[actor] : candidate;
    return absent === undefined ? {} : { onBehalfOf: absent };
  }
  if (task.assignee === actor) {
    return task.onBehalfOf === undefined ? {} : { onBehalfOf: task.onBehalfOf };
  }
  if (task.onBehalfOf === actor) return {};
  if (standsIn(task.assignee)) return { onBehalfOf: task.assignee };
  if (task.candidates?.some(standsIn)) {
    throw new JoineryError('JNY_WORKFLOW_TASK_CLAIMED', { taskId: task.id });
  }
  throw new JoineryError('JNY_WORKFLOW_NOT_ASSIGNEE', { taskId: task.id });
}

/** The step run and seat behind an approval task. */
export function seatOf(ctx: EngineContext, task: TaskState): { run: StepRun; seatId: string } {
  const run = task.stepRunId === undefined ? undefined : ctx.state.stepRuns[task.stepRunId];
  if (run === undefined || task.seatId === undefined) {
    throw new JoineryError('JNY_WORKFLOW_ACTION_NOT_ALLOWED', {
      action: 'this action',
      reason: 'the task is not a review task',
    });
  }
  return { run, seatId: task.seatId };
}

/**
 * Whether the engine would let `actor` act on the open task `taskId` now — `requireActor`
 * itself, for runtimes that list what a user may act on (a delegate's to-do must not offer a
 * task a four-eyes rule keeps them from). False for closed or unknown tasks and finished
 * instances.
 */
export function mayActOn(
  workflow: CompiledWorkflow,
  state: InstanceState,
  env: WorkflowEnv,
  taskId: string,
  actor: string,
): boolean {
  const task = state.tasks[taskId];
  if (task === undefined || state.status === 'finished') return false;
  try {
    requireActor(new EngineContext(workflow, state, env), task, actor);
    return true;
  } catch (error) {
    if (isJoineryError(error)) return false;
    throw error;
  }
}
