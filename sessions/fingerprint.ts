import { createHash } from 'node:crypto';

/**
 * A short, stable name for a session id that cannot be turned back into the id: safe to show
 * to page scripts, list on the instructor panel or log, where the id itself would let anyone
 * holding it take over the session.
 */
export function sessionFingerprint(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex').slice(0, 16);
}
