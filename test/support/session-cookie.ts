import { sign } from 'cookie-signature';

/** The session cookie's name outside production. */
export const sessionCookieName = 'sid';

/** express-session's cookie value: `s:<id>.<HMAC-SHA256 signature>`, URL-encoded. */
export function signedSessionCookie(id: string, secret: string): string {
  return encodeURIComponent(`s:${sign(id, secret)}`);
}

/** The bare session id inside a cookie value, as the store keys it. */
export function sessionIdOf(cookieValue: string): string {
  const match = /^s:([^.]+)\./.exec(decodeURIComponent(cookieValue));
  if (!match?.[1]) throw new Error(`Not a signed session cookie: ${cookieValue}`);
  return match[1];
}
