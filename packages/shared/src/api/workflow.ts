import type { LocalizedText } from '../locale.ts';

/**
 * Wire types of the workflow API (`/api/workflow/**`) that the web app reads, as the server's
 * route schemas describe them.
 */

/** The lists of a user's inbox. */
export type InboxBox = 'todo' | 'done' | 'cc' | 'started';

/** One line of an inbox list: a task for to-do and done, an instance for CC'd and started. */
export interface InboxItem {
  readonly id: string;
  readonly instanceId: string;
  readonly key: string | null;
  readonly nodeId: string | null;
  readonly kind: string | null;
  readonly status: string;
  readonly app: string;
  readonly form: string;
  readonly recordId: string;
  readonly submitter: string;
  readonly assignees: readonly string[];
  /** Offered to several candidates: one of them claims it before acting. */
  readonly offered: boolean;
  readonly claimedBy: string | null;
  /** The absent user a delegate (the assignee or claimer) does the task for, else null. */
  readonly onBehalfOf: string | null;
  /** Their display name. */
  readonly onBehalfOfName: string | null;
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
  readonly deadline: string | null;
  readonly instanceStatus: string;
  readonly outcome: string | null;
  /** Overdue by the server's clock (deadline passed while open), as the `overdue` filter means. */
  readonly overdue: boolean;
  /**
   * The record's fields the user may read (and, on a task, the step shows), personal data
   * masked unless their role may unmask it; null when the record is gone.
   */
  readonly record: Readonly<Record<string, unknown>> | null;
}

/** `GET /api/workflow/tasks`: one page of a list, and how many items each list holds. */
export interface InboxPage {
  readonly items: readonly InboxItem[];
  readonly counts: Readonly<Record<InboxBox, number>>;
}

/** `GET /api/workflow/tasks/:id`: the task with the record fields its step shows and edits. */
export interface TaskView {
  readonly id: string;
  readonly instanceId: string;
  readonly key: string;
  readonly nodeId: string;
  /** The absent user a delegate does the task for (代理), else null, and their name. */
  readonly onBehalfOf: string | null;
  readonly onBehalfOfName: string | null;
  readonly record: Readonly<Record<string, unknown>>;
  readonly visibleFields: readonly string[];
  readonly editableFields: readonly string[];
}

/** What a reviewer may do with a task (`POST /api/workflow/tasks/:id/actions`). */
export type TaskActionName =
  | 'approve'
  | 'reject'
  | 'return'
  | 'transfer'
  | 'add-signer'
  | 'claim'
  | 'release'
  | 'comment';

/**
 * The body of a task action; `target` only for `return`, `patch` only for `approve`, `to` only
 * for `transfer`, `userIds` and `position` only for `add-signer`.
 */
export interface TaskActionRequest {
  readonly action: TaskActionName;
  readonly comment?: string;
  readonly attachments?: readonly string[];
  readonly patch?: Readonly<Record<string, unknown>>;
  readonly target?: { readonly kind: 'submitter' } | { readonly kind: 'node'; nodeId: string };
  readonly to?: string;
  readonly userIds?: readonly string[];
  readonly position?: 'before' | 'after';
}

/** What the submitter may do with a whole instance (`POST /api/workflow/instances/:id/actions`). */
export type InstanceActionName = 'withdraw' | 'resubmit' | 'remind';

/** The body of an instance action; `patch` only for `resubmit`. */
export interface InstanceActionRequest {
  readonly action: InstanceActionName;
  readonly comment?: string;
  readonly patch?: Readonly<Record<string, unknown>>;
}

/** One line of an instance's timeline (`GET /api/workflow/instances/:id/timeline`). */
export interface TimelineEntry {
  readonly at: string;
  readonly actor: string | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly nodeId: string | null;
  readonly taskKey: string | null;
  readonly onBehalfOf: string | null;
  readonly comment: string | null;
  /** File ids uploaded with the action. */
  readonly attachments: readonly string[];
  readonly timeSpentMs: number | null;
  readonly details: unknown;
}

/** A step's name (`GET /api/workflow/steps`). */
export interface WorkflowStepName {
  readonly nodeId: string;
  readonly name: LocalizedText;
}

/** An instance of a record the caller may see (`GET /api/workflow/instances?recordId=`). */
export interface RecordInstance {
  readonly instanceId: string;
  readonly workflow: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** An open task of an instance, as the instance view lists it. */
export interface OpenTask {
  readonly id: string;
  readonly key: string;
  readonly nodeId: string;
  readonly kind: string;
  readonly assignees: readonly string[];
  readonly offered: boolean;
  readonly claimedBy: string | null;
  readonly deadline: string | null;
}

/** `GET /api/workflow/instances/:id`: the record an instance approves, its state and open tasks. */
export interface InstanceView {
  readonly instanceId: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly version: number;
  readonly openTasks: readonly OpenTask[];
  readonly app: string;
  readonly form: string;
  readonly recordId: string;
  readonly submitter: string;
  readonly workflow: string;
  readonly workflowVersion: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}
