import type { EngineContext } from './engine-context.ts';
import { managerOf, membersOfRole } from './org-snapshot.ts';
import type { AssigneeSpec, StepConfig } from './step-config.ts';

/** Users named by one assignee source, before exclusions (CC uses it as is). */
export function usersOf(ctx: EngineContext, spec: AssigneeSpec): string[] {
  const org = ctx.env.org;
  switch (spec.kind) {
    case 'users':
      return [...spec.userIds];
    case 'role':
      return membersOfRole(org, spec.role);
    case 'department-manager': {
      const manager = managerOf(org, ctx.state.submitter, spec.levels ?? 1);
      return manager === undefined ? [] : [manager];
    }
    case 'record-field': {
      const value = ctx.record()[spec.field];
      if (typeof value === 'string' && value.length > 0) return [value];
      if (Array.isArray(value)) {
        return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
      }
      return [];
    }
    case 'previous-approver-manager': {
      const previous = ctx.state.lastApprover;
      const manager = previous === undefined ? undefined : managerOf(org, previous);
      return manager === undefined ? [] : [manager];
    }
  }
}

/**
 * The users a step's tasks go to, in order and without duplicates. Removes inactive users, the
 * submitter (four-eyes: nobody approves their own request) and whoever approved the steps in
 * `excludeDecidersOf`. The empty-list policy is applied by the caller.
 */
export function resolveAssignees(ctx: EngineContext, step: StepConfig): string[] {
  const excluded = new Set<string>(step.submitterMayAct ? [] : [ctx.state.submitter]);
  for (const nodeId of step.excludeDecidersOf ?? []) {
    const visit = ctx.state.visits[nodeId];
    for (const user of [...(visit?.deciders ?? []), ...(visit?.delegates ?? [])]) {
      excluded.add(user);
    }
  }
  const users = ctx.env.org.users;
  const out: string[] = [];
  for (const spec of step.assignees) {
    for (const user of usersOf(ctx, spec)) {
      const known = users[user];
      if (known === undefined || known.active === false) continue;
      if (excluded.has(user) || out.includes(user)) continue;
      out.push(user);
    }
  }
  return out;
}

/**
 * Whether `user` may take part in the step (four-eyes), e.g. as a transfer or added signer, or
 * as a delegate standing in for an absent assignee.
 */
export function mayTakePart(ctx: EngineContext, step: StepConfig, user: string): boolean {
  if (user === ctx.state.submitter && !step.submitterMayAct) return false;
  const known = ctx.env.org.users[user];
  if (known === undefined || known.active === false) return false;
  return !(step.excludeDecidersOf ?? []).some((nodeId) => {
    const visit = ctx.state.visits[nodeId];
    return visit?.deciders.includes(user) === true || visit?.delegates?.includes(user) === true;
  });
}
