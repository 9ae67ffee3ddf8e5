import { type InstanceState, mayActOn } from '@joinery/workflow';
import { sql } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { standsInFor } from './workflow-delegations.ts';
import type { WorkflowServices } from './workflow-services.ts';

/**
 * The open tasks `user` may act on for absent users right now: those of the users they stand
 * in for (`standsInFor`), kept only where the engine itself would let them act (`mayActOn`:
 * four-eyes — the submitter, someone the step excludes — and claims), so a to-do list or a
 * task view never offers a task the engine would refuse. The absences come from the
 * organisation snapshot (no query while the organisation is unchanged); then one query for the
 * tasks with their instance state, whatever the count.
 */
export async function delegatedTasks(
  services: Pick<WorkflowServices, 'db' | 'clock' | 'definitions' | 'runtime'>,
  principal: Pick<Principal, 'userId' | 'orgVersion'>,
): Promise<string[]> {
  const { db, clock, definitions, runtime } = services;
  const user = principal.userId;
  const now = clock.now();
  // Authentication read the organisation's version: the cached snapshot, without a query.
  const org =
    principal.orgVersion === undefined
      ? await runtime.org(db)
      : await runtime.orgAt(db, principal.orgVersion);
  const absentees = standsInFor(org, user, now);
  if (absentees.length === 0) return [];
  const rows = await db
    .selectFrom('joinery.workflow_tasks as t')
    .innerJoin('joinery.workflow_instances as i', 'i.id', 't.instance_id')
    .select(['t.id', 't.task_key', 'i.definition_id', 'i.state'])
    .where('t.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('t.assignees', '&&', sql<string[]>`${absentees}::uuid[]`),
        eb('t.claimed_by', '=', eb.fn.any(sql<string[]>`${absentees}::uuid[]`)),
      ]),
    )
    .execute();
  if (rows.length === 0) return [];
  const env = { now: now.toISOString(), org };
  const allowed: string[] = [];
  for (const row of rows) {
    const workflow = await definitions.compiled(db, row.definition_id);
    // The stored JSON is the engine's own state.
    if (mayActOn(workflow, row.state as InstanceState, env, row.task_key, user)) {
      allowed.push(row.id);
    }
  }
  return allowed;
}
