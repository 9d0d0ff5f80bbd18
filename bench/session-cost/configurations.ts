import type { ShopSettings } from './shop.ts';

export interface Configuration {
  name: string;
  shop: Omit<ShopSettings, 'databaseUri'>;
  /** The embedded database in its own process (as production runs MongoDB), else inside the shop. */
  databaseProcess: boolean;
}

/*
 * The baseline is request mode: no session middleware and nothing kept between requests, so its
 * pages cost what the shop costs without any way of remembering a visitor. Nobody can log in.
 */
export const configurations: readonly Configuration[] = [
  { name: 'no session (baseline)', shop: { authMode: 'request' }, databaseProcess: false },
  { name: 'cookie', shop: { authMode: 'cookie' }, databaseProcess: false },
  // The login in a signed cookie (cookie-session): nothing stored, an HMAC-SHA1 checked per request.
  { name: 'cookie-session (signed cookie)', shop: { authMode: 'cookie-session' }, databaseProcess: false },
  { name: 'session + memory', shop: { authMode: 'session', sessionStore: 'memory' }, databaseProcess: false },
  { name: 'session + MongoDB, db in-process', shop: { authMode: 'session', sessionStore: 'mongodb' }, databaseProcess: false },
  { name: 'session + MongoDB, db process', shop: { authMode: 'session', sessionStore: 'mongodb' }, databaseProcess: true },
  {
    name: 'session + connect-mongo, db process',
    shop: { authMode: 'session', sessionStore: 'mongodb', script: 'bench/session-cost/connect-mongo-shop.ts' },
    databaseProcess: true,
  },
];

export const baselineName = configurations[0]!.name;
