import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { taskUuid } from '../workflow/task-uuid.ts';
import {
  type NotificationDatabase,
  type NotificationSource,
  notificationDb,
} from './notification-tables.ts';

/** One notification as the API shows it, whichever its source. */
export interface UserNotification {
  readonly id: string;
  readonly source: NotificationSource;
  readonly kind: string;
  readonly title: string | null;
  readonly message: string | null;
  readonly app: string | null;
  readonly form: string | null;
  readonly recordId: string | null;
  readonly instanceId: string | null;
  readonly nodeId: string | null;
  readonly taskId: string | null;
  readonly dueAt: string | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

/** What a list asks for. */
export interface NotificationQuery {
  readonly unread?: boolean;
  readonly kind?: string;
  readonly source?: NotificationSource;
  readonly limit: number;
  readonly offset: number;
}

const WORKFLOW_ID = /^[1-9][0-9]{0,17}$/;

/**
 * A user's notifications from both sources — workflow steps and automation rules — through the
 * view `joinery.user_notifications`. Every query is bound to the user: nobody reads or marks
 * anyone else's. Two queries per page (the page, the counts), however many rows.
 */
export class UserNotifications {
  readonly #db: Kysely<NotificationDatabase>;

  constructor(db: Kysely<JoineryDatabase>) {
    this.#db = notificationDb(db);
  }

  /** A page, unread first then newest first, with `total` (matching the query) and `unread`. */
  async list(user: string, query: NotificationQuery) {
    const { unread, kind, source, limit, offset } = query;
    const mine = this.#db
      .selectFrom('joinery.user_notifications as n')
      .where('n.user_id', '=', user)
      .$if(kind !== undefined, (q) => q.where('n.kind', '=', kind ?? ''))
      .$if(source !== undefined, (q) => q.where('n.source', '=', source ?? 'workflow'));
    const [rows, counts] = await Promise.all([
      mine
        .$if(unread === true, (q) => q.where('n.read_at', 'is', null))
        .selectAll('n')
        // Unread first (each table's `*_unread_first` index has this order).
        .orderBy(sql`n.read_at IS NULL`, 'desc')
        .orderBy('n.created_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      mine
        .select((eb) => [
          eb.fn.countAll<string>().as('total'),
          sql<string>`count(*) FILTER (WHERE n.read_at IS NULL)`.as('unread'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map(
        (r): UserNotification => ({
          id: r.id,
          source: r.source,
          kind: r.kind,
          title: r.title,
          message: r.message,
          app: r.app,
          form: r.form,
          recordId: r.record_id,
          instanceId: r.instance_id,
          nodeId: r.node_id,
          taskId:
            r.instance_id === null || r.task_key === null
              ? null
              : taskUuid(r.instance_id, r.task_key),
          dueAt: iso(r.due_at),
          createdAt: new Date(r.created_at).toISOString(),
          readAt: iso(r.read_at),
        }),
      ),
      total: Number(unread === true ? counts.unread : counts.total),
      unread: Number(counts.unread),
    };
  }

  /**
   * Marks one of the user's notifications read at `now` (one already read keeps its time);
   * false when the user has none with that id. The id's shape names its table.
   */
  async markRead(user: string, id: string, now: Date): Promise<boolean> {
    const readAt = sql<Date>`coalesce(read_at, ${now})`;
    const result = WORKFLOW_ID.test(id)
      ? await this.#db
          .updateTable('joinery.workflow_notifications')
          .set({ read_at: readAt })
          .where('id', '=', id)
          .where('user_id', '=', user)
          .executeTakeFirst()
      : await this.#db
          .updateTable('joinery.notifications')
          .set({ read_at: readAt })
          .where('id', '=', id)
          .where('user_id', '=', user)
          .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Marks all the user's unread notifications read at `now`; returns how many. */
  async markAllRead(user: string, now: Date): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      const workflow = await trx
        .updateTable('joinery.workflow_notifications')
        .set({ read_at: now })
        .where('user_id', '=', user)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      const automation = await trx
        .updateTable('joinery.notifications')
        .set({ read_at: now })
        .where('user_id', '=', user)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(workflow.numUpdatedRows + automation.numUpdatedRows);
    });
  }
}

function iso(value: Date | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
