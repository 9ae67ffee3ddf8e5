import '@fastify/cookie';
import { JoineryError } from '@joinery/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTokenStore } from './api-token-store.ts';
import { safeEqual } from './secrets.ts';
import type { SessionStore } from './session-store.ts';

/** Name of the httpOnly session cookie. */
export const SESSION_COOKIE = 'jny_session';
/** Header that carries the CSRF token on state-changing requests of cookie sessions. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates every request before its body is read: an `Authorization: Bearer` API token, or
 * the session cookie. Then applies the route's access policy, and for cookie sessions requires
 * the CSRF header on every state-changing method (tokens are not sent by browsers on their own,
 * so they need none).
 */
export function installAuthentication(
  app: FastifyInstance,
  stores: { sessions: SessionStore; tokens: ApiTokenStore },
): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access ?? 'public';
    request.principal = await identify(request, stores);
    if (access === 'public') return;
    const principal = request.principal;
    if (!principal) {
      throw new JoineryError(
        request.headers.authorization ? 'JNY_AUTH_TOKEN_INVALID' : 'JNY_AUTH_REQUIRED',
      );
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (
        typeof sent !== 'string' ||
        !principal.csrfToken ||
        !safeEqual(sent, principal.csrfToken)
      ) {
        throw new JoineryError('JNY_AUTH_CSRF_INVALID');
      }
    }
    if (principal.mustChangePassword && !request.routeOptions.config?.beforePasswordChange) {
      throw new JoineryError('JNY_AUTH_PASSWORD_CHANGE_REQUIRED');
    }
    if (access === 'admin' && !principal.isAdmin) throw new JoineryError('JNY_AUTH_FORBIDDEN');
  });
}

async function identify(
  request: FastifyRequest,
  stores: { sessions: SessionStore; tokens: ApiTokenStore },
) {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ? stores.tokens.resolve(match[1]) : undefined;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? stores.sessions.resolve(cookie) : undefined;
}

/** The authenticated principal of a route whose policy is not `public`. */
export function principalOf(request: FastifyRequest) {
  if (!request.principal) throw new JoineryError('JNY_AUTH_REQUIRED');
  return request.principal;
}
