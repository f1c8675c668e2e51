/**
 * @module shell/session
 * The signed-in token: kept in sessionStorage (gone with the tab), taken from a `#token=`
 * fragment on any URL (which is then removed from the address bar), and read for display.
 * A JWT's claims are decoded here only to show who is signed in; the server verifies it.
 */

const STORAGE_KEY = 'workflow-core.token';

export interface TokenClaims {
  readonly userId: string;
  readonly username?: string;
  readonly entities: ReadonlyArray<number | string>;
  readonly roles: readonly string[];
  /** Seconds since the epoch, when the token says. */
  readonly expiresAt?: number;
}

/** The token in a `#token=…` fragment and the fragment without it ('' when nothing is left). */
export function takeTokenFromHash(hash: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  if (!token) return { token: null, rest: hash };
  params.delete('token');
  const rest = params.toString();
  return { token, rest: rest ? `#${rest}` : '' };
}

function decodeBase64Url(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function readClaims(token: string): TokenClaims | null {
  try {
    const payload = JSON.parse(decodeBase64Url(token.split('.')[1] ?? '')) as Record<string, unknown>;
    const userId = payload.user_id ?? payload.sub;
    if (userId === undefined || userId === null) return null;
    return {
      userId: String(userId),
      username: typeof payload.username === 'string' ? payload.username : undefined,
      entities: Array.isArray(payload.entities) ? (payload.entities as Array<number | string>) : [],
      roles: Array.isArray(payload.roles) ? (payload.roles as string[]) : [],
      expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
    };
  } catch {
    return null;
  }
}

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** Signs in from the address bar's fragment, if it carries a token, and cleans the address. */
export function signInFromLocation(): void {
  const { token, rest } = takeTokenFromHash(window.location.hash);
  if (!token) return;
  storeToken(token);
  history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${rest}`);
}
