import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { standingIn } from './workflow-access.ts';
import type { WorkflowDatabase } from './workflow-tables.ts';

/** The lists of a user's inbox. */
export type InboxBox = 'todo' | 'done' | 'cc' | 'started';

/** Filters shared by every list. */
export interface InboxFilter {
  readonly app?: string;
  readonly form?: string;
  readonly nodeId?: string;
  /** Instance status: running, returned or finished. */
  readonly status?: string;
  /**
   * Only what was overdue at this instant: a task whose deadline passed while it was open (still
   * open, or closed after it); an instance with an open task past its deadline.
   */
  readonly overdueAt?: Date;
  /** Only instances whose record matches a text search (a condition over the alias `i`). */
  readonly matching?: RawBuilder<SqlBool>;
}

/** Who is asking, beyond their user id: what the access layers let them see. */
export interface InboxViewer {
  readonly user: string;
  /** Open tasks they may act on for absent users (`delegatedTasks`). */
  readonly delegated: readonly string[];
  /** The records they may view, as a condition over the instance (alias `i`, `viewableRecords`). */
  readonly records: RawBuilder<SqlBool>;
}

/** One line of a list (a task for to-do/done; an instance for CC'd/started). */
export interface InboxItem {
  id: string;
  instanceId: string;
  /** The published workflow version (for the step's field visibility), not sent as such. */
  definitionId: string;
  key: string | null;
  nodeId: string | null;
  kind: string | null;
  status: string;
  app: string;
  form: string;
  recordId: string;
  submitter: string;
  assignees: string[];
  /** Offered to several candidates: one of them claims it before acting. */
  offered: boolean;
  claimedBy: string | null;
  /** The absent user a delegate does the task for (as assignee or claimer). */
  onBehalfOf: string | null;
  /** Their display name. */
  onBehalfOfName: string | null;
  openedAt: string;
  closedAt: string | null;
  closeReason: string | null;
  deadline: string | null;
  instanceStatus: string;
  outcome: string | null;
  /** Overdue at the server's clock, as the `overdueAt` filter means it. */
  overdue: boolean;
}

type Db = Kysely<WorkflowDatabase>;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * The inbox of one user, straight from the task and instance tables (indexed by assignee,
 * closer, submitter and notified user):
 * - `todo`: open tasks assigned to them, or offered to them and not claimed by someone else, and
 *   the open tasks they may act on for absent users (`delegated`);
 * - `done`: tasks they closed;
 * - `cc`: instances copied to them;
 * - `started`: instances they submitted.
 * Every list holds only instances whose record the viewer may view (`records`).
 */
export class WorkflowInbox {
  constructor(private readonly db: Db) {}

  async list(
    box: InboxBox,
    viewer: InboxViewer,
    filter: InboxFilter,
    page: { limit: number; offset: number },
    now: Date,
  ): Promise<InboxItem[]> {
    if (box === 'todo' || box === 'done') {
      const rows = await this.#tasks(box, viewer, filter)
        .leftJoin('joinery.users as b', 'b.id', 't.on_behalf_of')
        .select(sql<boolean>`coalesce(${taskOverdue(now)}, false)`.as('overdue'))
        .select([
          't.id',
          't.instance_id',
          'i.definition_id',
          't.task_key',
          't.node_id',
          't.kind',
          't.status',
          't.assignees',
          't.offered',
          't.claimed_by',
          't.on_behalf_of',
          'b.display_name as on_behalf_of_name',
          't.opened_at',
          't.closed_at',
          't.close_reason',
          't.deadline',
          'i.app',
          'i.form',
          'i.record_id',
          'i.submitter',
          'i.status as instance_status',
          'i.outcome',
        ])
        .orderBy(box === 'todo' ? 't.opened_at' : 't.closed_at', box === 'todo' ? 'asc' : 'desc')
        .orderBy('t.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        instanceId: r.instance_id,
        definitionId: r.definition_id,
        key: r.task_key,
        nodeId: r.node_id,
        kind: r.kind,
        status: r.status,
        app: r.app,
        form: r.form,
        recordId: r.record_id,
        submitter: r.submitter,
        assignees: r.assignees,
        offered: r.offered,
        claimedBy: r.claimed_by,
        onBehalfOf: r.on_behalf_of,
        onBehalfOfName: r.on_behalf_of_name,
        openedAt: r.opened_at.toISOString(),
        closedAt: iso(r.closed_at),
        closeReason: r.close_reason,
        deadline: iso(r.deadline),
        instanceStatus: r.instance_status,
        outcome: r.outcome,
        overdue: r.overdue,
      }));
    }
    const rows = await this.#instances(box, viewer, filter)
      .select(instanceOverdue(now).as('overdue'))
      .select([
        'i.id',
        'i.definition_id',
        'i.app',
        'i.form',
        'i.record_id',
        'i.submitter',
        'i.status',
        'i.outcome',
        'i.started_at',
        'i.finished_at',
      ])
      .orderBy('i.started_at', 'desc')
      .orderBy('i.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      instanceId: r.id,
      definitionId: r.definition_id,
      key: null,
      nodeId: null,
      kind: null,
      status: r.status,
      app: r.app,
      form: r.form,
      recordId: r.record_id,
      submitter: r.submitter,
      assignees: [],
      offered: false,
      claimedBy: null,
      onBehalfOf: null,
      onBehalfOfName: null,
      openedAt: r.started_at.toISOString(),
      closedAt: iso(r.finished_at),
      closeReason: null,
      deadline: null,
      instanceStatus: r.status,
      outcome: r.outcome,
      overdue: r.overdue,
    }));
  }

  /** How many items each list holds under the filter. */
  async counts(viewer: InboxViewer, filter: InboxFilter): Promise<Record<InboxBox, number>> {
    const count = async (box: InboxBox) => {
      const query =
        box === 'todo' || box === 'done'
          ? this.#tasks(box, viewer, filter)
          : this.#instances(box, viewer, filter);
      const row = await query
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const [todo, done, cc, started] = await Promise.all(
      (['todo', 'done', 'cc', 'started'] as const).map(count),
    );
    return { todo: todo ?? 0, done: done ?? 0, cc: cc ?? 0, started: started ?? 0 };
  }

  #tasks(box: 'todo' | 'done', viewer: InboxViewer, filter: InboxFilter) {
    const { user } = viewer;
    return this.db
      .selectFrom('joinery.workflow_tasks as t')
      .innerJoin('joinery.workflow_instances as i', 'i.id', 't.instance_id')
      .where((eb) => {
        const mine: Expression<SqlBool>[] = [];
        if (box === 'todo') {
          mine.push(eb('t.status', '=', 'open'));
          mine.push(
            eb.or([
              eb('t.claimed_by', '=', user),
              eb.and([
                eb('t.assignees', '@>', sql<string[]>`ARRAY[${user}]::uuid[]`),
                eb('t.claimed_by', 'is', null),
              ]),
              ...standingIn(viewer.delegated),
            ]),
          );
        } else {
          // What they decided, and what a delegate decided on their behalf while they were away.
          mine.push(
            eb.or([
              eb('t.closed_by', '=', user),
              eb.and([eb('t.status', '=', 'closed'), eb('t.on_behalf_of', '=', user)]),
            ]),
          );
        }
        if (filter.nodeId !== undefined) mine.push(eb('t.node_id', '=', filter.nodeId));
        if (filter.overdueAt !== undefined) mine.push(taskOverdue(filter.overdueAt));
        return eb.and([...mine, ...instanceFilter(filter), viewer.records]);
      });
  }

  #instances(box: 'cc' | 'started', viewer: InboxViewer, filter: InboxFilter) {
    const { user } = viewer;
    return this.db.selectFrom('joinery.workflow_instances as i').where((eb) => {
      const mine =
        box === 'started'
          ? eb('i.submitter', '=', user)
          : eb.exists(
              eb
                .selectFrom('joinery.workflow_notifications as n')
                .select('n.id')
                .whereRef('n.instance_id', '=', 'i.id')
                .where('n.user_id', '=', user)
                .where('n.kind', '=', 'cc'),
            );
      const overdue = filter.overdueAt === undefined ? [] : [instanceOverdue(filter.overdueAt)];
      return eb.and([mine, ...overdue, ...instanceFilter(filter), viewer.records]);
    });
  }
}

/**
 * A task (alias `t`) overdue at `at`: its deadline passed while it was open (still open, or
 * closed after it). Null when it has no deadline. The filter and each line's flag both use it.
 */
function taskOverdue(at: Date): RawBuilder<boolean> {
  return sql<boolean>`(t.deadline < ${at} AND (t.closed_at IS NULL OR t.closed_at > t.deadline))`;
}

/** An instance (alias `i`) with an open task past its deadline at `at`. */
function instanceOverdue(at: Date): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM joinery.workflow_tasks o WHERE o.instance_id = i.id AND o.status = 'open' AND o.deadline < ${at})`;
}

/** Instance filters as SQL over the alias `i` (constant column names, bound values). */
function instanceFilter(filter: InboxFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (filter.app !== undefined) out.push(sql<SqlBool>`i.app = ${filter.app}`);
  if (filter.form !== undefined) out.push(sql<SqlBool>`i.form = ${filter.form}`);
  if (filter.status !== undefined) out.push(sql<SqlBool>`i.status = ${filter.status}`);
  if (filter.matching !== undefined) out.push(filter.matching);
  return out;
}
