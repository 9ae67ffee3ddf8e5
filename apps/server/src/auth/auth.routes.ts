import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { appendAudit } from '../audit/audit-log.ts';
import { auditRequest } from '../audit/request-audit.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import { principalOf, SESSION_COOKIE } from './authenticate.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import type { SessionStore } from './session-store.ts';

/** What the auth routes need. */
export interface AuthRouteDeps {
  readonly db: Kysely<JoineryDatabase>;
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  readonly cookieSecure: boolean;
  readonly sessionTtlMinutes: number;
}

const SessionUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  locale: Type.String(),
  isAdmin: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
});
const SessionBody = Type.Object({ user: SessionUser, csrfToken: Type.String() });

function sessionBody(principal: Principal, csrfToken: string) {
  return {
    user: {
      id: principal.userId,
      username: principal.username,
      displayName: principal.displayName,
      locale: principal.locale,
      isAdmin: principal.isAdmin,
      mustChangePassword: principal.mustChangePassword,
    },
    csrfToken,
  };
}

/** Sign-in, sign-out, the current session and changing one's own password. */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteDeps> = async (app, deps) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 100 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const lockedFor = await deps.throttle.lockedFor(username);
      if (lockedFor > 0)
        throw new JoineryError('JNY_AUTH_ACCOUNT_LOCKED', { retryAfter: lockedFor });
      const user = await deps.db
        .selectFrom('joinery.users')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
        .executeTakeFirst();
      if (!(await verifyPassword(user?.password_hash, password)) || !user) {
        const locked = await deps.throttle.recordFailure(username);
        request.log.info({ username }, 'sign-in failed');
        await appendAudit(deps.db, {
          action: 'auth.login_failed',
          actorId: user?.id ?? null,
          actorName: username.slice(0, 100),
          ip: request.ip,
          details: locked > 0 ? { lockedForSeconds: locked } : {},
        });
        if (locked > 0) throw new JoineryError('JNY_AUTH_ACCOUNT_LOCKED', { retryAfter: locked });
        throw new JoineryError('JNY_AUTH_INVALID_CREDENTIALS');
      }
      if (user.disabled) throw new JoineryError('JNY_AUTH_ACCOUNT_DISABLED');
      await deps.throttle.clear(username);
      const session = await deps.sessions.create(user.id, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      reply.setCookie(SESSION_COOKIE, session.cookieValue, {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.cookieSecure,
        path: '/',
        maxAge: deps.sessionTtlMinutes * 60,
      });
      request.log.info({ userId: user.id }, 'signed in');
      await appendAudit(deps.db, {
        action: 'auth.login',
        actorId: user.id,
        actorName: user.username,
        ip: request.ip,
      });
      return sessionBody(
        {
          userId: user.id,
          username: user.username,
          displayName: user.display_name,
          locale: user.locale,
          isAdmin: user.is_admin,
          mustChangePassword: user.must_change_password,
          via: 'session',
        },
        session.csrfToken,
      );
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { access: 'user', beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token of this session',
        response: { 200: SessionBody, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return sessionBody(principal, principal.csrfToken ?? '');
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'user', beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends this session',
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.sessionId) await deps.sessions.delete(principal.sessionId);
      await auditRequest(deps.db, request, 'auth.logout', `user:${principal.userId}`);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: {
        access: 'user',
        beforePasswordChange: true,
        rateLimit: { max: 10, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: "Change one's own password; other sessions of the user end",
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
            newPassword: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { currentPassword, newPassword } = request.body;
      const user = await deps.db
        .selectFrom('joinery.users')
        .select('password_hash')
        .where('id', '=', principal.userId)
        .executeTakeFirstOrThrow();
      if (!(await verifyPassword(user.password_hash, currentPassword))) {
        throw new JoineryError('JNY_AUTH_PASSWORD_WRONG');
      }
      assertPasswordPolicy(newPassword, '/body/newPassword');
      await deps.db
        .updateTable('joinery.users')
        .set({
          password_hash: await hashPassword(newPassword),
          must_change_password: false,
          updated_at: new Date(),
        })
        .where('id', '=', principal.userId)
        .execute();
      await deps.sessions.deleteForUser(principal.userId, principal.sessionId);
      await auditRequest(deps.db, request, 'auth.password_change', `user:${principal.userId}`);
      return reply.status(204).send(null);
    },
  );
};
