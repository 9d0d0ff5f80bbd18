import type { Router } from 'express';
import type { Config } from './config.ts';
import type { ShopEvents } from './lib/shop-events.ts';
import type { RateLimit } from './rate-limit/rate-limit.ts';
import type { LiveAuthMode, LiveSettings } from './sessions/live-auth-mode.ts';

/** What the shop hands a plug-in: it reads these, it never changes the shop's own routes. */
export interface PluginContext {
  config: Config;
  authMode: LiveAuthMode;
  events: ShopEvents;
  rateLimit: RateLimit;
  restart: ((settings: LiveSettings) => void) | undefined;
}

export interface NavigationLink {
  href: string;
  text: string;
}

/**
 * Something mounted beside the shop (the lessons are one): app.ts puts each part where it belongs,
 * so the shop runs the same without it.
 */
export interface ShopPlugin {
  /** Its templates, looked up after the shop's (they may include the shop's partials by name). */
  views: string;
  /** Its browser files, served after the shop's. */
  assets: string;
  /** Added to the shop's navigation, after the shop's own links. */
  navigation: readonly NavigationLink[];
  /** Routes that report on the session without loading it: mounted before the session middleware. */
  beforeSession: Router;
  /** Its pages, and what it observes of every request: mounted after the session and the CSRF check. */
  afterSession: Router;
}

export type ShopPluginFactory = (context: PluginContext) => ShopPlugin;
