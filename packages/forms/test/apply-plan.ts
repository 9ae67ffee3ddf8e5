import type pg from 'pg';
import type { PublishPlan } from '../src/publish/publish-plan.ts';

/** What applying a plan did: refused with the rows a check found, or applied. */
export type ApplyOutcome =
  | { readonly applied: true }
  | {
      readonly applied: false;
      readonly refusals: readonly string[];
      readonly rows: readonly unknown[];
    };

/**
 * Applies a plan the way the server must (tests only): refusals stop it; checks run first and
 * any row stops it; then every step, all in one transaction.
 */
export async function applyPlan(client: pg.ClientBase, plan: PublishPlan): Promise<ApplyOutcome> {
  if (plan.refusals.length > 0) {
    return { applied: false, refusals: plan.refusals.map((r) => r.reason), rows: [] };
  }
  await client.query('begin');
  try {
    for (const check of plan.checks) {
      const result = await client.query(check.sql.sql, [...check.sql.parameters]);
      if (result.rows.length > 0) {
        await client.query('rollback');
        return { applied: false, refusals: [check.kind], rows: result.rows };
      }
    }
    for (const step of plan.steps) await client.query(step.sql.sql, [...step.sql.parameters]);
    await client.query('commit');
    return { applied: true };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
