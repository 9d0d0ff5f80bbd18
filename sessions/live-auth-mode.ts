import type { Request } from 'express';
import type { AuthModeName, Config, SessionStoreName } from '../config.ts';
import type { ShopEvents } from '../lib/shop-events.ts';
import { createAuthMode, type AuthMode, type LoginMemory } from './auth-modes/index.ts';
import type { SessionStoreFactory } from './sessions.ts';

export interface LiveSettings {
  authMode: AuthModeName;
  /** Kept while a mode without sessions runs, for when session mode comes back. */
  sessionStore: SessionStoreName;
}

/** A login memory whose mode and store the instructor can switch while the server runs. */
export interface LiveAuthMode extends LoginMemory {
  readonly settings: Readonly<LiveSettings>;
  /** Every request that starts from now on is served with these settings. */
  switchTo(settings: LiveSettings): void;
  /** The mode a request starting now is served with. */
  current(): AuthMode;
  /** The mode this request started with: a switch meanwhile does not move it. */
  servingOf(req: Request): AuthMode;
}

/**
 * One instance per mode (and per store in session mode), created when first used and kept, so
 * switching back finds the same global variable or the same session store with its sessions.
 * Each request stays with the instance it started with, even if a switch happens meanwhile.
 */
export function createLiveAuthMode(config: Config, databaseUri: string, events: ShopEvents, createStore?: SessionStoreFactory): LiveAuthMode {
  let settings: Readonly<LiveSettings> = Object.freeze({ authMode: config.authMode, sessionStore: config.sessionStore });
  const instances = new Map<string, AuthMode>();
  const servedBy = new WeakMap<Request, AuthMode>();

  const instanceFor = ({ authMode, sessionStore }: LiveSettings): AuthMode => {
    const key = authMode === 'session' ? `session/${sessionStore}` : authMode;
    let instance = instances.get(key);
    if (!instance) {
      // A store handed in by the caller replaces only the store it was configured for.
      const storeFactory = sessionStore === config.sessionStore ? createStore : undefined;
      instance = createAuthMode({ ...config, authMode, sessionStore }, databaseUri, events, storeFactory);
      instances.set(key, instance);
    }
    return instance;
  };
  const current = () => instanceFor(settings);
  const servingOf = (req: Request) => servedBy.get(req) ?? current();

  return {
    get settings() {
      return settings;
    },
    switchTo(next) {
      settings = Object.freeze({ authMode: next.authMode, sessionStore: next.sessionStore });
    },
    current,
    servingOf,
    middleware: (req, res, next) => {
      const instance = current();
      servedBy.set(req, instance);
      instance.middleware(req, res, next);
    },
    visitorState: {
      get: (req, key) => servingOf(req).visitorState.get(req, key),
      set: (req, key, value) => servingOf(req).visitorState.set(req, key, value),
    },
    currentUser: (req) => servingOf(req).currentUser(req),
    logIn: async (req, res, user) => {
      await servingOf(req).logIn(req, res, user);
      events.emit('login', { req, res, user });
    },
    logOut: async (req, res) => {
      await servingOf(req).logOut(req, res);
      events.emit('logout', { req, res });
    },
    close: async () => {
      await Promise.all([...instances.values()].map((instance) => instance.close()));
    },
  };
}
