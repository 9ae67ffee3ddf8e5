import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Principal } from './principal.ts';

/** How often a session's last-seen (a token's last-used) time is written, at most. */
export const TOUCH_INTERVAL_MS = 60_000;

/** How long a resolved credential may stand in for a resolve, at most. */
const REUSE_MS = 30_000;

/** Past this many credentials, the cache starts over. */
const MAX_ENTRIES = 10_000;

/**
 * A cached credential's check: a call of one of migration 0020's functions, which holds only
 * while the credential is still exactly what it was when resolved.
 */
export interface GuardCall {
  readonly fn: 'session_holds' | 'token_holds';
  readonly args: readonly unknown[];
}

/**
 * The call as SQL (the function name is one of two constants; the arguments are parameters), or
 * `true` without one (a credential already verified).
 */
export function guardSql(call: GuardCall | undefined): RawBuilder<SqlBool> {
  if (call === undefined) return sql<SqlBool>`true`;
  return sql<SqlBool>`joinery.${sql.raw(call.fn)}(${sql.join(call.args)})`;
}

/**
 * A principal taken from the cache, not yet checked against the database: the route's own
 * statement must carry the `guard` call (see `withStatementCredential`).
 */
export interface ProvisionalPrincipal {
  readonly principal: Principal;
  readonly guard: GuardCall;
}

interface Entry {
  readonly principal: Principal;
  /** Past this time the entry is not used: its reuse time is over, or a touch is due. */
  readonly until: number;
}

/**
 * The principals last resolved from credentials, keyed by the credential's SHA-256 (never the
 * secret itself), per process. An entry is never a proof: it only lets routes that verify the
 * credential inside their own statement skip the separate authentication query.
 */
export class CredentialCache {
  readonly #entries = new Map<string, Entry>();

  /** Remembers a resolve made at `now`; `seenAt` is the last-seen time the database now holds. */
  remember(hash: string, principal: Principal, now: number, seenAt: number): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(hash, {
      principal,
      until: Math.min(now + REUSE_MS, seenAt + TOUCH_INTERVAL_MS),
    });
  }

  /** The principal last resolved from `hash`, while it may still stand in for a resolve. */
  recall(hash: string, now: number): Principal | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (now < entry.until) return entry.principal;
    this.#entries.delete(hash);
    return undefined;
  }

  forget(hash: string): void {
    this.#entries.delete(hash);
  }
}
