import { promisify } from 'node:util';
import type session from 'express-session';

/** Every live session in a store, keyed by id, read without touching any of them. */
export async function storedSessions(store: session.Store): Promise<Record<string, session.SessionData>> {
  // Both of our stores list their sessions; express-session leaves all() optional for others.
  if (!store.all) throw new Error('This session store cannot list its sessions.');
  const all = (await promisify(store.all.bind(store))()) ?? {};
  // The typings also allow an array, which would lose the ids: neither of our stores answers so.
  if (Array.isArray(all)) throw new Error('This session store lists its sessions without their ids.');
  return all;
}
