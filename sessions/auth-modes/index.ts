import type { AuthModeName, Config } from '../../config.ts';
import type { ShopEvents } from '../../lib/shop-events.ts';
import type { SessionStoreFactory } from '../sessions.ts';
import type { AuthMode } from './auth-mode.ts';
import { cookieSessionMode } from './cookie-session.ts';
import { cookieMode } from './cookie.ts';
import { globalMode } from './global.ts';
import { requestMode } from './request.ts';
import { sessionMode } from './session.ts';

export type * from './auth-mode.ts';

/** Five ways to remember a login, from wrong to right, one file each: the lessons show them in this order. */
const authModes = {
  request: requestMode,
  global: globalMode,
  cookie: cookieMode,
  session: sessionMode,
  'cookie-session': cookieSessionMode,
} satisfies { [Name in AuthModeName]: (config: Config, databaseUri: string, events: ShopEvents, createStore?: SessionStoreFactory) => AuthMode & { name: Name } };

/** `events` hears what the sessions do; `createStore` replaces the store that config.sessionStore names. */
export function createAuthMode(config: Config, databaseUri: string, events: ShopEvents, createStore?: SessionStoreFactory): AuthMode {
  return authModes[config.authMode](config, databaseUri, events, createStore);
}
