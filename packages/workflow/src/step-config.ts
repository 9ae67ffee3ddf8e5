import { isIsoDuration } from './duration.ts';
import {
  array,
  boolean,
  type Infer,
  literal,
  number,
  object,
  optional,
  type SchemaProblem,
  string,
  variant,
} from './schema.ts';

/**
 * Who gets a step's tasks. Several sources may be combined; their users are merged in order,
 * without duplicates.
 * - `users`: fixed user ids;
 * - `role`: the active members of a role;
 * - `department-manager`: the submitter's department manager, `levels` up (1 = own department);
 * - `record-field`: user id(s) held in a field of the record;
 * - `previous-approver-manager`: the manager of whoever approved the step before.
 */
export const assigneeSchema = variant({
  users: object({ userIds: array(string(), 1) }),
  role: object({ role: string() }),
  'department-manager': object({ levels: optional(number({ min: 1, max: 20, integer: true })) }),
  'record-field': object({ field: string() }),
  'previous-approver-manager': object({}),
});

/** One source of assignees. */
export type AssigneeSpec = Infer<typeof assigneeSchema>;

/**
 * How many of a step's assignees must approve (countersign 会签/或签):
 * `any` one, `all`, `n-of-m`, a `percentage` (rounded up), or `sequential` (all, one after
 * another in the assignees' order). A step is rejected as soon as the approvals still possible
 * can no longer reach the threshold — under `all` the first rejection, under `any` the last.
 */
export const countersignSchema = variant({
  any: object({}),
  all: object({}),
  'n-of-m': object({ n: number({ min: 1, integer: true }) }),
  percentage: object({ percent: number({ min: 1, max: 100 }) }),
  sequential: object({}),
});

/** The countersign mode of a step. */
export type CountersignMode = Infer<typeof countersignSchema>;

const duration = string();

/** A step deadline: a reminder before it, and an escalation after it. */
export const deadlineSchema = object({
  /** ISO-8601 duration from the task's opening, e.g. `P2D`. */
  after: duration,
  reminderBefore: optional(duration),
  /** `manager`: hand the task to the assignee's manager; or decide automatically. */
  escalation: optional(literal('manager', 'auto-approve', 'auto-reject')),
});

/** Which record fields a step shows, hides and lets its reviewers edit. */
export const fieldPermissionsSchema = object({
  visible: optional(array(string())),
  hidden: optional(array(string())),
  editable: optional(array(string())),
});

/** A step's field permissions. */
export type FieldPermissions = Infer<typeof fieldPermissionsSchema>;

/** The settings of a step with tasks (approval and race nodes), as a shape to extend. */
export const stepShape = {
  assignees: array(assigneeSchema, 1),
  countersign: optional(countersignSchema),
  /** Offer one task to all candidates; one claims it (and may release it). Mode must be `any`. */
  claim: optional(boolean()),
  /** When nobody is left to assign: skip the step, give it to the admins, or approve it. */
  emptyAssignees: optional(literal('skip', 'admin', 'auto-approve')),
  /**
   * Let the submitter hold this step's tasks. Off by default (four-eyes: nobody approves their
   * own request); meant for execution steps such as signing the contract, not for reviews.
   */
  submitterMayAct: optional(boolean()),
  /** Four-eyes across steps: whoever approved these steps may not act on this one. */
  excludeDecidersOf: optional(array(string())),
  /** After a return, give the step back to the reviewers who approved it before. */
  returnToPreviousReviewer: optional(boolean()),
  deadline: optional(deadlineSchema),
  fields: optional(fieldPermissionsSchema),
};

/** The settings of a step with tasks. */
export const stepConfigSchema = object(stepShape);

/** The validated settings of a step. */
export type StepConfig = Infer<typeof stepConfigSchema>;

/** Consistency checks of a step's settings that a schema cannot express. */
export function checkStepConfig(step: StepConfig, path = ''): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const mode = step.countersign ?? { kind: 'any' };
  if (step.claim && mode.kind !== 'any') {
    problems.push({
      path: `${path}/claim`,
      message: 'a claimable step needs countersign mode any',
    });
  }
  const fixedOnly = step.assignees.every((a) => a.kind === 'users');
  if (mode.kind === 'n-of-m' && fixedOnly) {
    const count = new Set(step.assignees.flatMap((a) => (a.kind === 'users' ? a.userIds : [])))
      .size;
    if (mode.n > count) {
      problems.push({
        path: `${path}/countersign/n`,
        message: `needs ${mode.n} approvals but only ${count} assignees are listed`,
      });
    }
  }
  const d = step.deadline;
  if (d !== undefined) {
    if (!isIsoDuration(d.after)) {
      problems.push({ path: `${path}/deadline/after`, message: 'expected an ISO-8601 duration' });
    }
    if (d.reminderBefore !== undefined && !isIsoDuration(d.reminderBefore)) {
      problems.push({
        path: `${path}/deadline/reminderBefore`,
        message: 'expected an ISO-8601 duration',
      });
    }
  }
  const f = step.fields;
  if (f !== undefined) {
    const hidden = new Set(f.hidden ?? []);
    const clash = (f.editable ?? []).filter((field) => hidden.has(field));
    if (clash.length > 0) {
      problems.push({
        path: `${path}/fields/editable`,
        message: `fields both hidden and editable: ${clash.join(', ')}`,
      });
    }
  }
  return problems;
}
