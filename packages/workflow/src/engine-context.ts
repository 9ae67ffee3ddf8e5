import { JoineryError } from '@joinery/shared';
import type { CompiledNode, CompiledWorkflow } from './compiled-workflow.ts';
import { addDuration } from './duration.ts';
import type {
  HistoryEntry,
  InstanceOutcome,
  JobKind,
  TaskCloseReason,
  WorkflowEffect,
} from './effects.ts';
import type { WorkflowEnv } from './env.ts';
import type { InstanceState, JobState, StepRun, TaskState, Token } from './instance-state.ts';

/** How many node entries one `advance` call may make: a guard against automatic loops. */
const MAX_ENTRIES = 10_000;

function without<T>(map: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  const { [key]: _removed, ...rest } = map;
  return rest;
}

/**
 * The working area of one `advance` call. It holds the evolving state (replaced, never mutated:
 * every change builds new objects, so the caller's state stays intact) and the effects emitted
 * so far. Node types and actions act only through it.
 */
export class EngineContext {
  readonly effects: WorkflowEffect[] = [];
  #entries = 0;

  /** This call's own copy of the state object (its maps are replaced, never written). */
  #state: { -readonly [K in keyof InstanceState]: InstanceState[K] };

  constructor(
    readonly workflow: CompiledWorkflow,
    state: InstanceState,
    readonly env: WorkflowEnv,
  ) {
    this.#state = { ...state };
  }

  /** The state as changed so far. */
  get state(): InstanceState {
    return this.#state;
  }

  /** Replaces the whole state (used to drop optional properties). */
  set state(state: InstanceState) {
    this.#state = { ...state };
  }

  /** The current instant (from the runtime's clock). */
  get now(): string {
    return this.env.now;
  }

  /** The record as the runtime last saw it, else the engine's copy. */
  record(): Readonly<Record<string, unknown>> {
    return this.env.record ?? this.state.record;
  }

  /** Replaces parts of the state. */
  patch(changes: Partial<InstanceState>): void {
    Object.assign(this.#state, changes);
  }

  /** A new id, unique within the instance and the same on a retry of the same call. */
  nextId(prefix: string): string {
    const seq = this.state.seq + 1;
    this.patch({ seq });
    return `${prefix}${seq}`;
  }

  /** Records an effect for the runtime (in order). */
  emit(effect: WorkflowEffect): void {
    this.effects.push(effect);
  }

  /** Appends a timeline entry stamped with the current time. */
  history(entry: Omit<HistoryEntry, 'at'>): void {
    this.emit({ type: 'append-history', entry: { at: this.now, ...entry } });
  }

  /** The node `id`; a missing node means the state does not belong to this definition. */
  node(id: string): CompiledNode {
    const node = this.workflow.nodes.get(id);
    if (node === undefined) {
      throw new JoineryError('JNY_WORKFLOW_STATE_MISMATCH', { details: `no node ${id}` });
    }
    return node;
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** Stores a new or changed token. */
  putToken(token: Token): void {
    this.patch({ tokens: { ...this.state.tokens, [token.id]: token } });
  }

  /** Removes a token (it moved on or was consumed); its tasks and jobs are the caller's. */
  dropToken(tokenId: string): void {
    this.patch({ tokens: without(this.state.tokens, tokenId) });
  }

  /** Places a new token at `nodeId` and lets the node act on it. */
  spawn(nodeId: string, lineage: readonly string[]): void {
    if (this.state.status === 'finished') return;
    const token: Token = {
      id: this.nextId('k'),
      nodeId,
      lineage,
      enteredAt: this.now,
      status: 'active',
    };
    this.putToken(token);
    this.enter(token);
  }

  /** Moves control from `token` to `nodeId` (same branch unless `lineage` is given). */
  moveOn(token: Token, nodeId: string, lineage: readonly string[] = token.lineage): void {
    this.dropToken(token.id);
    this.spawn(nodeId, lineage);
  }

  /** Lets the token's node act on it (guarded against endless automatic loops). */
  enter(token: Token): void {
    this.#entries += 1;
    if (this.#entries > MAX_ENTRIES) {
      throw new JoineryError('JNY_WORKFLOW_DEFINITION_INVALID', {
        details: `node ${token.nodeId} loops without waiting for anyone`,
      });
    }
    this.node(token.nodeId).behaviour.enter(this, token);
  }

  /**
   * Removes a token and everything it holds: its step's open tasks (closed as `reason`), its
   * step run and its scheduled jobs.
   */
  cancelToken(token: Token, reason: TaskCloseReason = 'cancelled'): void {
    if (token.stepRunId !== undefined) this.cancelStepRun(token.stepRunId, reason);
    for (const job of Object.values(this.state.jobs)) {
      if (job.tokenId === token.id) this.cancelJob(job.key);
    }
    this.dropToken(token.id);
  }

  /** Cancels every token matching `predicate`. */
  cancelTokens(predicate: (token: Token) => boolean, reason: TaskCloseReason = 'cancelled'): void {
    for (const token of Object.values(this.state.tokens)) {
      if (predicate(token)) this.cancelToken(token, reason);
    }
  }

  // ---- steps and tasks ----------------------------------------------------------------------

  /** Stores a new or changed step run. */
  putStepRun(run: StepRun): void {
    this.patch({ stepRuns: { ...this.state.stepRuns, [run.id]: run } });
  }

  /** Closes a step run's open tasks as `reason` and forgets the run. */
  cancelStepRun(runId: string, reason: TaskCloseReason): void {
    for (const task of Object.values(this.state.tasks)) {
      if (task.stepRunId === runId) this.closeTask(task.id, reason);
    }
    this.patch({ stepRuns: without(this.state.stepRuns, runId) });
  }

  /** Opens a task: records it and emits `open-task` plus its reminder/escalation jobs. */
  openTask(task: TaskState, reminderAt?: string): void {
    this.patch({ tasks: { ...this.state.tasks, [task.id]: task } });
    const offered = task.assignee === null;
    this.emit({
      type: 'open-task',
      taskId: task.id,
      nodeId: task.nodeId,
      kind: task.kind,
      assignees: offered ? (task.candidates ?? []) : [task.assignee],
      offered,
      ...(task.onBehalfOf === undefined ? {} : { onBehalfOf: task.onBehalfOf }),
      openedAt: task.openedAt,
      ...(task.deadline === undefined ? {} : { deadline: task.deadline }),
    });
    if (reminderAt !== undefined) {
      this.scheduleJob('reminder', reminderAt, `${task.id}:reminder`, { taskId: task.id });
    }
    if (task.deadline !== undefined) {
      this.scheduleJob('escalation', task.deadline, `${task.id}:escalation`, { taskId: task.id });
    }
  }

  /** Replaces an open task's stored state (claim, release). */
  putTask(task: TaskState): void {
    this.patch({ tasks: { ...this.state.tasks, [task.id]: task } });
  }

  /** Closes an open task and cancels its jobs; `by` acted, for `onBehalfOf` as a delegate. */
  closeTask(taskId: string, reason: TaskCloseReason, by?: string, onBehalfOf?: string): void {
    if (this.state.tasks[taskId] === undefined) return;
    this.patch({
      tasks: without(this.state.tasks, taskId),
      closedTasks: { ...this.state.closedTasks, [taskId]: reason },
    });
    this.emit({
      type: 'close-task',
      taskId,
      reason,
      ...(by === undefined ? {} : { by }),
      ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
    });
    for (const job of Object.values(this.state.jobs)) {
      if (job.taskId === taskId) this.cancelJob(job.key);
    }
  }

  // ---- jobs ---------------------------------------------------------------------------------

  /** Schedules a job; the key is `<instanceId>:<suffix>`, deterministic and unique. */
  scheduleJob(
    kind: JobKind,
    runAt: string,
    suffix: string,
    owner: { taskId?: string; tokenId?: string },
  ): string {
    const key = `${this.state.instanceId}:${suffix}`;
    const job: JobState = { key, kind, ...owner };
    this.patch({ jobs: { ...this.state.jobs, [key]: job } });
    this.emit({
      type: 'schedule-job',
      key,
      kind,
      runAt,
      ...(owner.taskId === undefined ? {} : { taskId: owner.taskId }),
    });
    return key;
  }

  /** Cancels a job the instance still expects (emits `cancel-job`). */
  cancelJob(key: string): void {
    if (this.state.jobs[key] === undefined) return;
    this.patch({ jobs: without(this.state.jobs, key) });
    this.emit({ type: 'cancel-job', key });
  }

  /** Forgets a job that fired (it needs no cancelling). */
  forgetJob(key: string): void {
    this.patch({ jobs: without(this.state.jobs, key) });
  }

  /** `now + duration`. */
  after(duration: string): string {
    return addDuration(this.now, duration);
  }

  // ---- the instance -------------------------------------------------------------------------

  /** Writes fields to the engine's record copy and emits `update-record`. */
  updateRecord(patch: Readonly<Record<string, unknown>>): void {
    if (Object.keys(patch).length === 0) return;
    const copy = structuredClone(patch);
    this.patch({ record: { ...this.state.record, ...copy } });
    this.emit({ type: 'update-record', patch: copy });
  }

  /** Ends the instance: cancels every token, task and job, and emits `instance-finished`. */
  finish(outcome: InstanceOutcome, reason?: string): void {
    this.cancelTokens(() => true);
    for (const task of Object.values(this.state.tasks)) this.closeTask(task.id, 'cancelled');
    for (const key of Object.keys(this.state.jobs)) this.cancelJob(key);
    this.patch({ status: 'finished', outcome, scopes: {}, stepRuns: {} });
    this.emit({
      type: 'instance-finished',
      outcome,
      at: this.now,
      ...(reason === undefined ? {} : { reason }),
    });
  }
}
