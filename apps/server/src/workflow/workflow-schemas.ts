import { Type } from 'typebox';
import { Uuid } from '../http/schemas.ts';

/** App and form keys in URLs (the records runtime's keys). */
export const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
export const FormParams = Type.Object({ app: Key, form: Key }, { additionalProperties: false });

/** An idempotency key: also accepted as the `Idempotency-Key` header. */
export const IdempotencyKey = Type.String({ minLength: 1, maxLength: 200 });
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(IdempotencyKey),
});

export const Attachments = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  maxItems: 50,
});
export const Comment = Type.String({ maxLength: 10_000 });
export const Patch = Type.Record(Type.String({ minLength: 1, maxLength: 63 }), Type.Unknown());

export const OpenTask = Type.Object({
  id: Type.String(),
  key: Type.String(),
  nodeId: Type.String(),
  kind: Type.String(),
  assignees: Type.Array(Type.String()),
  offered: Type.Boolean(),
  claimedBy: Type.Union([Type.String(), Type.Null()]),
  deadline: Type.Union([Type.String(), Type.Null()]),
});

/** An instance after a step. */
export const InstanceSummary = Type.Object({
  instanceId: Type.String(),
  status: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  openTasks: Type.Array(OpenTask),
});

export const PublishedWorkflow = Type.Object({
  id: Type.String(),
  app: Type.String(),
  form: Type.String(),
  key: Type.String(),
  version: Type.Integer(),
  definition: Type.Unknown(),
  publishedBy: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.String(),
});

export const ReturnTarget = Type.Union([
  Type.Object({ kind: Type.Literal('node'), nodeId: Type.String({ minLength: 1 }) }),
  Type.Object({ kind: Type.Literal('submitter') }),
]);

/** What a task action may carry; which fields apply depends on `action`. */
export const TaskActionBody = Type.Object(
  {
    action: Type.Enum([
      'approve',
      'reject',
      'return',
      'transfer',
      'add-signer',
      'claim',
      'release',
      'comment',
      'remind',
    ]),
    comment: Type.Optional(Comment),
    attachments: Type.Optional(Attachments),
    patch: Type.Optional(Patch),
    target: Type.Optional(ReturnTarget),
    to: Type.Optional(Uuid),
    userIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 50 })),
    position: Type.Optional(Type.Union([Type.Literal('before'), Type.Literal('after')])),
    idempotencyKey: Type.Optional(IdempotencyKey),
  },
  { additionalProperties: false },
);

/** Actions on a whole instance. */
export const InstanceActionBody = Type.Object(
  {
    action: Type.Enum(['withdraw', 'remind', 'cancel', 'comment', 'resubmit']),
    comment: Type.Optional(Comment),
    attachments: Type.Optional(Attachments),
    patch: Type.Optional(Patch),
    idempotencyKey: Type.Optional(IdempotencyKey),
  },
  { additionalProperties: false },
);

export const TimelineEntry = Type.Object({
  at: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  nodeId: Type.Union([Type.String(), Type.Null()]),
  taskKey: Type.Union([Type.String(), Type.Null()]),
  onBehalfOf: Type.Union([Type.String(), Type.Null()]),
  /** The display name of the absent user the actor stood in for (代理). */
  onBehalfOfName: Type.Union([Type.String(), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
  attachments: Type.Array(Type.String()),
  timeSpentMs: Type.Union([Type.Number(), Type.Null()]),
  details: Type.Unknown(),
});

/** One line of an inbox list. */
export const TaskListItem = Type.Object({
  id: Type.String(),
  instanceId: Type.String(),
  key: Type.Union([Type.String(), Type.Null()]),
  nodeId: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  app: Type.String(),
  form: Type.String(),
  recordId: Type.String(),
  submitter: Type.String(),
  assignees: Type.Array(Type.String()),
  offered: Type.Boolean(),
  claimedBy: Type.Union([Type.String(), Type.Null()]),
  /** The absent user the task is done for by a delegate (assignee or claimer), else null. */
  onBehalfOf: Type.Union([Type.String(), Type.Null()]),
  /** Their display name (代理). */
  onBehalfOfName: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  closeReason: Type.Union([Type.String(), Type.Null()]),
  deadline: Type.Union([Type.String(), Type.Null()]),
  instanceStatus: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  /** Overdue by the server's clock, as the `overdue` filter means it. */
  overdue: Type.Boolean(),
  /** What the caller may read of the record (and the step shows); null when it is gone. */
  record: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
