import { type Kysely, sql } from 'kysely';
import { ORG_VERSION_COLUMN, viewerContexts } from '../access/viewer-contexts.ts';
import { executePrepared } from '../database/prepared.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import {
  CredentialCache,
  type ProvisionalPrincipal,
  TOUCH_INTERVAL_MS,
} from './credential-cache.ts';
import type { Principal } from './principal.ts';
import { randomSecret, sha256 } from './secrets.ts';

/** A live session's row, with the organisation version it was read at. */
interface SessionRow {
  readonly id: string;
  readonly username: string;
  readonly display_name: string;
  readonly locale: string;
  readonly is_admin: boolean;
  readonly must_change_password: boolean;
  readonly csrf_token: string;
  readonly last_seen_at: Date;
  readonly org_version: number;
}

/** How long sessions live. */
export interface SessionPolicy {
  readonly ttlMinutes: number;
  readonly idleMinutes: number;
}

/** A new session: the cookie value goes to the browser and is never stored. */
export interface NewSession {
  readonly cookieValue: string;
  readonly csrfToken: string;
}

/**
 * Sessions kept in Postgres, so any server process can serve any request. The table holds a
 * SHA-256 of the cookie value, so a leaked table cannot be replayed as cookies.
 */
export class SessionStore {
  readonly #resolved = new CredentialCache();

  constructor(
    private readonly db: Kysely<JoineryDatabase>,
    private readonly policy: SessionPolicy,
  ) {}

  async create(
    userId: string,
    meta: { ip: string; userAgent: string | undefined },
  ): Promise<NewSession> {
    const cookieValue = randomSecret();
    const csrfToken = randomSecret();
    await this.db
      .insertInto('joinery.sessions')
      .values({
        id: sha256(cookieValue),
        user_id: userId,
        csrf_token: csrfToken,
        expires_at: new Date(Date.now() + this.policy.ttlMinutes * 60_000),
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 500) ?? null,
      })
      .execute();
    return { cookieValue, csrfToken };
  }

  /**
   * The principal of a live session; undefined when the session is unknown, expired, idle too
   * long, or its user is disabled. One prepared statement reads the session, its user and the
   * organisation version; the user's roles and departments come from the cache that version
   * keeps exact (`viewerContexts`). The last-seen time is written at most once a minute: a write
   * (and its commit) on every request would cost more than most requests themselves.
   */
  async resolve(cookieValue: string): Promise<Principal | undefined> {
    const id = sha256(cookieValue);
    const now = Date.now();
    const [row] = await executePrepared<SessionRow>(
      this.db,
      sql`
        SELECT u.id, u.username, u.display_name, u.locale, u.is_admin, u.must_change_password,
               s.csrf_token, s.last_seen_at, ${ORG_VERSION_COLUMN}
        FROM joinery.sessions s JOIN joinery.users u ON u.id = s.user_id
        WHERE ${this.#live(id, now)} AND NOT u.disabled`,
    );
    if (!row) {
      this.#resolved.forget(id);
      return undefined;
    }
    const touch = now - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS;
    if (touch) {
      await this.db
        .updateTable('joinery.sessions')
        .set({ last_seen_at: new Date(now) })
        .where('id', '=', id)
        .execute();
    }
    const principal: Principal = {
      userId: row.id,
      username: row.username,
      displayName: row.display_name,
      locale: row.locale,
      isAdmin: row.is_admin,
      mustChangePassword: row.must_change_password,
      via: 'session',
      sessionId: id,
      csrfToken: row.csrf_token,
      viewerContext: await viewerContexts(this.db).of(row.id, Number(row.org_version)),
      orgVersion: Number(row.org_version),
    };
    this.#resolved.remember(id, principal, now, touch ? now : row.last_seen_at.getTime());
    return principal;
  }

  /**
   * The principal this process last resolved from the cookie, while no touch is due, with the
   * guard that re-checks in SQL everything `resolve` checks: the same live session of the same
   * user with the same CSRF token, and the same organisation version — which every statement on
   * `joinery.users` bumps, so the user is still enabled, with the same administrator flag and
   * password state, exactly as `resolve` read them with that version.
   */
  recall(cookieValue: string): ProvisionalPrincipal | undefined {
    const id = sha256(cookieValue);
    const now = Date.now();
    const principal = this.#resolved.recall(id, now);
    if (!principal) return undefined;
    const { userId, csrfToken, orgVersion } = principal;
    const args = [id, userId, csrfToken, new Date(now), this.#idleSince(now), orgVersion];
    return { principal, guard: { fn: 'session_holds', args } };
  }

  /** Conditions on the session `s`: this one, neither expired nor idle too long. */
  #live(id: string, now: number) {
    return sql`s.id = ${id} AND s.expires_at > ${new Date(now)}
          AND s.last_seen_at > ${this.#idleSince(now)}`;
  }

  /** A session last seen before this is idle too long. */
  #idleSince(now: number): Date {
    return new Date(now - this.policy.idleMinutes * 60_000);
  }

  async delete(sessionId: string): Promise<void> {
    this.#resolved.forget(sessionId);
    await this.db.deleteFrom('joinery.sessions').where('id', '=', sessionId).execute();
  }

  /** Ends every session of a user (password change, disabling). */
  async deleteForUser(userId: string, exceptSessionId?: string): Promise<void> {
    let query = this.db.deleteFrom('joinery.sessions').where('user_id', '=', userId);
    if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
    await query.execute();
  }

  /** Removes expired sessions; run now and then. */
  async purgeExpired(): Promise<number> {
    const result = await this.db
      .deleteFrom('joinery.sessions')
      .where('expires_at', '<=', new Date())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
