/** Start an instance for a submitted record. `state` must be undefined. */
export interface StartEvent {
  readonly type: 'start';
  readonly instanceId: string;
  readonly submitter: string;
  /** A snapshot of the record as submitted (the engine keeps it for branch conditions). */
  readonly record: Readonly<Record<string, unknown>>;
  readonly idempotencyKey?: string;
}

/** Where a return sends the instance: an earlier step, or back to the submitter. */
export type ReturnTarget =
  | { readonly kind: 'node'; readonly nodeId: string }
  | { readonly kind: 'submitter' };

/** A person's action. Task actions name the task; instance actions do not. */
export type WorkflowAction =
  | {
      readonly kind: 'approve';
      readonly taskId: string;
      readonly comment?: string;
      readonly attachments?: readonly string[];
      /** Field edits made at this step; refused unless the step lets them be edited. */
      readonly patch?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'reject';
      readonly taskId: string;
      readonly comment?: string;
      readonly attachments?: readonly string[];
    }
  | {
      readonly kind: 'return';
      readonly taskId: string;
      readonly target: ReturnTarget;
      readonly comment?: string;
      readonly attachments?: readonly string[];
    }
  | {
      readonly kind: 'transfer';
      readonly taskId: string;
      readonly to: string;
      readonly comment?: string;
    }
  | {
      readonly kind: 'add-signer';
      readonly taskId: string;
      readonly userIds: readonly string[];
      readonly position: 'before' | 'after';
      readonly comment?: string;
    }
  | { readonly kind: 'claim'; readonly taskId: string }
  | { readonly kind: 'release'; readonly taskId: string }
  | {
      readonly kind: 'comment';
      readonly taskId?: string;
      readonly comment: string;
      readonly attachments?: readonly string[];
    }
  | { readonly kind: 'withdraw'; readonly comment?: string }
  | { readonly kind: 'remind'; readonly taskId?: string }
  | { readonly kind: 'cancel'; readonly comment?: string }
  /** Admin: cancel all running work and restart at `nodeId` (a stuck instance, a failed job). */
  | { readonly kind: 'move'; readonly nodeId: string; readonly comment?: string }
  | {
      readonly kind: 'resubmit';
      readonly patch?: Readonly<Record<string, unknown>>;
      readonly comment?: string;
      readonly attachments?: readonly string[];
    };

/** A person acts on the instance. */
export interface ActionEvent {
  readonly type: 'action';
  readonly actor: string;
  readonly action: WorkflowAction;
  /** A retried request with the same key is answered with no effects. */
  readonly idempotencyKey?: string;
}

/** A scheduled job fired (`schedule-job` effect). Stale keys are ignored. */
export interface TimerEvent {
  readonly type: 'timer';
  readonly jobKey: string;
}

/**
 * An event from outside (the API), for `wait` nodes waiting for it by name. One that arrives
 * before the instance waits for it is kept and consumed when a wait for that name begins.
 */
export interface ExternalEvent {
  readonly type: 'external';
  readonly name: string;
  readonly payload?: unknown;
  readonly idempotencyKey?: string;
}

/** The result of a job the instance waits for (a webhook with `awaitResult`). */
export interface JobResultEvent {
  readonly type: 'job-result';
  readonly jobKey: string;
  readonly ok: boolean;
  /** On success, fields to write back to the record (optional). */
  readonly patch?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

/** Everything that can advance an instance. */
export type WorkflowEvent = StartEvent | ActionEvent | TimerEvent | ExternalEvent | JobResultEvent;
