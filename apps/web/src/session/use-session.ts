import { useContext } from 'react';
import { SessionContext, type SessionContextValue } from './session-context.tsx';

/** The session and its actions; only inside {@link SessionProvider}. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession is used outside <SessionProvider>');
  return value;
}

/** The signed-in user; only on pages shown after login. */
export function useSignedInUser() {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedInUser is used while signed out');
  return state.user;
}
