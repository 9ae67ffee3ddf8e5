import { advance } from '../advance.ts';
import type { CompiledWorkflow } from '../compiled-workflow.ts';
import { addDuration } from '../duration.ts';
import type {
  HistoryEntry,
  InstanceOutcome,
  OpenTaskEffect,
  ScheduleJobEffect,
  WorkflowEffect,
} from '../effects.ts';
import type { WorkflowAction, WorkflowEvent } from '../events.ts';
import type { InstanceState } from '../instance-state.ts';
import type { OrgSnapshot } from '../org-snapshot.ts';

/**
 * A fake runtime for tests: applies effects to in-memory tables the way the server applies them
 * to Postgres, and checks the effects contract on every call (no task opened twice, no unknown
 * task closed, nothing left open after the instance finished).
 */
export class WorkflowDriver {
  state: InstanceState | undefined;
  now: string;
  readonly openTasks = new Map<string, OpenTaskEffect & { claimedBy: string | null }>();
  readonly jobs = new Map<string, ScheduleJobEffect>();
  readonly history: HistoryEntry[] = [];
  readonly effects: WorkflowEffect[] = [];
  readonly created: WorkflowEffect[] = [];
  record: Record<string, unknown> = {};
  outcome: InstanceOutcome | undefined;
  lastEffects: readonly WorkflowEffect[] = [];

  constructor(
    readonly workflow: CompiledWorkflow,
    public org: OrgSnapshot,
    now = '2026-11-23T09:00:00.000Z',
  ) {
    this.now = now;
  }

  /** Starts the instance. */
  start(record: Record<string, unknown>, submitter = 'sales1', instanceId = 'i1'): this {
    this.record = { ...record };
    return this.send({ type: 'start', instanceId, submitter, record });
  }

  /** A person acts. */
  act(actor: string, action: WorkflowAction): this {
    return this.send({ type: 'action', actor, action });
  }

  /** Sends any event through `advance` and applies the effects. */
  send(event: WorkflowEvent): this {
    const result = advance(this.workflow, this.state, event, { now: this.now, org: this.org });
    // A job that ran is done in the queue, whatever the engine made of it.
    if (event.type === 'timer') this.jobs.delete(event.jobKey);
    this.state = result.state;
    this.lastEffects = result.effects;
    for (const effect of result.effects) this.apply(effect);
    return this;
  }

  /** Moves the clock forward by an ISO duration, firing due jobs in time order. */
  wait(duration: string): this {
    const until = addDuration(this.now, duration);
    for (;;) {
      const due = [...this.jobs.values()]
        .filter((j) => j.runAt <= until)
        .sort((a, b) => a.runAt.localeCompare(b.runAt) || a.key.localeCompare(b.key))[0];
      if (due === undefined) break;
      if (due.runAt > this.now) this.now = due.runAt;
      this.send({ type: 'timer', jobKey: due.key });
    }
    this.now = until;
    return this;
  }

  /** Open tasks of a user (assigned, or offered to them). */
  tasksOf(user: string): (OpenTaskEffect & { claimedBy: string | null })[] {
    return [...this.openTasks.values()].filter((t) =>
      t.offered
        ? t.claimedBy === user || (t.claimedBy === null && t.assignees.includes(user))
        : t.assignees.includes(user),
    );
  }

  /** The single open task of `user` (fails otherwise). */
  taskOf(user: string, nodeId?: string): string {
    const tasks = this.tasksOf(user).filter((t) => nodeId === undefined || t.nodeId === nodeId);
    if (tasks.length !== 1) {
      throw new Error(
        `expected one open task for ${user}${nodeId ? ` at ${nodeId}` : ''}, found ${tasks.length}: ${JSON.stringify([...this.openTasks.values()].map((t) => [t.nodeId, t.assignees]))}`,
      );
    }
    return tasks[0]?.taskId ?? '';
  }

  /** Approves the one open task of each user in turn. */
  approve(...users: string[]): this {
    for (const user of users) this.act(user, { kind: 'approve', taskId: this.taskOf(user) });
    return this;
  }

  /** Node ids of the open tasks, sorted. */
  openNodes(): string[] {
    return [...this.openTasks.values()].map((t) => t.nodeId).sort();
  }

  /** History actions, in order. */
  actions(): string[] {
    return this.history.map((h) => (h.nodeId ? `${h.action}@${h.nodeId}` : h.action));
  }

  private apply(effect: WorkflowEffect): void {
    this.effects.push(effect);
    switch (effect.type) {
      case 'open-task':
        if (this.openTasks.has(effect.taskId))
          throw new Error(`task ${effect.taskId} opened twice`);
        this.openTasks.set(effect.taskId, { ...effect, claimedBy: null });
        break;
      case 'close-task':
        if (!this.openTasks.delete(effect.taskId))
          throw new Error(`closing unknown task ${effect.taskId}`);
        break;
      case 'update-task': {
        const task = this.openTasks.get(effect.taskId);
        if (task === undefined) throw new Error(`updating unknown task ${effect.taskId}`);
        // As the runtime writes the row: the claimer, and whom they act for (none on release).
        const { onBehalfOf: _before, ...rest } = task;
        this.openTasks.set(effect.taskId, {
          ...rest,
          claimedBy: effect.claimedBy,
          ...(effect.onBehalfOf === null ? {} : { onBehalfOf: effect.onBehalfOf }),
        });
        break;
      }
      case 'update-record':
        this.record = { ...this.record, ...effect.patch };
        break;
      case 'schedule-job':
        if (this.jobs.has(effect.key)) throw new Error(`job ${effect.key} scheduled twice`);
        this.jobs.set(effect.key, effect);
        break;
      case 'cancel-job':
        this.jobs.delete(effect.key);
        break;
      case 'append-history':
        this.history.push(effect.entry);
        break;
      case 'instance-finished':
        if (this.outcome !== undefined) throw new Error('instance finished twice');
        this.outcome = effect.outcome;
        if (this.openTasks.size > 0) throw new Error('instance finished with open tasks');
        if (this.jobs.size > 0) throw new Error('instance finished with scheduled jobs');
        break;
      case 'create-record':
      case 'call-webhook':
      case 'notify':
        this.created.push(effect);
        break;
    }
  }
}
