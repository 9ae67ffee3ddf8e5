import { type Kysely, sql } from 'kysely';
import { executePrepared } from '../database/prepared.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import {
  type ViewerContext,
  type ViewerContextColumns,
  viewerContextOf,
  withViewerContext,
} from './viewer-context.ts';

/** The current organisation version as a column `org_version`, read with the principal. */
export const ORG_VERSION_COLUMN = sql`(SELECT version FROM joinery.org_version) AS org_version`;

/** Past this many users, the cache starts over (each entry is a few arrays of ids). */
const MAX_ENTRIES = 10_000;

interface Entry {
  /** The `joinery.org_version` the context was read at, in the same statement. */
  readonly version: number;
  readonly context: ViewerContext;
}

/**
 * The viewer contexts of users (roles with their permissions, department members), cached per
 * process and database, each tagged with the `joinery.org_version` it was read at. Statement
 * triggers bump that version in the transaction of every change to users, roles, role
 * membership and departments, and authentication reads it with the session or token: a context
 * is reused only while the version is unchanged, so a role change or a move between departments
 * is seen by the very next request, in any process — and the many requests between changes cost
 * no role or department query at all.
 */
export class ViewerContexts {
  readonly #db: Kysely<JoineryDatabase>;
  readonly #entries = new Map<string, Entry>();

  constructor(db: Kysely<JoineryDatabase>) {
    this.#db = db;
  }

  /** The context of `userId` as of `orgVersion` (the version the request's principal was read at) or later. */
  async of(userId: string, orgVersion: number): Promise<ViewerContext> {
    const known = this.#entries.get(userId);
    if (known && known.version >= orgVersion) return known.context;
    const [row] = await executePrepared<ViewerContextColumns & { org_version: number }>(
      this.#db,
      withViewerContext(sql`
        SELECT id, department_id, ${ORG_VERSION_COLUMN} FROM joinery.users WHERE id = ${userId}`),
    );
    if (!row) return lone(userId);
    const context = viewerContextOf(row);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(userId, { version: Number(row.org_version), context });
    return context;
  }
}

/** The context of a user who no longer exists: no roles, alone in no department. */
function lone(userId: string): ViewerContext {
  return {
    roles: [],
    departmentId: null,
    departmentMemberIds: [userId],
    subtreeMemberIds: [userId],
  };
}

const caches = new WeakMap<Kysely<JoineryDatabase>, ViewerContexts>();

/** The viewer-context cache of a database (one per kysely instance, so per database). */
export function viewerContexts(db: Kysely<JoineryDatabase>): ViewerContexts {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ViewerContexts(db);
    caches.set(db, cache);
  }
  return cache;
}
