import { LENDING_APP_KEY } from '@joinery/lending-crm';
import type { WorkflowAction } from '@joinery/workflow';
import type { Kysely } from 'kysely';
import type { FieldCipher } from '../access/field-cipher.ts';
import type { Config } from '../config/config.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { createLogger } from '../logger.ts';
import type { StoredAnswer } from '../workflow/action-keys.ts';
import type { InstanceSummary, OpenTaskView } from '../workflow/workflow-runtime.ts';
import { createWorkflowServices } from '../workflow/workflow-services.ts';
import { SeedClock } from './seed-clock.ts';

/**
 * Applications the seed runs the approval workflow of, at most, per stage (the most recently
 * submitted of each): under review (in review or returned for documents) and decided but not
 * disbursed (approved or signed). Each instance costs one to eight real workflow transactions
 * (5–20 ms each on the shared 2-core machine). The small size has fewer of each, so every one of
 * its applications in these states has its instance; beyond the caps (medium and 1m) the older
 * ones keep their status without one.
 */
export const MAX_SEEDED_APPROVALS = { review: 300, decided: 100 } as const;

/** Instances driven at once (each step is its own transaction on the pool). */
const CONCURRENT_STARTS = 4;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The application states whose approval workflow is under way, and the nodes they wait at. */
export const WORKFLOW_STATES = ['in_review', 'returned', 'approved', 'signed'] as const;
type WorkflowState = (typeof WORKFLOW_STATES)[number];
type Stage = keyof typeof MAX_SEEDED_APPROVALS;

/** A seeded application whose approval is under way. */
export interface ApprovalCandidate {
  readonly id: string;
  readonly owner: string;
  readonly status: WorkflowState;
  readonly submittedAt: string;
  /** When it was approved (`approved`, `signed`). */
  readonly decidedAt: string | null;
  /** The day it was signed (`signed`). */
  readonly signedOn: string | null;
  readonly amount: number;
}

/** A generated `loan_application` row as a candidate, when its approval is under way. */
export function candidateOf(row: Readonly<Record<string, unknown>>): ApprovalCandidate | null {
  const status = WORKFLOW_STATES.find((state) => state === row.status);
  if (status === undefined || typeof row.owner !== 'string') return null;
  return {
    id: String(row.id),
    owner: row.owner,
    status,
    submittedAt: String(row.submitted_at ?? row.created_at),
    decidedAt: typeof row.decided_at === 'string' ? row.decided_at : null,
    signedOn: typeof row.signed_on === 'string' ? row.signed_on : null,
    amount: Number(row.amount),
  };
}

const stageOf = (c: ApprovalCandidate): Stage =>
  c.status === 'in_review' || c.status === 'returned' ? 'review' : 'decided';

/**
 * Collects the candidates, keeping per stage the {@link MAX_SEEDED_APPROVALS} most recently
 * submitted (ties by id) — so the choice depends only on the data, and memory stays bounded at
 * the 1m size.
 */
export class ApprovalCandidates {
  readonly #kept: Record<Stage, ApprovalCandidate[]> = { review: [], decided: [] };
  #seen = 0;

  constructor(private readonly caps: Readonly<Record<Stage, number>> = MAX_SEEDED_APPROVALS) {}

  /** Applications under way seen so far (kept or not). */
  get seen(): number {
    return this.#seen;
  }

  add(candidate: ApprovalCandidate): void {
    this.#seen++;
    const stage = stageOf(candidate);
    const kept = this.#kept[stage];
    kept.push(candidate);
    if (kept.length >= 2 * this.caps[stage]) this.#trim(stage);
  }

  /** The kept applications, oldest submission first. */
  list(): ApprovalCandidate[] {
    this.#trim('review');
    this.#trim('decided');
    return [...this.#kept.review, ...this.#kept.decided].sort(
      (a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id.localeCompare(b.id),
    );
  }

  #trim(stage: Stage): void {
    const kept = this.#kept[stage];
    kept.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || a.id.localeCompare(b.id));
    kept.length = Math.min(kept.length, this.caps[stage]);
  }
}

/** What the workflow phase of the seed did. */
export interface SeededApprovals {
  readonly instances: number;
  /** Applications under way that got no instance (beyond the caps). */
  readonly skipped: number;
}

/**
 * The moment seeded workflows are dated up to: now, within the data's "today" (`asOf`, whose
 * rows end at its midnight) — so a seed of today has its open review tasks' deadlines spread
 * around the time it ran, and one of another day around the end of that day.
 */
export function seedNow(asOf: string, now = Date.now()): number {
  const midnight = Date.parse(`${asOf}T00:00:00Z`);
  return Math.min(Math.max(now, midnight), midnight + DAY - MINUTE);
}

/**
 * Runs the lending approval workflow of each candidate through the real workflow runtime — the
 * same transactions as `POST /api/workflow/instances` and the task actions, so instances, tasks,
 * timeline, notifications, deadline jobs and automation are what the app would have written —
 * submitted by the application's owner at its submission time, then taken to the step its state
 * means (see {@link goalOf}): an approved application through every review to the signing task
 * (its `mark-approved` step at its decision time), a signed one through signing to the
 * disbursement task, one in review to an open review task opened so that its one-day deadline
 * falls around `now` (one in five overdue), a returned one back to its salesperson. Must run
 * after the rows are committed.
 */
export async function seedApprovals(
  db: Kysely<JoineryDatabase>,
  context: { readonly config: Config; readonly cipher: FieldCipher },
  candidates: ApprovalCandidates,
  now: number,
): Promise<SeededApprovals> {
  const { config, cipher } = context;
  const list = candidates.list();
  if (list.length === 0) return { instances: 0, skipped: candidates.seen };
  const clock = new SeedClock(config.utcOffsetMinutes);
  const { runtime } = createWorkflowServices({
    config,
    db,
    logger: createLogger(config.logLevel),
    clock,
    // The seed's own cipher: steps read the records it sealed.
    cipher,
  });
  const step = async (at: number, work: () => Promise<StoredAnswer>) => {
    const answer = await clock.at(new Date(at), work);
    if (answer.statusCode >= 300) {
      throw new Error(`seeded workflow step refused: ${JSON.stringify(answer.body)}`);
    }
    return answer.body as InstanceSummary;
  };
  const seedOne = async (candidate: ApprovalCandidate) => {
    const goal = goalOf(candidate, now);
    let at = Date.parse(candidate.submittedAt);
    let summary = await step(at, () =>
      runtime.start({
        record: { app: LENDING_APP_KEY, form: 'loan_application', recordId: candidate.id },
        workflow: 'loan-approval',
        submitter: candidate.owner,
        idempotency: undefined,
      }),
    );
    const deciders = new Map<string, Set<string>>();
    for (let done = 0; ; done++) {
      const open = summary.openTasks;
      const waiting = open.find((task) => task.nodeId === goal.node);
      if (waiting && !goal.finish) break;
      if (done > 12 || open.length === 0 || open.some((t) => goal.beyond.has(t.nodeId))) {
        throw new Error(`seeded application ${candidate.id} did not stop at ${goal.node}`);
      }
      const task = waiting ?? (open[0] as OpenTaskView);
      const actor = actorOf(task, deciders, draw(candidate));
      at = Math.max(at + MINUTE, goal.timeOf(task.nodeId, done, at));
      const action = waiting && goal.finish ? goal.finish(task) : approve(task);
      summary = await step(at, () =>
        runtime.act({ instanceId: summary.instanceId, actor, action, idempotency: undefined }),
      );
      if (waiting) break;
    }
  };
  let next = 0;
  const work = async () => {
    while (next < list.length) await seedOne(list[next++] as ApprovalCandidate);
  };
  await Promise.all(Array.from({ length: CONCURRENT_STARTS }, work));
  return { instances: list.length, skipped: candidates.seen - list.length };
}

/**
 * Where a seeded approval stops and when its steps happen. `node` is the task that stays open
 * (or, with `finish`, the one acted on last: a claim or a return); `beyond` are nodes it must not
 * reach; `timeOf(node, k, last)` dates the k-th action, on a task of `node`, after one at `last`.
 */
export interface Goal {
  readonly node: string;
  readonly finish?: (task: OpenTaskView) => WorkflowAction;
  readonly beyond: ReadonlySet<string>;
  readonly timeOf: (node: string, action: number, last: number) => number;
}

/** Approvals before a review task opens: first and second review, then risk and compliance. */
const ACTIONS_BEFORE = { 'first-review': 0, 'second-review': 1, 'risk-review': 2, committee: 4 };
const NOT_SIGNED = new Set(['signing', 'disbursement']);
const RETURN_NOTE = '收入证明不清晰，请补充近六个月银行流水后重新提交。';

/**
 * The goal of a candidate, from a number drawn from its id. In review: a review task left open,
 * the action that opened it dated 1–20 hours before `now`, or — one in five — 25–44 hours before
 * (its one-day deadline passed); a tenth wait at the first review claimed by a reviewer; the
 * first review is left waiting only when the submission is recent (or overdue); loans of 50,000
 * or more may wait at the parallel risk and compliance reviews, those over 200,000 at the
 * committee. Returned: sent back to the salesperson at the first review or (two in five) the
 * second. Approved: every review passed, the last at its decision time, signing open. Signed: and
 * signed by its salesperson on its signing day, disbursement open.
 */
export function goalOf(candidate: ApprovalCandidate, now: number): Goal {
  const d = draw(candidate);
  const submitted = Date.parse(candidate.submittedAt);
  if (candidate.status === 'approved' || candidate.status === 'signed') {
    const decided = Date.parse(candidate.decidedAt ?? candidate.submittedAt);
    const spread = (decided - submitted) / 6;
    const signedAt =
      candidate.signedOn === null ? decided : Date.parse(`${candidate.signedOn}T10:00:00Z`);
    return {
      node: candidate.status === 'approved' ? 'signing' : 'disbursement',
      beyond: new Set(),
      // The reviews spread between submission and decision; signing on its day.
      timeOf: (node, k, last) =>
        node === 'signing'
          ? Math.min(now, Math.max(signedAt, last))
          : Math.min(decided, submitted + (k + 1) * spread),
    };
  }
  if (candidate.status === 'returned') {
    const node = d < 12 ? 'first-review' : 'second-review';
    return {
      node,
      beyond: NOT_SIGNED,
      finish: (task) => ({
        kind: 'return',
        taskId: task.key,
        target: { kind: 'submitter' },
        comment: RETURN_NOTE,
      }),
      timeOf: (_node, k) => Math.min(now, submitted + (k + 1) * 3 * HOUR),
    };
  }
  const overdue = d % 5 === 0;
  const openedAt = now - (overdue ? 25 + (d % 20) : 1 + (d % 20)) * HOUR;
  const recent = submitted >= now - 20 * HOUR;
  // The actions before the task stays open: none at the first review, one per review passed.
  let node: keyof typeof ACTIONS_BEFORE;
  if ((d < 8 && (recent || overdue)) || (d < 10 && recent)) node = 'first-review';
  else if (d < 14 || candidate.amount < 50_000) node = 'second-review';
  else if (d < 18 || candidate.amount <= 200_000) node = 'risk-review';
  else node = 'committee';
  const actions = ACTIONS_BEFORE[node];
  const claim = node === 'first-review' && d >= 8;
  const last = Math.min(now, Math.max(openedAt, submitted + (actions + 1) * MINUTE));
  return {
    node,
    beyond: NOT_SIGNED,
    ...(claim ? { finish: (task: OpenTaskView) => ({ kind: 'claim', taskId: task.key }) } : {}),
    timeOf: (_node, k) => submitted + ((k + 1) * (last - submitted)) / Math.max(actions, 1),
  };
}

/** A number from 0 to 19 drawn from an application's id (the data decides, not the run). */
function draw(candidate: ApprovalCandidate): number {
  return Number.parseInt(candidate.id.replaceAll('-', '').slice(0, 8), 16) % 20;
}

function approve(task: OpenTaskView): WorkflowAction {
  return { kind: 'approve', taskId: task.key, comment: '同意。' };
}

/** Who acts on a task: whoever claimed it, else an assignee who has not decided at its step yet. */
function actorOf(task: OpenTaskView, deciders: Map<string, Set<string>>, d: number): string {
  const decided = deciders.get(task.nodeId) ?? new Set<string>();
  deciders.set(task.nodeId, decided);
  const free = task.assignees.filter((user) => !decided.has(user));
  const actor = task.claimedBy ?? free[d % Math.max(free.length, 1)];
  if (actor === undefined) throw new Error(`no one can act on the seeded task ${task.key}`);
  decided.add(actor);
  return actor;
}
