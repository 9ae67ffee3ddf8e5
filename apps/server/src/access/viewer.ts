import { type FormAccess, FULL_ACCESS, formAccess } from '@joinery/access';
import type { FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { principalOf } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock/clock.ts';
import { type RuleContext, ruleContext } from '../clock/rule-context.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import {
  type ViewerContext,
  type ViewerContextColumns,
  viewerContextOf,
  withViewerContext,
} from './viewer-context.ts';

/**
 * Who is reading or writing, with everything access decisions need: their roles' permissions,
 * and the `$user` context that row scopes refer to (department members for department scopes).
 */
export interface Viewer {
  readonly userId: string;
  readonly isAdmin: boolean;
  readonly roleKeys: readonly string[];
  /** The `$user` of JSON-logic conditions (row scopes, filters, linkage). */
  readonly user: Readonly<Record<string, unknown>>;
  /** What the viewer may do with one form; administrators may do everything. */
  access(app: string, form: string): FormAccess;
  /**
   * The context the viewer's row scopes and filters evaluate in, now: `$user`, the server's
   * clock and business day (`ruleContext`).
   */
  ruleContext(): RuleContext;
}

/**
 * The viewer of a principal: from the context authentication loaded with it, else (a principal
 * made some other way) from one query.
 */
export async function loadViewer(
  db: Kysely<JoineryDatabase>,
  principal: Principal,
  clock: Pick<Clock, 'now' | 'utcOffsetMinutes'>,
): Promise<Viewer> {
  const context = principal.viewerContext ?? (await queryViewerContext(db, principal.userId));
  const permissions = context.roles.map((role) => role.permissions);
  const roleKeys = context.roles.map((role) => role.key);
  const user = Object.freeze({
    id: principal.userId,
    username: principal.username,
    displayName: principal.displayName,
    isAdmin: principal.isAdmin,
    roles: roleKeys,
    departmentId: context.departmentId,
    departmentMemberIds: context.departmentMemberIds,
    subtreeMemberIds: context.subtreeMemberIds,
  });
  const cache = new Map<string, FormAccess>();
  return {
    userId: principal.userId,
    isAdmin: principal.isAdmin,
    roleKeys,
    user,
    ruleContext: () => ruleContext(clock, user),
    access: (app, form) => {
      if (principal.isAdmin) return FULL_ACCESS;
      const key = `${app}\u0000${form}`;
      let found = cache.get(key);
      if (!found) {
        found = formAccess(permissions, app, form);
        cache.set(key, found);
      }
      return found;
    },
  };
}

const viewers = new WeakMap<FastifyRequest, { principal: Principal; viewer: Promise<Viewer> }>();

/**
 * The viewer of a request, loaded once per request and principal, on the server's clock
 * (`installClock`). `principal`: the request's, or the one a `verifiedInStatement` route got
 * from `withStatementCredential` (a redone request gets a new one, hence a new viewer).
 */
export function viewerOf(
  request: FastifyRequest,
  db: Kysely<JoineryDatabase>,
  principal: Principal = principalOf(request),
): Promise<Viewer> {
  const known = viewers.get(request);
  if (known?.principal === principal) return known.viewer;
  const viewer = loadViewer(db, principal, request.server.clock);
  viewers.set(request, { principal, viewer });
  return viewer;
}

async function queryViewerContext(
  db: Kysely<JoineryDatabase>,
  userId: string,
): Promise<ViewerContext> {
  const me = sql`SELECT id, department_id FROM joinery.users WHERE id = ${userId}`;
  const found = await withViewerContext(me).execute(db);
  const row = found.rows[0] as ViewerContextColumns | undefined;
  if (row) return viewerContextOf(row);
  return {
    roles: [],
    departmentId: null,
    departmentMemberIds: [userId],
    subtreeMemberIds: [userId],
  };
}
