/**
 * @module shell/session-context
 * Who is signed in, an API client with their token, and sign in/out. A 401 from any call marks
 * the session expired: the app then asks for a token over the current page, which stays mounted,
 * so nothing being edited is lost.
 */
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { type ApiClient, createApiClient } from '../api/client.ts';
import { listNodeTypes } from '../api/workflows-api.ts';
import { readClaims, storedToken, storeToken, type TokenClaims } from './session.ts';

export interface Session {
  readonly token: string | null;
  readonly claims: TokenClaims | null;
  /** The server refused the token (expired, revoked): ask for a new one. */
  readonly expired: boolean;
  readonly api: ApiClient;
  /** Checks the token against the server, then keeps it. */
  signIn(token: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => storedToken());
  const [expired, setExpired] = useState(false);
  const session = useMemo<Session>(() => {
    const api = createApiClient({ token: () => storedToken(), onUnauthorized: () => setExpired(true) });
    return {
      token,
      claims: token ? readClaims(token) : null,
      expired,
      api,
      async signIn(candidate: string) {
        const trimmed = candidate.trim().replace(/^Bearer\s+/i, '');
        const probe = createApiClient({ token: () => trimmed });
        await listNodeTypes(probe);
        storeToken(trimmed);
        setToken(trimmed);
        setExpired(false);
      },
      signOut() {
        storeToken(null);
        setToken(null);
        setExpired(false);
      },
    };
  }, [token, expired]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
