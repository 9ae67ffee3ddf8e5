import type { Locale } from '@joinery/shared';
import type { ApiClient } from './api-client.ts';
import { isApiError } from './api-error.ts';

/** The signed-in user, as `POST /api/auth/login` and `GET /api/auth/session` describe them. */
export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly locale: Locale;
  readonly isAdmin: boolean;
  /** A generated or reset password: the user must choose their own before anything else. */
  readonly mustChangePassword: boolean;
}

/** A live session: who is signed in, and the CSRF token for their state-changing requests. */
export interface SessionInfo {
  readonly user: SessionUser;
  readonly csrfToken: string;
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Signs in; the server sets the httpOnly session cookie, the client keeps the CSRF token. */
export async function login(client: ApiClient, credentials: Credentials): Promise<SessionInfo> {
  const session = await client.post<SessionInfo>('/api/auth/login', { body: credentials });
  client.setCsrfToken(session.csrfToken);
  return session;
}

/**
 * The current session, or `undefined` when there is none (401). Other failures — the server
 * down, say — are thrown, so the app can tell "signed out" from "cannot tell".
 */
export async function fetchSession(
  client: ApiClient,
  signal?: AbortSignal,
): Promise<SessionInfo | undefined> {
  try {
    const session = await client.get<SessionInfo>('/api/auth/session', signal ? { signal } : {});
    client.setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      client.setCsrfToken(undefined);
      return undefined;
    }
    throw error;
  }
}

export interface PasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** Changes the signed-in user's password (their other sessions end; this one stays). */
export async function changePassword(client: ApiClient, change: PasswordChange): Promise<void> {
  await client.post<void>('/api/auth/password', { body: change });
}

/** Ends the session on the server and forgets the CSRF token. */
export async function logout(client: ApiClient): Promise<void> {
  try {
    await client.post<void>('/api/auth/logout');
  } finally {
    client.setCsrfToken(undefined);
  }
}
