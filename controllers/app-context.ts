import type { Application, Request } from 'express';
import type { Config } from '../config.ts';
import type { LoginAttempts } from '../rate-limit/login-attempts.ts';
import type { RateLimit } from '../rate-limit/rate-limit.ts';
import type { LiveAuthMode } from '../sessions/live-auth-mode.ts';

/**
 * What the handlers need from the app that serves the request. Set once by app.ts; the handlers
 * stay plain module-level functions (a route table names them) and two apps in one process (the
 * tests start many) each keep their own.
 */
export interface AppContext {
  config: Config;
  /** How this server remembers a login: asked per request, the instructor can switch it. */
  authMode: LiveAuthMode;
  rateLimit: RateLimit;
  loginAttempts: LoginAttempts;
}

const contexts = new WeakMap<Application, AppContext>();

export function provideAppContext(app: Application, context: AppContext): void {
  contexts.set(app, context);
}

export function appContext(req: Request): AppContext {
  const context = contexts.get(req.app);
  if (!context) throw new Error('No app context: createApp provides it before any route.');
  return context;
}
