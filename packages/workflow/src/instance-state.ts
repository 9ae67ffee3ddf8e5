import type { InstanceOutcome, PendingJobKind, TaskCloseReason } from './effects.ts';

/**
 * A position of control in the graph (a Petri-net token). Parallel branches each hold one.
 * `lineage` says which branch of which split the token is in (`scopeId:branchIndex`, outermost
 * first), so a join knows its arrivals and a return knows what to cancel.
 */
export interface Token {
  readonly id: string;
  readonly nodeId: string;
  readonly lineage: readonly string[];
  readonly enteredAt: string;
  /** `waiting`: parked at a wait/automated node; `failed`: a job failed and an admin must act. */
  readonly status: 'active' | 'waiting' | 'failed';
  /** The step run of an approval or race node. */
  readonly stepRunId?: string;
  /** A wait node waiting for an external event of this name. */
  readonly waitingFor?: string;
}

/**
 * One vote of a countersign step. `chain` is who must act in turn for this vote (transfer
 * replaces the current one; add-signer inserts before or after), `position` the current one.
 */
export interface Seat {
  readonly id: string;
  readonly chain: readonly string[];
  readonly position: number;
  readonly status: 'pending' | 'open' | 'approved' | 'rejected' | 'cancelled';
  readonly taskId?: string;
  /** Candidates when the seat is offered to a role and not yet claimed. */
  readonly candidates?: readonly string[];
}

/** One execution of an approval (or race) step: its votes and the threshold. */
export interface StepRun {
  readonly id: string;
  readonly nodeId: string;
  readonly tokenId: string;
  readonly seats: readonly Seat[];
  /** Approvals needed for the step to pass. */
  readonly required: number;
  /** Sequential countersign opens one seat at a time, in order. */
  readonly sequential: boolean;
  readonly openedAt: string;
}

/** An open task, with what is needed to check who may act on it. */
export interface TaskState {
  readonly id: string;
  readonly nodeId: string;
  readonly kind: 'approval' | 'resubmit';
  readonly stepRunId?: string;
  readonly seatId?: string;
  /** The one user who must act, or null while an offered task is unclaimed. */
  readonly assignee: string | null;
  readonly candidates?: readonly string[];
  /**
   * An offered task opened during absences: the absent candidate each delegate among the
   * candidates stands in for (delegate → absent user), so acting keeps "on behalf of".
   */
  readonly standIns?: Readonly<Record<string, string>>;
  readonly onBehalfOf?: string;
  readonly openedAt: string;
  readonly deadline?: string;
}

/** A scheduled job the instance still expects to fire. */
export interface JobState {
  readonly key: string;
  readonly kind: PendingJobKind;
  readonly taskId?: string;
  readonly tokenId?: string;
}

/** The branches opened by a split (or an inclusive branch) and how many reached the join. */
export interface Scope {
  readonly id: string;
  readonly splitNodeId: string;
  readonly joinNodeId: string;
  /** The lineage of the token that entered the split (the scope lives inside it). */
  readonly lineage: readonly string[];
  readonly activated: number;
  readonly arrived: number;
  readonly fired: boolean;
}

/** The last visit of a step (for returns) and who approved it (four-eyes, route back). */
export interface Visit {
  readonly lineage: readonly string[];
  readonly deciders: readonly string[];
  /**
   * Delegates who approved on behalf of one of the `deciders`: excluded by `excludeDecidersOf`
   * like them (four-eyes), never routed back to.
   */
  readonly delegates?: readonly string[];
  /**
   * Set by a return: who the step goes back to when it opens again (with
   * `returnToPreviousReviewer`) — its approvers for a return to it, its returner for a return
   * from it to the submitter.
   */
  readonly routeBackTo?: readonly string[];
}

/**
 * The whole state of one instance, as JSON the runtime stores in the instance row. Engines never
 * mutate it; `advance` returns a new one.
 */
export interface InstanceState {
  readonly instanceId: string;
  readonly definitionId: string;
  readonly definitionVersion: number;
  readonly status: 'running' | 'returned' | 'finished';
  readonly outcome?: InstanceOutcome;
  readonly submitter: string;
  readonly record: Readonly<Record<string, unknown>>;
  readonly startedAt: string;
  /** Counter for deterministic ids (tasks, tokens, scopes, runs). */
  readonly seq: number;
  readonly tokens: Readonly<Record<string, Token>>;
  readonly stepRuns: Readonly<Record<string, StepRun>>;
  readonly tasks: Readonly<Record<string, TaskState>>;
  /** Tasks closed so far and why, to answer a late click with a clear 409. */
  readonly closedTasks: Readonly<Record<string, TaskCloseReason>>;
  readonly jobs: Readonly<Record<string, JobState>>;
  readonly scopes: Readonly<Record<string, Scope>>;
  readonly visits: Readonly<Record<string, Visit>>;
  /** External events that arrived before anyone waited for them, oldest first. */
  readonly pendingEvents: readonly { readonly name: string; readonly payload?: unknown }[];
  /** Who approved the last step (for `previous-approver-manager`). */
  readonly lastApprover?: string;
  /** When the first reviewer decided; withdrawing is possible only before. */
  readonly firstDecisionAt?: string;
  /** After a return to the submitter: where resubmission resumes. */
  readonly resumeAt?: { readonly nodeId: string; readonly lineage: readonly string[] };
  /** Idempotency keys of the last requests applied (bounded). */
  readonly recentKeys: readonly string[];
}
