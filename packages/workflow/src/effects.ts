/** Why a task was closed. */
export type TaskCloseReason =
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'transferred'
  | 'escalated'
  | 'suspended'
  | 'not-needed'
  | 'cancelled'
  | 'resubmitted';

/** How an instance ended. */
export type InstanceOutcome = 'approved' | 'rejected' | 'cancelled';

/** A task as opened: what the runtime inserts into the task table (the inbox). */
export interface OpenTaskEffect {
  readonly type: 'open-task';
  readonly taskId: string;
  /** The node (step) the task belongs to. */
  readonly nodeId: string;
  /** `approval` for a review step, `resubmit` for the submitter after a return. */
  readonly kind: 'approval' | 'resubmit';
  /** Users who see the task. One user, or the candidates of a task offered to a role. */
  readonly assignees: readonly string[];
  /** True when the task is offered to `assignees` and one of them must claim it. */
  readonly offered: boolean;
  /** Set when the task went to a delegate: the absent user it is done for. */
  readonly onBehalfOf?: string;
  readonly openedAt: string;
  readonly deadline?: string;
}

/** Close a task (it leaves the inbox); the reason shows in the timeline. */
export interface CloseTaskEffect {
  readonly type: 'close-task';
  readonly taskId: string;
  readonly reason: TaskCloseReason;
  /** The user who acted, when a person closed it. */
  readonly by?: string;
  /** Set when `by` acted as a delegate: the absent user they acted for. */
  readonly onBehalfOf?: string;
}

/**
 * A claimable task was claimed (claimedBy set) or released (null). `onBehalfOf`: the absent
 * candidate a delegate claimed it for (null when the claimer acts for themself, or on release).
 */
export interface UpdateTaskEffect {
  readonly type: 'update-task';
  readonly taskId: string;
  readonly claimedBy: string | null;
  readonly onBehalfOf: string | null;
}

/** Write fields of the instance's record (a step's edits or an automated step's values). */
export interface UpdateRecordEffect {
  readonly type: 'update-record';
  readonly patch: Readonly<Record<string, unknown>>;
}

/** Create a record in another form (automated step). `key` makes the insert idempotent. */
export interface CreateRecordEffect {
  readonly type: 'create-record';
  readonly key: string;
  readonly form: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** What a notification is about. */
export type NotificationKind =
  | 'cc'
  | 'reminder'
  | 'remind'
  | 'escalated'
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'cancelled';

/** Tell users something (in-app message, mail…, the runtime decides the channel). */
export interface NotifyEffect {
  readonly type: 'notify';
  readonly kind: NotificationKind;
  readonly userIds: readonly string[];
  readonly nodeId?: string;
  readonly taskId?: string;
  readonly message?: string;
}

/** What a scheduled job does when it fires; every kind comes back as a `timer` event. */
export type JobKind = 'reminder' | 'escalation' | 'wait' | 'race-timer';

/** What the instance may wait for: a scheduled job, or a webhook it awaits (`job-result`). */
export type PendingJobKind = JobKind | 'webhook';

/**
 * Enqueue a job in the same transaction as the state change. `key` is unique per instance and
 * deterministic, so a retried transaction enqueues the same job (use it as the queue's job key).
 * When the job runs, the runtime calls `advance` with `{ type: 'timer', jobKey: key }`.
 */
export interface ScheduleJobEffect {
  readonly type: 'schedule-job';
  readonly key: string;
  readonly kind: JobKind;
  readonly runAt: string;
  readonly taskId?: string;
}

/** Remove a job that is no longer needed (its task closed early). Firing it anyway is harmless. */
export interface CancelJobEffect {
  readonly type: 'cancel-job';
  readonly key: string;
}

/**
 * Call a webhook from a job (retried with backoff by the queue, idempotent by `key`). When
 * `awaitResult`, the instance waits and the runtime reports back with a `job-result` event.
 */
export interface CallWebhookEffect {
  readonly type: 'call-webhook';
  readonly key: string;
  readonly url: string;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'GET';
  readonly body: unknown;
  readonly awaitResult: boolean;
}

/** One line of the instance's timeline. */
export interface HistoryEntry {
  readonly at: string;
  /** The acting user; null for the system (timers, automated steps). */
  readonly actor: string | null;
  /** What happened: `started`, `approved`, `rejected`, `returned`, `transferred`, `skipped`… */
  readonly action: string;
  readonly nodeId?: string;
  readonly taskId?: string;
  /** The user the actor stood in for (delegation). */
  readonly onBehalfOf?: string;
  readonly comment?: string;
  readonly attachments?: readonly string[];
  /** For task decisions: milliseconds from the task's opening to the decision. */
  readonly timeSpentMs?: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Append one entry to the timeline. */
export interface AppendHistoryEffect {
  readonly type: 'append-history';
  readonly entry: HistoryEntry;
}

/** The instance ended: mark it, and stop showing it as running. */
export interface InstanceFinishedEffect {
  readonly type: 'instance-finished';
  readonly outcome: InstanceOutcome;
  readonly at: string;
  readonly reason?: string;
}

/**
 * Everything the engine asks the runtime to do, as data. The runtime applies all effects of one
 * `advance` call in the same transaction that stores the new state, in the order given.
 */
export type WorkflowEffect =
  | OpenTaskEffect
  | CloseTaskEffect
  | UpdateTaskEffect
  | UpdateRecordEffect
  | CreateRecordEffect
  | NotifyEffect
  | ScheduleJobEffect
  | CancelJobEffect
  | CallWebhookEffect
  | AppendHistoryEffect
  | InstanceFinishedEffect;
