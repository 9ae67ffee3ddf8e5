import { type FieldProblemInput, JoineryError } from '@joinery/shared';
import type { OrgSnapshot } from '@joinery/workflow';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import type { WorkflowDatabase, WorkflowDelegationsTable } from './workflow-tables.ts';

/** An absence delegation as the API shows it. */
export interface DelegationView {
  readonly id: string;
  readonly userId: string;
  readonly delegateId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly reason: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly cancelledAt: string | null;
}

/** What declaring an absence asks for (the user defaults to the caller). */
export interface DelegationInput {
  readonly userId: string;
  readonly delegateId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly reason: string | undefined;
}

type Db = Kysely<WorkflowDatabase>;
type Row = Selectable<WorkflowDelegationsTable>;

const problem = (field: string, zh: string, en: string): FieldProblemInput => ({
  field: `/body/${field}`,
  reason: { 'zh-CN': zh, en },
});

/**
 * Absences (请假代理): from–to, a user's workflow tasks go to their delegate. The engine reads
 * them in its organisation snapshot (a change bumps `joinery.org_version`), so tasks opened
 * during the absence go to the delegate, on the user's behalf; a delegate may also act on the
 * user's tasks that were already open (see `standsInFor`). One absence at a time per user:
 * ranges of one user never overlap, checked under a per-user lock.
 */
export class WorkflowDelegations {
  constructor(private readonly db: Db) {}

  /** Declares an absence; 400 names each field at fault, 409 when it overlaps another. */
  async create(principal: Principal, input: DelegationInput, now: Date): Promise<DelegationView> {
    if (input.userId !== principal.userId && !principal.isAdmin) {
      throw new JoineryError('JNY_AUTH_FORBIDDEN');
    }
    return this.db.transaction().execute(async (trx) => {
      const users = await trx
        .selectFrom('joinery.users')
        .select(['id', 'disabled'])
        .where('id', 'in', [input.userId, input.delegateId])
        .execute();
      const user = users.find((u) => u.id === input.userId);
      const delegate = users.find((u) => u.id === input.delegateId);
      const problems: FieldProblemInput[] = [];
      if (user === undefined) problems.push(problem('userId', '用户不存在', 'No such user'));
      if (input.delegateId === input.userId) {
        problems.push(
          problem('delegateId', '不能委托给自己', 'A user cannot delegate to themself'),
        );
      } else if (delegate === undefined || delegate.disabled) {
        problems.push(
          problem('delegateId', '代理人不存在或已停用', 'No such delegate, or they are disabled'),
        );
      }
      if (input.endsAt.getTime() <= input.startsAt.getTime()) {
        problems.push(problem('endsAt', '结束时间必须晚于开始时间', 'Must be after startsAt'));
      } else if (input.endsAt.getTime() <= now.getTime()) {
        problems.push(problem('endsAt', '结束时间必须在将来', 'Must be in the future'));
      }
      if (problems.length > 0) {
        throw new JoineryError('JNY_WORKFLOW_RUNTIME_DELEGATION_INVALID', {}, problems);
      }
      // One absence at a time: concurrent declarations for one user are serialised here.
      await sql`SELECT pg_advisory_xact_lock(hashtext('workflow_delegation'), hashtext(${input.userId}))`.execute(
        trx,
      );
      const overlap = await trx
        .selectFrom('joinery.workflow_delegations')
        .select(['starts_at', 'ends_at'])
        .where('user_id', '=', input.userId)
        .where('cancelled_at', 'is', null)
        .where('starts_at', '<', input.endsAt)
        .where('ends_at', '>', input.startsAt)
        .executeTakeFirst();
      if (overlap) {
        throw new JoineryError('JNY_WORKFLOW_RUNTIME_DELEGATION_OVERLAPS', {
          startsAt: overlap.starts_at.toISOString(),
          endsAt: overlap.ends_at.toISOString(),
        });
      }
      const row = await trx
        .insertInto('joinery.workflow_delegations')
        .values({
          user_id: input.userId,
          delegate_id: input.delegateId,
          starts_at: input.startsAt,
          ends_at: input.endsAt,
          reason: input.reason ?? null,
          created_by: principal.userId,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return viewOf(row);
    });
  }

  /**
   * Absences the caller declared or stands in for, not over by `now` (or all with `past`);
   * administrators may ask for anyone's with `userId`.
   */
  async list(
    principal: Principal,
    query: { readonly userId?: string; readonly past?: boolean },
    now: Date,
  ): Promise<DelegationView[]> {
    const subject = query.userId ?? principal.userId;
    if (subject !== principal.userId && !principal.isAdmin) {
      throw new JoineryError('JNY_AUTH_FORBIDDEN');
    }
    const rows = await this.db
      .selectFrom('joinery.workflow_delegations')
      .selectAll()
      .where((eb) => eb.or([eb('user_id', '=', subject), eb('delegate_id', '=', subject)]))
      .$if(query.past !== true, (q) =>
        q.where('cancelled_at', 'is', null).where('ends_at', '>', now),
      )
      .orderBy('starts_at', 'desc')
      .orderBy('id')
      .limit(200)
      .execute();
    return rows.map(viewOf);
  }

  /** Cancels an absence (its user, whoever declared it, or an admin); 404 for anyone else. */
  async cancel(principal: Principal, id: string, now: Date): Promise<DelegationView> {
    const row = await this.db
      .updateTable('joinery.workflow_delegations')
      .set({ cancelled_at: now })
      .where('id', '=', id)
      .where('cancelled_at', 'is', null)
      .$if(!principal.isAdmin, (q) =>
        q.where((eb) =>
          eb.or([eb('user_id', '=', principal.userId), eb('created_by', '=', principal.userId)]),
        ),
      )
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new JoineryError('JNY_WORKFLOW_RUNTIME_DELEGATION_NOT_FOUND', { id });
    return viewOf(row);
  }
}

/**
 * The users `userId` stands in for at `now`: the absent users whose delegation chain (a → b →
 * c, as the engine follows it) reaches them, among the organisation's delegations (`org`, the
 * snapshot the engine itself decides with). Their open tasks show in the delegate's inbox; the
 * engine decides, per task, whether the delegate may act (four-eyes).
 */
export function standsInFor(org: OrgSnapshot, userId: string, now: Date): string[] {
  const at = now.getTime();
  const active = (org.delegations ?? []).filter(
    (d) => Date.parse(d.start) <= at && at < Date.parse(d.end),
  );
  const found = new Set<string>([userId]);
  let frontier = [userId];
  while (frontier.length > 0) {
    const next = active.filter((d) => frontier.includes(d.to) && !found.has(d.from));
    for (const d of next) found.add(d.from);
    frontier = next.map((d) => d.from);
  }
  found.delete(userId);
  return [...found];
}

function viewOf(row: Row): DelegationView {
  return {
    id: row.id,
    userId: row.user_id,
    delegateId: row.delegate_id,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    cancelledAt: row.cancelled_at === null ? null : row.cancelled_at.toISOString(),
  };
}
