import { createHash } from 'node:crypto';

/**
 * The key a session is stored under: the SHA-256 of its id, never the id itself (S27), so a copy
 * of the store (a backup, a dump, a listing in lesson 6) holds no cookie that logs anyone in. The
 * ids are 192 random bits: nobody can search the hash back to an id, so it needs no secret key.
 */
export function storedSessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

/** The fingerprint of the session stored under `key`: the same as sessionFingerprint of its id. */
export function storedSessionFingerprint(key: string): string {
  return Buffer.from(key, 'base64url').toString('hex').slice(0, 16);
}

/**
 * A short, stable name for a session id that cannot be turned back into the id: safe to show
 * to page scripts, list on the instructor panel or log, where the id itself would let anyone
 * holding it take over the session. It is the start of the stored key, so a list of stored
 * sessions shows the same fingerprint as the inspector shows for the cookie.
 */
export function sessionFingerprint(sessionId: string): string {
  return storedSessionFingerprint(storedSessionKey(sessionId));
}
