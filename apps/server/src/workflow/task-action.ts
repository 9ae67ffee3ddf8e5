import { JoineryError } from '@joinery/shared';
import type { ReturnTarget, WorkflowAction } from '@joinery/workflow';

/** A task action as sent to the API (see `TaskActionBody`). */
export interface TaskActionInput {
  readonly action:
    | 'approve'
    | 'reject'
    | 'return'
    | 'transfer'
    | 'add-signer'
    | 'claim'
    | 'release'
    | 'comment'
    | 'remind';
  readonly comment?: string;
  readonly attachments?: string[];
  readonly patch?: Record<string, unknown>;
  readonly target?: ReturnTarget;
  readonly to?: string;
  readonly userIds?: string[];
  readonly position?: 'before' | 'after';
}

/** An instance action as sent to the API (see `InstanceActionBody`). */
export interface InstanceActionInput {
  readonly action: 'withdraw' | 'remind' | 'cancel' | 'comment' | 'resubmit';
  readonly comment?: string;
  readonly attachments?: string[];
  readonly patch?: Record<string, unknown>;
}

function missing(field: string, action: string): JoineryError {
  return new JoineryError(
    'JNY_REQUEST_INVALID',
    { details: `/body/${field} is required for ${action}` },
    [{ field: `/body/${field}`, reason: `required for ${action}` }],
  );
}

const note = (input: { comment?: string; attachments?: string[] }) => ({
  ...(input.comment === undefined ? {} : { comment: input.comment }),
  ...(input.attachments === undefined ? {} : { attachments: input.attachments }),
});

/** The engine action for a task action on the task whose engine key is `taskId`. */
export function taskAction(taskId: string, input: TaskActionInput): WorkflowAction {
  switch (input.action) {
    case 'approve':
      return {
        kind: 'approve',
        taskId,
        ...note(input),
        ...(input.patch === undefined ? {} : { patch: input.patch }),
      };
    case 'reject':
      return { kind: 'reject', taskId, ...note(input) };
    case 'return':
      if (input.target === undefined) throw missing('target', 'return');
      return { kind: 'return', taskId, target: input.target, ...note(input) };
    case 'transfer':
      if (input.to === undefined) throw missing('to', 'transfer');
      return {
        kind: 'transfer',
        taskId,
        to: input.to,
        ...(input.comment === undefined ? {} : { comment: input.comment }),
      };
    case 'add-signer':
      if (input.userIds === undefined) throw missing('userIds', 'add-signer');
      return {
        kind: 'add-signer',
        taskId,
        userIds: input.userIds,
        position: input.position ?? 'after',
        ...(input.comment === undefined ? {} : { comment: input.comment }),
      };
    case 'claim':
      return { kind: 'claim', taskId };
    case 'release':
      return { kind: 'release', taskId };
    case 'comment':
      if (input.comment === undefined) throw missing('comment', 'comment');
      return { kind: 'comment', taskId, comment: input.comment, ...note(input) };
    case 'remind':
      return { kind: 'remind', taskId };
  }
}

/** The engine action for an instance action. */
export function instanceAction(input: InstanceActionInput): WorkflowAction {
  const comment = input.comment === undefined ? {} : { comment: input.comment };
  switch (input.action) {
    case 'withdraw':
      return { kind: 'withdraw', ...comment };
    case 'remind':
      return { kind: 'remind' };
    case 'cancel':
      return { kind: 'cancel', ...comment };
    case 'comment':
      if (input.comment === undefined) throw missing('comment', 'comment');
      return { kind: 'comment', comment: input.comment, ...note(input) };
    case 'resubmit':
      return {
        kind: 'resubmit',
        ...note(input),
        ...(input.patch === undefined ? {} : { patch: input.patch }),
      };
  }
}
