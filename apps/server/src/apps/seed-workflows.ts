import { LENDING_APP_KEY } from '@joinery/lending-crm';
import type { WorkflowAction } from '@joinery/workflow';
import type { Kysely } from 'kysely';
import type { FieldCipher } from '../access/field-cipher.ts';
import type { Config } from '../config/config.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { createLogger } from '../logger.ts';
import type { InstanceSummary, OpenTaskView } from '../workflow/workflow-runtime.ts';
import { createWorkflowServices } from '../workflow/workflow-services.ts';
import { SeedClock } from './seed-clock.ts';

/**
 * Applications the seed starts the approval workflow on, at most (the most recently submitted):
 * hundreds of open tasks per reviewer, enough for any demo inbox, while each instance costs one
 * to three real workflow transactions (15–20 ms an instance on the shared 2-core machine), which
 * keeps the medium seed within about a quarter more time. The medium size has 1,316 applications
 * under way and the 1m size about 44,000; those beyond the cap keep their status and get no
 * instance.
 */
export const MAX_SEEDED_APPROVALS = 700;

/** Instances started at once (each step is its own transaction on the pool). */
const CONCURRENT_STARTS = 4;

const HOUR = 3_600_000;

/** A seeded application whose approval is under way. */
export interface ApprovalCandidate {
  readonly id: string;
  readonly owner: string;
  readonly status: 'in_review' | 'returned';
  readonly submittedAt: string;
  readonly amount: number;
}

/**
 * Collects, from the generated `loan_application` rows, the applications under review or
 * returned that have an owner, keeping the {@link MAX_SEEDED_APPROVALS} most recently submitted
 * (ties by id) — so the choice depends only on the data, and memory stays bounded at the 1m size.
 */
export class ApprovalCandidates {
  #kept: ApprovalCandidate[] = [];
  #seen = 0;

  constructor(private readonly cap = MAX_SEEDED_APPROVALS) {}

  /** Applications under way seen so far (kept or not). */
  get seen(): number {
    return this.#seen;
  }

  add(row: Readonly<Record<string, unknown>>): void {
    // The statuses that mean the approval is under way.
    const status = row.status;
    if (status !== 'in_review' && status !== 'returned') return;
    if (typeof row.owner !== 'string') return;
    this.#seen++;
    this.#kept.push({
      id: String(row.id),
      owner: row.owner,
      status,
      submittedAt: String(row.submitted_at ?? row.created_at),
      amount: Number(row.amount),
    });
    if (this.#kept.length >= 2 * this.cap) this.#trim();
  }

  /** The kept applications, oldest submission first. */
  list(): ApprovalCandidate[] {
    this.#trim();
    return [...this.#kept].reverse();
  }

  #trim(): void {
    this.#kept.sort(
      (a, b) => b.submittedAt.localeCompare(a.submittedAt) || a.id.localeCompare(b.id),
    );
    this.#kept.length = Math.min(this.#kept.length, this.cap);
  }
}

/** What the workflow phase of the seed did. */
export interface SeededApprovals {
  readonly instances: number;
  /** Applications under way that got no instance (beyond the cap). */
  readonly skipped: number;
}

/**
 * Starts the lending approval workflow on each candidate through the real workflow runtime —
 * the same transactions as `POST /api/workflow/instances` and the task actions, so instances,
 * tasks, timeline, notifications, deadline jobs and automation are what the app would have
 * written — submitted by the application's owner at its submission time, then taken to a
 * plausible step chosen from its id (see {@link planOf}). Steps are dated a few hours apart,
 * never after the data's "today". Must run after the rows are committed.
 */
export async function seedApprovals(
  db: Kysely<JoineryDatabase>,
  context: { readonly config: Config; readonly cipher: FieldCipher },
  candidates: ApprovalCandidates,
  asOf: string,
): Promise<SeededApprovals> {
  const { config, cipher } = context;
  const list = candidates.list();
  if (list.length === 0) return { instances: 0, skipped: candidates.seen };
  const clock = new SeedClock(config.utcOffsetMinutes);
  const services = createWorkflowServices({
    config,
    db,
    logger: createLogger(config.logLevel),
    clock,
    // The seed's own cipher: steps read the records it sealed.
    cipher,
  });
  const reviewers = await usersWithRole(db, 'reviewer');
  if (reviewers.length < 2) throw new Error('the demo needs two reviewers for the approvals');
  const today = Date.parse(`${asOf}T00:00:00Z`);
  let next = 0;
  const work = async () => {
    while (next < list.length) {
      const candidate = list[next++] as ApprovalCandidate;
      await seedOne(candidate);
    }
  };
  const seedOne = async (candidate: ApprovalCandidate) => {
    const plan = planOf(candidate, reviewers);
    let at = Date.parse(candidate.submittedAt);
    const started = await clock.at(new Date(at), () =>
      services.runtime.start({
        record: { app: LENDING_APP_KEY, form: 'loan_application', recordId: candidate.id },
        workflow: 'loan-approval',
        submitter: candidate.owner,
        idempotency: undefined,
      }),
    );
    // The runtime's own answer: the instance and its open tasks after the step.
    let summary = started.body as InstanceSummary;
    for (const step of plan) {
      const task = summary.openTasks.find((open) => open.nodeId === step.nodeId);
      if (task === undefined) {
        throw new Error(`seeded application ${candidate.id}: no open ${step.nodeId} task`);
      }
      at = Math.min(at + step.afterHours * HOUR, today);
      const answer = await clock.at(new Date(at), () =>
        services.runtime.act({
          instanceId: summary.instanceId,
          actor: step.actor,
          action: step.action(task),
          idempotency: undefined,
        }),
      );
      summary = answer.body as InstanceSummary;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_STARTS }, work));
  return { instances: list.length, skipped: candidates.seen - list.length };
}

/** One action of a seeded approval: who acts on which step's task, how long after the last. */
interface PlannedStep {
  readonly nodeId: string;
  readonly actor: string;
  readonly afterHours: number;
  readonly action: (task: OpenTaskView) => WorkflowAction;
}

const APPROVE_FIRST = '资料齐全，收入与负债核实无误，同意进入复审。';
const APPROVE_SECOND = '同意，转风控与合规审查。';
const RETURN_NOTE = '收入证明不清晰，请补充近六个月银行流水后重新提交。';

/**
 * Where a seeded approval stops, from a number drawn from the application's id. In review: half
 * wait at the first review, a tenth of them claimed by a reviewer; a quarter passed it and wait at
 * the second review; the rest of loans of 50,000 or more passed both and wait at the parallel risk
 * and compliance reviews (smaller ones could go straight to approval, which their status denies,
 * so they wait at the second review). Returned: sent back to the salesperson for documents at the
 * first review, or (two in five) at the second.
 */
export function planOf(candidate: ApprovalCandidate, reviewers: readonly string[]): PlannedStep[] {
  const draw = Number.parseInt(candidate.id.replaceAll('-', '').slice(0, 8), 16) % 20;
  const first = reviewers[draw % reviewers.length] as string;
  const second = reviewers[(draw + 1) % reviewers.length] as string;
  const approve = (
    nodeId: string,
    actor: string,
    comment: string,
    afterHours: number,
  ): PlannedStep => ({
    nodeId,
    actor,
    afterHours,
    action: (task) => ({ kind: 'approve', taskId: task.key, comment }),
  });
  const giveBack = (nodeId: string, actor: string): PlannedStep => ({
    nodeId,
    actor,
    afterHours: 3,
    action: (task) => ({
      kind: 'return',
      taskId: task.key,
      target: { kind: 'submitter' },
      comment: RETURN_NOTE,
    }),
  });
  const firstApproved = approve('first-review', first, APPROVE_FIRST, 2 + (draw % 5));
  if (candidate.status === 'returned') {
    return draw < 12
      ? [giveBack('first-review', first)]
      : [firstApproved, giveBack('second-review', second)];
  }
  if (draw < 8) return [];
  if (draw < 10) {
    return [
      {
        nodeId: 'first-review',
        actor: first,
        afterHours: 1,
        action: (task) => ({ kind: 'claim', taskId: task.key }),
      },
    ];
  }
  if (draw < 15 || candidate.amount < 50_000) return [firstApproved];
  return [firstApproved, approve('second-review', second, APPROVE_SECOND, 4)];
}

async function usersWithRole(db: Kysely<JoineryDatabase>, role: string): Promise<string[]> {
  const rows = await db
    .selectFrom('joinery.users as u')
    .innerJoin('joinery.user_roles as ur', 'ur.user_id', 'u.id')
    .innerJoin('joinery.roles as r', 'r.id', 'ur.role_id')
    .select('u.id')
    .where('r.key', '=', role)
    .where('u.disabled', '=', false)
    .orderBy('u.username')
    .execute();
  return rows.map((row) => row.id);
}
