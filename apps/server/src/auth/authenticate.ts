import '@fastify/cookie';
import { JoineryError } from '@joinery/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTokenStore } from './api-token-store.ts';
import type { GuardCall, ProvisionalPrincipal } from './credential-cache.ts';
import type { Principal } from './principal.ts';
import { safeEqual } from './secrets.ts';
import type { SessionStore } from './session-store.ts';

/** Name of the httpOnly session cookie. */
export const SESSION_COOKIE = 'jny_session';
/** Header that carries the CSRF token on state-changing requests of cookie sessions. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Stores = { sessions: SessionStore; tokens: ApiTokenStore };

/** A request's credential: how to resolve it in full, and how to recall it from the cache. */
interface Credential {
  resolve(): Promise<Principal | undefined>;
  recall(): ProvisionalPrincipal | undefined;
}

/** Requests authenticated from the cache, until their statement's guard held (or failed). */
const provisional = new WeakMap<
  FastifyRequest,
  ProvisionalPrincipal & { readonly resolve: () => Promise<Principal | undefined> }
>();

/**
 * Authenticates every request before its body is read: an `Authorization: Bearer` API token, or
 * the session cookie. Then applies the route's access policy, and for cookie sessions requires
 * the CSRF header on every state-changing method (tokens are not sent by browsers on their own,
 * so they need none). Routes configured `verifiedInStatement` may skip the authentication query:
 * they receive the principal last resolved from the same credential and verify it inside their
 * own statement (`withStatementCredential`).
 */
export function installAuthentication(app: FastifyInstance, stores: Stores): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const credential = credentialOf(request, stores);
    const recalled =
      config?.access !== 'public' && config?.verifiedInStatement ? credential?.recall() : undefined;
    if (recalled && credential) {
      try {
        admit(request, recalled.principal);
        provisional.set(request, { ...recalled, resolve: credential.resolve });
        return;
      } catch {
        // Refused on what the cache holds: refuse (or not) on what the database holds now.
      }
    }
    request.principal = await credential?.resolve();
    admit(request, request.principal);
  });
}

/** Applies the route's access policy to the request's principal. */
function admit(request: FastifyRequest, principal: Principal | undefined): void {
  const access = request.routeOptions.config?.access ?? 'public';
  if (access === 'public') return;
  if (!principal) {
    throw new JoineryError(
      request.headers.authorization ? 'JNY_AUTH_TOKEN_INVALID' : 'JNY_AUTH_REQUIRED',
    );
  }
  if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !principal.csrfToken || !safeEqual(sent, principal.csrfToken)) {
      throw new JoineryError('JNY_AUTH_CSRF_INVALID');
    }
  }
  if (principal.mustChangePassword && !request.routeOptions.config?.beforePasswordChange) {
    throw new JoineryError('JNY_AUTH_PASSWORD_CHANGE_REQUIRED');
  }
  if (access === 'admin' && !principal.isAdmin) throw new JoineryError('JNY_AUTH_FORBIDDEN');
}

function credentialOf(request: FastifyRequest, stores: Stores): Credential | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const secret = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!secret) return { resolve: async () => undefined, recall: () => undefined };
    return {
      resolve: () => stores.tokens.resolve(secret),
      recall: () => stores.tokens.recall(secret),
    };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return undefined;
  return {
    resolve: () => stores.sessions.resolve(cookie),
    recall: () => stores.sessions.recall(cookie),
  };
}

/**
 * The authenticated principal of a route whose policy is not `public`. A principal not yet
 * verified (recalled from the cache for a `verifiedInStatement` route) is refused: such routes
 * reach it only through `withStatementCredential`.
 */
export function principalOf(request: FastifyRequest) {
  if (provisional.has(request)) {
    throw new Error('Unverified principal: read it through withStatementCredential');
  }
  if (!request.principal) throw new JoineryError('JNY_AUTH_REQUIRED');
  return request.principal;
}

/** The principal of a `verifiedInStatement` route, and what its statement must carry. */
export interface StatementCredential {
  readonly principal: Principal;
  /**
   * Holds while the credential is still what it was resolved as (SQL: `guardSql`); undefined
   * once verified.
   */
  readonly guard: GuardCall | undefined;
  /** Reports the guarded statement's outcome: false redoes the request after a full resolve. */
  held(ok: boolean): void;
  /** Called before work that cannot carry the guard: redoes the request after a full resolve. */
  requireVerified(): void;
}

/** Thrown to redo a request whose principal could not be verified in its statement. */
class Unverified extends Error {}

/**
 * Runs a `verifiedInStatement` route's work. With a principal recalled from the cache, `run`
 * gets its guard: once its statement reports the guard held, the principal is the request's.
 * If anything fails before (the guard, a refusal made on the recalled roles, any error), the
 * outcome is discarded and the request redone the ordinary way: a full resolve, the access
 * policy, then `run` again — so a logout, a revoked or expired credential, a disabled user or a
 * role change takes effect on the very next request, as on every other route. Nothing may be
 * written before the guarded statement.
 */
export async function withStatementCredential<T>(
  request: FastifyRequest,
  run: (credential: StatementCredential) => Promise<T>,
): Promise<T> {
  const recalled = provisional.get(request);
  if (recalled) {
    let held = false;
    try {
      const result = await run({
        principal: recalled.principal,
        guard: recalled.guard,
        held: (ok) => {
          if (!ok) throw new Unverified();
          held = true;
          provisional.delete(request);
          request.principal = recalled.principal;
        },
        requireVerified: () => {
          throw new Unverified();
        },
      });
      // A run that never reported its guard is not trusted with the recalled principal.
      if (held) return result;
    } catch (error) {
      if (held) throw error;
    }
    provisional.delete(request);
    request.principal = await recalled.resolve();
    admit(request, request.principal);
  }
  const principal = principalOf(request);
  return run({ principal, guard: undefined, held: () => {}, requireVerified: () => {} });
}
