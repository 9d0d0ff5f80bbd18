import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Express } from 'express';
import { createApp } from './app.ts';
import { ConfigError, environmentFromFlags, loadConfig, processEnvironment, type Config } from './config.ts';
import { startEmbeddedMongo } from './db/index.ts';
import { ShopEvents } from './lib/shop-events.ts';
import type { AuthMode } from './middleware/auth-modes.ts';
import { createLiveAuthMode } from './middleware/live-auth-mode.ts';
import type { SessionStoreFactory } from './middleware/session.ts';
import { keepDatabaseConnected } from './models/db.ts';
import { seedIfEmpty } from './models/seed.ts';

export interface RunningServer {
  url: string;
  port: number;
  app: Express;
  database: 'embedded' | 'external';
  sessionStore: AuthMode['store'];
  /** Stops in order: no new requests, then sessions, then the models' connection, then the database. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** A store to use instead of the one SESSION_STORE names (the benchmark plugs in connect-mongo). */
  sessionStore?: SessionStoreFactory;
}

/** Starts the database (embedded unless MONGODB_URI is set), seeds an empty one, and listens. */
export async function startServer(config: Config, { sessionStore }: ServerOptions = {}): Promise<RunningServer> {
  const database = await startDatabase(config);
  // A database that is down must not keep the shop from starting: it answers 503 until the database is back.
  const models = await keepDatabaseConnected(database.uri, () => seedIfEmpty(config.bcryptRounds));
  const events = new ShopEvents();
  const authMode = createLiveAuthMode(config, database.uri, events, sessionStore);
  const app = createApp(config, { authMode, events });
  const httpServer = await listen(app, config.port);
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    app,
    database: database.kind,
    sessionStore: authMode.store,
    async stop() {
      await closeHttpServer(httpServer);
      await authMode.close();
      await models.close();
      await database.stop();
    },
  };
}

/** The database the shop uses: the one at MONGODB_URI, or the embedded server with its data under DATA_DIR. */
export async function startDatabase(config: Config) {
  if (config.mongodbUri) return { kind: 'external' as const, uri: config.mongodbUri, stop: async () => {} };
  const embedded = await startEmbeddedMongo({ port: 0, dataDir: join(config.dataDir, 'db') });
  const uri = new URL(embedded.uri);
  uri.pathname = '/shop';
  return { kind: 'embedded' as const, uri: uri.href, stop: embedded.stop };
}

function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
  });
}

/** Where the instructor gets in: printed in development only, so no token lands in a log collector. */
export function instructorPanelHint(config: Config, url: string): string | undefined {
  if (config.instructorToken === undefined || config.nodeEnv !== 'development') return undefined;
  return `Instructor panel: ${url}/instructor (token: ${config.instructorToken})`;
}

/** Runs the shop as a process: configured by the environment and flags, stopped by SIGINT or SIGTERM. */
export async function main(options: ServerOptions = {}): Promise<void> {
  const config = loadConfig({ ...processEnvironment(), ...environmentFromFlags(process.argv.slice(2)) });
  const server = await startServer(config, options);
  console.log(
    `Shop listening on ${server.url} (auth mode: ${config.authMode}, session store: ${server.sessionStore}, database: ${server.database})`,
  );
  const instructorHint = instructorPanelHint(config, server.url);
  if (instructorHint) console.log(instructorHint);
  stopOnSignals(server.stop);
}

/** Ctrl+C or SIGTERM runs `stop` once, however many signals arrive (a cluster gets one per process). */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping: Promise<void> | undefined;
  const shutDown = () => {
    stopping ??= stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Could not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main().catch((error: unknown) => {
    // A configuration mistake needs its message, not a stack trace.
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
