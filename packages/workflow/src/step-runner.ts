import { JoineryError } from '@joinery/shared';
import { addDuration, millisBetween } from './duration.ts';
import type { EngineContext } from './engine-context.ts';
import type { Seat, StepRun, TaskState, Token } from './instance-state.ts';
import { delegateOf } from './org-snapshot.ts';
import { mayTakePart, resolveAssignees } from './resolve-assignees.ts';
import type { CountersignMode, StepConfig } from './step-config.ts';

/** Approvals needed out of `m` seats under `mode`. */
export function requiredApprovals(mode: CountersignMode, m: number): number {
  switch (mode.kind) {
    case 'any':
      return Math.min(1, m);
    case 'all':
    case 'sequential':
      return m;
    case 'n-of-m':
      return Math.min(mode.n, m);
    case 'percentage':
      return Math.min(m, Math.max(1, Math.ceil((mode.percent * m) / 100 - 1e-9)));
  }
}

/** The step settings of the node a token is at (approval or race). */
export function stepOf(ctx: EngineContext, nodeId: string): StepConfig {
  const role = ctx.node(nodeId).behaviour.role;
  if (role.kind !== 'step') {
    throw new JoineryError('JNY_WORKFLOW_ACTION_NOT_ALLOWED', {
      action: 'this action',
      reason: `${nodeId} is not a review step`,
    });
  }
  return role.step;
}

/**
 * Starts a step for `token`: resolves the assignees (with four-eyes exclusions and, after a
 * return, the previous reviewers if so configured), applies the empty-list policy, builds one
 * seat per vote and opens the first task(s). Calls the node's `onStepDone` at once when the
 * step is skipped or auto-approved.
 */
export function openStep(ctx: EngineContext, token: Token, step: StepConfig): void {
  const nodeId = token.nodeId;
  const previous = ctx.state.visits[nodeId];
  const routeBackTo = step.returnToPreviousReviewer ? (previous?.routeBackTo ?? []) : [];
  const routedBack = routeBackTo.length > 0;
  let users = routedBack ? [...routeBackTo] : resolveAssignees(ctx, step);
  // Routed back, the step goes straight to the previous reviewers: nothing to claim.
  const claim = step.claim === true && !routedBack;
  ctx.patch({
    visits: { ...ctx.state.visits, [nodeId]: { lineage: token.lineage, deciders: [] } },
  });
  if (users.length === 0) {
    const policy = step.emptyAssignees ?? 'admin';
    const admins = ctx.env.org.admins.filter((a) => a !== ctx.state.submitter);
    if (policy === 'admin' && admins.length > 0) {
      users = [...admins];
      ctx.history({ actor: null, action: 'assigned-to-admin', nodeId });
    } else {
      const action = policy === 'auto-approve' ? 'auto-approved' : 'skipped';
      ctx.history({ actor: null, action, nodeId, details: { reason: 'no assignee' } });
      ctx.node(nodeId).behaviour.onStepDone?.(ctx, token, 'approved');
      return;
    }
  }
  const mode = step.countersign ?? { kind: 'any' };
  const runId = ctx.nextId('r');
  const seats: Seat[] = claim
    ? [{ id: `${runId}.0`, chain: [], position: 0, status: 'pending', candidates: users }]
    : users.map((user, i) => ({
        id: `${runId}.${i}`,
        chain: [user],
        position: 0,
        status: 'pending',
      }));
  const run: StepRun = {
    id: runId,
    nodeId,
    tokenId: token.id,
    seats,
    required: claim ? 1 : requiredApprovals(mode, seats.length),
    sequential: mode.kind === 'sequential',
    openedAt: ctx.now,
  };
  ctx.putStepRun(run);
  ctx.putToken({ ...token, stepRunId: runId });
  const toOpen = run.sequential ? seats.slice(0, 1) : seats;
  for (const seat of toOpen) openSeat(ctx, runId, seat.id);
}

/** Opens the task of a seat for its current signer (or its candidates), with deadline jobs. */
export function openSeat(ctx: EngineContext, runId: string, seatId: string): void {
  const run = ctx.state.stepRuns[runId];
  const seat = run?.seats.find((s) => s.id === seatId);
  if (run === undefined || seat === undefined) return;
  const step = stepOf(ctx, run.nodeId);
  const taskId = ctx.nextId('t');
  const deadline = step.deadline === undefined ? undefined : ctx.after(step.deadline.after);
  const reminderAt =
    deadline === undefined || step.deadline?.reminderBefore === undefined
      ? undefined
      : addDuration(deadline, step.deadline.reminderBefore, -1);
  const base = {
    id: taskId,
    nodeId: run.nodeId,
    kind: 'approval' as const,
    stepRunId: runId,
    seatId,
    openedAt: ctx.now,
    ...(deadline === undefined ? {} : { deadline }),
  };
  // Four-eyes holds for delegates too: one the step would not take is skipped.
  const eligible = (user: string) => mayTakePart(ctx, step, user);
  let task: TaskState;
  if (seat.candidates !== undefined && seat.chain.length === 0) {
    const offeredTo = seat.candidates;
    const standIns: Record<string, string> = {};
    const candidates = [
      ...new Set(
        offeredTo.map((user) => {
          const delegate = delegateOf(ctx.env.org, user, ctx.now, eligible);
          // A delegate who is a candidate in their own right acts for themself.
          if (delegate !== user && !offeredTo.includes(delegate)) standIns[delegate] ??= user;
          return delegate;
        }),
      ),
    ];
    task = {
      ...base,
      assignee: null,
      candidates,
      ...(Object.keys(standIns).length === 0 ? {} : { standIns }),
    };
  } else {
    const user = seat.chain[seat.position] ?? '';
    const delegate = delegateOf(ctx.env.org, user, ctx.now, eligible);
    task = { ...base, assignee: delegate, ...(delegate === user ? {} : { onBehalfOf: user }) };
  }
  replaceSeat(ctx, runId, { ...seat, status: 'open', taskId });
  ctx.openTask(task, reminderAt !== undefined && reminderAt > ctx.now ? reminderAt : undefined);
}

/** Stores a changed seat in its run. */
export function replaceSeat(ctx: EngineContext, runId: string, seat: Seat): void {
  const run = ctx.state.stepRuns[runId];
  if (run === undefined) return;
  ctx.putStepRun({ ...run, seats: run.seats.map((s) => (s.id === seat.id ? seat : s)) });
}

/**
 * Records one signer's vote on a seat. An approval moves the seat along its chain (signers added
 * after, or the original signer after one added before) or completes it; a rejection settles it.
 * Then the step is evaluated against its threshold.
 */
export function voteOnSeat(
  ctx: EngineContext,
  runId: string,
  seatId: string,
  vote: 'approve' | 'reject',
): void {
  const run = ctx.state.stepRuns[runId];
  const seat = run?.seats.find((s) => s.id === seatId);
  if (run === undefined || seat === undefined) return;
  if (vote === 'approve' && seat.position < seat.chain.length - 1) {
    const { taskId: _closed, ...rest } = seat;
    replaceSeat(ctx, runId, { ...rest, position: seat.position + 1, status: 'pending' });
    openSeat(ctx, runId, seatId);
    return;
  }
  const { taskId: _closed, ...rest } = seat;
  replaceSeat(ctx, runId, { ...rest, status: vote === 'approve' ? 'approved' : 'rejected' });
  settleStep(ctx, runId);
}

/**
 * Checks a step run against its threshold: completes it (cancelling the tasks no longer
 * needed) when approvals reach it, rejects it when they no longer can, and otherwise opens the
 * next seat of a sequential countersign.
 */
export function settleStep(ctx: EngineContext, runId: string): void {
  const run = ctx.state.stepRuns[runId];
  if (run === undefined) return;
  const approvals = run.seats.filter((s) => s.status === 'approved').length;
  const undecided = run.seats.filter((s) => s.status === 'pending' || s.status === 'open').length;
  let outcome: 'approved' | 'rejected' | undefined;
  if (approvals >= run.required) outcome = 'approved';
  else if (approvals + undecided < run.required) outcome = 'rejected';
  if (outcome === undefined) {
    if (run.sequential && !run.seats.some((s) => s.status === 'open')) {
      const next = run.seats.find((s) => s.status === 'pending');
      if (next !== undefined) openSeat(ctx, runId, next.id);
    }
    return;
  }
  ctx.cancelStepRun(runId, 'not-needed');
  const token = ctx.state.tokens[run.tokenId];
  if (token === undefined) return;
  const { stepRunId: _done, ...rest } = token;
  const settled = { ...rest };
  ctx.putToken(settled);
  ctx.history({
    actor: null,
    action: outcome === 'approved' ? 'step-approved' : 'step-rejected',
    nodeId: run.nodeId,
    // Time spent on the whole step (from its first task to its result), for approval speed.
    timeSpentMs: millisBetween(run.openedAt, ctx.now),
    details: { runId: run.id },
  });
  ctx.node(run.nodeId).behaviour.onStepDone?.(ctx, settled, outcome);
}
