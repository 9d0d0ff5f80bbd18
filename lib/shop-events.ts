import type { Request, Response } from 'express';
import type { UserDocument } from '../models/user.ts';
import { logger } from './logger.ts';

export type SessionEvent =
  | 'regenerated' // login: a new id replaces the previous one (only a login stores a session)
  | 'destroyed' // logout, or ended from another session
  | 'expired' // idle or absolute limit
  | 'rejected-signature' // a sid cookie that is unsigned or signed with no secret of ours
  | 'unknown-id'; // correctly signed, but the store does not have it: expired, ended or never saved

/** What the shop announces; listening changes nothing the shop does. */
export interface ShopEventMap {
  /** The auth mode logged this visitor in. */
  login: { req: Request; res: Response; user: UserDocument };
  /** The auth mode logged this visitor out. */
  logout: { req: Request; res: Response };
  /** A form was refused: its CSRF token was missing or wrong (another site, or an expired form). */
  'form-refused': { req: Request };
  /** A session began, was replaced, ended, or its cookie was refused; `req` is the request it happened in, if any. */
  session: { event: SessionEvent; sessionId: string; req?: Request; reason?: string; previousId?: string };
}

type Listener<Name extends keyof ShopEventMap> = (event: ShopEventMap[Name]) => void;

/** One per app: a second app in the same process (a restart in a test) has listeners of its own. */
export class ShopEvents {
  // Each list holds listeners of its own event only, as on() puts them there.
  readonly #listeners = new Map<keyof ShopEventMap, Listener<never>[]>();

  on<Name extends keyof ShopEventMap>(name: Name, listener: Listener<Name>): void {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener]);
  }

  emit<Name extends keyof ShopEventMap>(name: Name, event: ShopEventMap[Name]): void {
    for (const listener of (this.#listeners.get(name) ?? []) as Listener<Name>[]) {
      // A listener is a side show: its failure must not fail the request that caused the event.
      try {
        listener(event);
      } catch (error) {
        logger.error({ err: error }, `A listener of the shop's ${name} event failed`);
      }
    }
  }
}
