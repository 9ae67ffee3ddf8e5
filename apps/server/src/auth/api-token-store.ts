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

/** API tokens look like `jny_<43 url-safe characters>`; the prefix helps secret scanners. */
export const TOKEN_PREFIX = 'jny_';

/** A valid token's row, with the organisation version it was read at. */
interface TokenRow {
  readonly token_id: string;
  readonly last_used_at: Date | null;
  readonly id: string;
  readonly username: string;
  readonly display_name: string;
  readonly locale: string;
  readonly is_admin: boolean;
  readonly org_version: number;
}

/** Resolves and issues API tokens; only their SHA-256 is stored. */
export class ApiTokenStore {
  readonly #resolved = new CredentialCache();

  constructor(private readonly db: Kysely<JoineryDatabase>) {}

  /** Creates a token; the returned secret is shown to the user once and never again. */
  async issue(userId: string, name: string, expiresAt: Date | null) {
    const secret = `${TOKEN_PREFIX}${randomSecret()}`;
    const row = await this.db
      .insertInto('joinery.api_tokens')
      .values({
        user_id: userId,
        name,
        token_hash: sha256(secret),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        expires_at: expiresAt,
      })
      .returning(['id', 'name', 'prefix', 'created_at', 'expires_at'])
      .executeTakeFirstOrThrow();
    return { ...row, token: secret };
  }

  /**
   * The principal of a valid token (not revoked, not expired, user enabled), else undefined.
   * One prepared statement reads the token, its user and the organisation version (which keeps
   * the cached roles and departments exact, see `viewerContexts`). Its last-used time is written
   * at most once a minute, not on every request.
   */
  async resolve(secret: string): Promise<Principal | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const hash = sha256(secret);
    const now = Date.now();
    const [row] = await executePrepared<TokenRow>(
      this.db,
      sql`
        SELECT t.id AS token_id, t.last_used_at, u.id, u.username, u.display_name, u.locale,
               u.is_admin, ${ORG_VERSION_COLUMN}
        FROM joinery.api_tokens t JOIN joinery.users u ON u.id = t.user_id
        WHERE ${valid(hash, now)} AND NOT u.disabled`,
    );
    if (!row) {
      this.#resolved.forget(hash);
      return undefined;
    }
    const touch = now - (row.last_used_at?.getTime() ?? 0) > TOUCH_INTERVAL_MS;
    if (touch) {
      await this.db
        .updateTable('joinery.api_tokens')
        .set({ last_used_at: new Date(now) })
        .where('id', '=', row.token_id)
        .execute();
    }
    const principal: Principal = {
      userId: row.id,
      username: row.username,
      displayName: row.display_name,
      locale: row.locale,
      isAdmin: row.is_admin,
      // Tokens are issued by signed-in users, who changed any generated password first.
      mustChangePassword: false,
      via: 'token',
      viewerContext: await viewerContexts(this.db).of(row.id, Number(row.org_version)),
      orgVersion: Number(row.org_version),
    };
    this.#resolved.remember(hash, principal, now, touch ? now : (row.last_used_at?.getTime() ?? 0));
    return principal;
  }

  /**
   * The principal this process last resolved from the token, while no touch is due, with the
   * guard that re-checks in SQL everything `resolve` checks: the same valid token of the same
   * user, and the same organisation version — which every statement on `joinery.users` bumps,
   * so the user is still enabled, with the same administrator flag, as `resolve` read them.
   */
  recall(secret: string): ProvisionalPrincipal | undefined {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const hash = sha256(secret);
    const now = Date.now();
    const principal = this.#resolved.recall(hash, now);
    if (!principal) return undefined;
    const args = [hash, principal.userId, new Date(now), principal.orgVersion];
    return { principal, guard: { fn: 'token_holds', args } };
  }
}

/** Conditions on the token `t`: this one, neither revoked nor expired. */
function valid(hash: string, now: number) {
  return sql`t.token_hash = ${hash} AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > ${new Date(now)})`;
}
