import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { Config } from './config.ts';
import { provideAppContext } from './controllers/app-context.ts';
import { handleErrors, notFound } from './controllers/errors.ts';
import { getHealth } from './controllers/health.ts';
import { LoginAttempts } from './rate-limit/login-attempts.ts';
import { rateLimitFor } from './rate-limit/shared-rate-limit.ts';
import type { ShopEvents } from './lib/shop-events.ts';
import { boundedForms } from './middleware/bounded-forms.ts';
import { readCookies } from './middleware/cookies.ts';
import { createCsrfProtection, refuseForgedForms } from './middleware/csrf.ts';
import { loadCurrentUser } from './middleware/current-user.ts';
import { flashMessages } from './middleware/flash.ts';
import type { LiveAuthMode, LiveSettings } from './sessions/live-auth-mode.ts';
import { sessionCookieName } from './sessions/sessions.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import type { ShopPluginFactory } from './plugin.ts';
import { sessionStoreGuard } from './middleware/session-store-guard.ts';
import { staticAssets } from './middleware/static-assets.ts';
import { announceWorker } from './middleware/served-by.ts';
import { modeLocals, requestLocals, siteLocals } from './middleware/view-locals.ts';
import { accountRoutes } from './routes/account.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { shopRoutes } from './routes/shop.ts';
import { teaching } from './teaching/index.ts';

export interface AppDependencies {
  /** How this server remembers a login (see sessions/auth-modes/); the instructor can switch it live. */
  authMode: LiveAuthMode;
  /** What the shop announces (logins, logouts, session events); the lessons listen. */
  events: ShopEvents;
  /** Starts the server again in a new process (under `npm start` only): the instructor panel's Restart button. */
  restart?: (settings: LiveSettings) => void;
  /** Mounted beside the shop; the shop's own tests pass none. */
  plugins?: readonly ShopPluginFactory[];
}

/** The lessons, the session inspector and the instructor panel: the one place the shop meets teaching/. */
const defaultPlugins: readonly ShopPluginFactory[] = [teaching];

/** The composition root: builds the Express app; it neither connects nor listens. */
export function createApp(config: Config, { authMode, events, restart, plugins: pluginFactories = defaultPlugins }: AppDependencies): Express {
  const app = express();
  const csrf = createCsrfProtection(authMode.visitorState);
  const rateLimit = rateLimitFor(config);
  provideAppContext(app, { config, authMode, rateLimit, loginAttempts: new LoginAttempts(rateLimit, config.loginRateLimit) });
  const plugins = pluginFactories.map((plugin) => plugin({ config, authMode, events, rateLimit, restart }));

  app.set('view engine', 'ejs');
  // Compiled templates are kept except in development, where a student edits a view and reloads.
  app.set('view cache', config.nodeEnv !== 'development');
  app.set('views', [fileURLToPath(new URL('./views', import.meta.url)), ...plugins.map((plugin) => plugin.views)]);
  // lesson:not-by-ip-address:start
  // Only the configured proxies may say what the client's address and protocol were: anyone else could spoof them.
  app.set('trust proxy', config.trustProxy.length > 0 ? [...config.trustProxy] : false);
  // lesson:not-by-ip-address:end
  app.disable('x-powered-by');
  Object.assign(app.locals, siteLocals(authMode.current(), plugins.flatMap((plugin) => plugin.navigation)));

  app.use(securityHeaders(config));
  app.use(announceWorker);
  app.use(modeLocals(authMode));
  for (const assets of [fileURLToPath(new URL('./public', import.meta.url)), ...plugins.map((plugin) => plugin.assets)]) app.use(staticAssets(assets));
  // Before the session: health must answer even when the session store cannot.
  app.get('/healthz', getHealth);
  for (const plugin of plugins) app.use(plugin.beforeSession);

  app.use(boundedForms()); // every field a short flat string before any handler or pattern sees it
  app.use(readCookies(config.sessionSecrets, sessionCookieName(config))); // the first secret signs, all verify
  app.use(sessionStoreGuard(authMode));
  app.use(authMode.middleware);
  app.use(loadCurrentUser(authMode));
  app.use(flashMessages(authMode.visitorState));
  app.use(requestLocals((req) => csrf.generateToken(req)));
  app.use(refuseForgedForms(csrf.csrfSynchronisedProtection, events));
  for (const plugin of plugins) app.use(plugin.afterSession);

  app.use(authRoutes);
  app.use(shopRoutes);
  app.use('/admin', adminRoutes);
  app.use('/account', accountRoutes);

  app.use(notFound);
  app.use(handleErrors);
  return app;
}
