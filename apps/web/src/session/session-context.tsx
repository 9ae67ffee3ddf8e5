import { createContext, type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/api.ts';
import type { ApiError } from '../api/api-error.ts';
import { isApiError } from '../api/api-error.ts';
import {
  type Credentials,
  fetchSession,
  login as loginRequest,
  logout as logoutRequest,
  type SessionUser,
} from '../api/auth-api.ts';

/** Where the app stands with the server's session. */
export type SessionState =
  | { readonly status: 'checking' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly user: SessionUser }
  /** The session check itself failed (server unreachable): neither signed in nor out. */
  | { readonly status: 'unknown'; readonly error: ApiError };

export interface SessionContextValue {
  readonly state: SessionState;
  /** Signs in; rejects with an ApiError for the form to show. */
  login(credentials: Credentials): Promise<void>;
  /** Signs out; the state goes to `signed-out` even if the server cannot be told. */
  logout(): Promise<void>;
  /** Runs the session check again (after `unknown`, or after the password was changed). */
  recheck(): void;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/**
 * Owns the session: checks it once on load (`GET /api/auth/session`), and drops to signed-out
 * whenever any API call reports that the session has ended.
 */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const check = useCallback((signal: AbortSignal) => {
    setState({ status: 'checking' });
    fetchSession(api, signal).then(
      (session) => {
        if (signal.aborted) return;
        setState(session ? { status: 'signed-in', user: session.user } : { status: 'signed-out' });
      },
      (error: unknown) => {
        if (signal.aborted) return;
        if (isApiError(error)) setState({ status: 'unknown', error });
        else throw error;
      },
    );
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    check(controller.signal);
    return () => controller.abort();
  }, [check]);

  useEffect(() => api.onUnauthorized(() => setState({ status: 'signed-out' })), []);

  const login = useCallback(async (credentials: Credentials) => {
    const session = await loginRequest(api, credentials);
    setState({ status: 'signed-in', user: session.user });
  }, []);

  const logout = useCallback(async () => {
    try {
      await logoutRequest(api);
    } finally {
      setState({ status: 'signed-out' });
    }
  }, []);

  const recheck = useCallback(() => check(new AbortController().signal), [check]);

  const value = useMemo(() => ({ state, login, logout, recheck }), [state, login, logout, recheck]);
  return <SessionContext value={value}>{children}</SessionContext>;
}
