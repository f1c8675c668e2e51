/**
 * @module core/secrets
 * Which names carry credentials, and masking them wherever records are read by people who need
 * not see them (outbox, logs, error messages, trigger data, workflow bodies for viewers).
 * Headers: `*-token`, `*-key`, `*-signature*`, `*secret*`, `*auth*`, `cookie` (and passwords);
 * URL query names: anything with token, key, secret, password, signature, auth or a `sig` word.
 */

/** What a masked value reads as; a PUT that sends it back keeps the stored value. */
export const SECRET_MASK = '••••••';

const SECRET_HEADER = /(^|[-_])(token|key)$|api-?key|signature|secret|auth|cookie|passw/i;
const SECRET_QUERY = /token|key|secret|passw|signature|auth|(^|[^a-z])sig([^a-z]|$)/i;

export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export function isSecretQueryName(name: string): boolean {
  return SECRET_QUERY.test(name);
}

/** Headers with secret-looking names masked. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeaderName(name) ? SECRET_MASK : value;
  return out;
}

/** The URL with its userinfo and secret-looking query values masked; text that is no URL is left alone. */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = url.username ? 'redacted' : '';
    url.password = url.password ? 'redacted' : '';
    changed = true;
  }
  for (const name of new Set(url.searchParams.keys())) {
    if (!isSecretQueryName(name)) continue;
    url.searchParams.set(name, 'redacted');
    changed = true;
  }
  return changed ? url.toString() : text;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s'"<>`]+/gi;

/** Every http(s) URL inside a message, redacted. */
export function redactUrlsIn(text: string): string {
  return text.includes('://') ? text.replace(URL_IN_TEXT, (found) => redactUrl(found)) : text;
}
