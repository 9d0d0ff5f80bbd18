import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Express } from 'express';
import { createApp } from './app.ts';
import { ConfigError, configFromCommandLine, type Config } from './config.ts';
import { startEmbeddedMongo } from 'embedded-mongo';
import { answerClientErrors } from './lib/client-errors.ts';
import { ShopEvents } from './lib/shop-events.ts';
import type { AuthMode } from './sessions/auth-modes/index.ts';
import { configureLogging, logger } from './lib/logger.ts';
import { supervisorOfThisProcess, type Supervisor } from './scripts/supervision.ts';
import { createLiveAuthMode, type LiveSettings } from './sessions/live-auth-mode.ts';
import type { SessionStoreFactory } from './sessions/sessions.ts';
import { keepDatabaseConnected } from './models/db.ts';
import { loginList, seedIfEmpty } from './models/seed.ts';
import type { ShopPluginFactory } from './plugin.ts';

export interface RunningServer {
  url: string;
  port: number;
  app: Express;
  database: 'embedded' | 'external';
  sessionStore: AuthMode['store'];
  /** Stops in order: no new requests, then sessions, then the models' connection, then the database. */
  stop(): Promise<void>;
}

/** How long a stop waits for the requests in flight before it cuts their connections. */
const requestGraceMs = 10_000;
/** How long a stopping shop under npm start keeps its kept-alive connections for a last answer each. */
const keptAliveGraceMs = 1000;

export interface ServerOptions {
  /** A store to use instead of the one SESSION_STORE names (the benchmark plugs in connect-mongo). */
  sessionStore?: SessionStoreFactory;
  /** Set under `npm start`: connections come from the supervisor, which can also start the shop again. */
  supervisor?: Supervisor;
  /** Called when the instructor asks for a restart; without it the panel offers none. */
  restart?: (settings: LiveSettings) => void;
  /** How long a connection may take to send a request's headers (tests shorten it). */
  headersTimeoutMs?: number;
  /** Instead of the lessons: the shop's own tests pass none. */
  plugins?: readonly ShopPluginFactory[];
}

/** Connections that send no complete request are closed after this long: idle sockets cannot pile up until the file limit. */
const defaultHeadersTimeoutMs = 10_000;

/** Starts the database (embedded unless MONGODB_URI is set), seeds an empty one, and listens; the process logs as `config` says. */
export async function startServer(config: Config, { sessionStore, supervisor, restart, plugins, headersTimeoutMs = defaultHeadersTimeoutMs }: ServerOptions = {}): Promise<RunningServer> {
  configureLogging(config);
  const database = await startDatabase(config);
  // A database that is down must not keep the shop from starting: it answers 503 until the database is back.
  const models = await keepDatabaseConnected(database.uri, () => seedDemoData(config));
  const events = new ShopEvents();
  const authMode = createLiveAuthMode(config, database.uri, events, sessionStore);
  const app = createApp(config, { authMode, events, restart, ...(plugins && { plugins }) });
  const http = await serve(app, config, supervisor, headersTimeoutMs);
  const { port } = http;
  return {
    url: `http://localhost:${port}`,
    port,
    app,
    database: database.kind,
    sessionStore: authMode.current().store,
    async stop() {
      await http.close();
      await authMode.close();
      await models.close();
      await database.stop();
    },
  };
}

/**
 * Seeds an empty database. Production's demo passwords are generated and stored only as hashes;
 * they go to a file only the starting user can read, never to the log, which may be shipped
 * anywhere. Elsewhere they are the ones the README lists.
 */
export async function seedDemoData(config: Config): Promise<void> {
  const logins = await seedIfEmpty({ bcryptRounds: config.bcryptRounds, generatePasswords: config.isProduction });
  if (!logins || !config.isProduction) return;
  const file = join(config.dataDir, 'demo-accounts.txt');
  await writeFile(file, `${loginList(logins)}\n`, { mode: 0o600 });
  logger.info(`Demo accounts, with passwords generated for this database: in ${file}, readable only by you`);
}

/** The database the shop uses: the one at MONGODB_URI, or the embedded server with its data under DATA_DIR. */
export async function startDatabase(config: Config) {
  if (config.mongodbUri) return { kind: 'external' as const, uri: config.mongodbUri, stop: async () => {} };
  const embedded = await startEmbeddedMongo({ port: 0, dataDir: join(config.dataDir, 'db'), logger });
  const uri = new URL(embedded.uri);
  uri.pathname = '/shop';
  return { kind: 'embedded' as const, uri: uri.href, stop: embedded.stop };
}

interface HttpService {
  port: number;
  /** Stops taking connections and resolves once every request in flight has its response. */
  close(): Promise<void>;
}

/** Listens on the port, or on the one the supervisor holds (see scripts/supervision.ts). */
async function serve(app: Express, { port, host }: Config, supervisor: Supervisor | undefined, headersTimeoutMs: number): Promise<HttpService> {
  // A connection that has sent no complete request in time gets 408 and is closed; the check runs every second.
  const server = createServer({ headersTimeout: headersTimeoutMs, requestTimeout: 3 * headersTimeoutMs, connectionsCheckingInterval: 1000 }, app);
  // Headers over Node's 16 KiB (too many cookies) get a 431 page that says so, not an empty error.
  answerClientErrors(server);
  // Counted here: connections the supervisor passes on are not in the server's own count.
  const connections = new Set<Socket>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  // Once closing, every answer says Connection: close, so its client sends the next request on a new
  // connection (which the next process takes, under npm start), never on one about to be closed.
  server.prependListener('request', (_req, res) => {
    if (closing) res.setHeader('Connection', 'close');
  });
  if (supervisor) await supervisor.listenOnItsPort(server);
  else await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await supervisor?.stopHandingOver();
      closing = true;
      if (supervisor) {
        // A restart: stop taking connections, but unlike http's close() leave the kept-alive ones open
        // a moment, so a client asking on one gets its answer (with Connection: close), not a reset.
        NetServer.prototype.close.call(server);
        await Promise.race([Promise.all([...connections].map((socket) => once(socket, 'close'))), sleep(keptAliveGraceMs)]);
      }
      server.close(); // also ends the idle keep-alive connections
      const deadline = setTimeout(() => server.closeAllConnections(), requestGraceMs);
      await Promise.all([...connections].map((socket) => once(socket, 'close')));
      clearTimeout(deadline);
    },
  };
}

/** Where the instructor gets in: printed in development only, so no token lands in a log collector. */
export function instructorPanelHint(config: Config, url: string): string | undefined {
  if (config.instructorToken === undefined || config.nodeEnv !== 'development') return undefined;
  return `Instructor panel: ${url}/instructor (token: ${config.instructorToken})`;
}

/** Production without TRUST_PROXY sees every request as plain HTTP, so it would set no Secure cookie: nobody could log in. */
export function proxyWarning(config: Config): string | undefined {
  if (!config.isProduction || config.trustProxy.length > 0) return undefined;
  return 'TRUST_PROXY is not set: no request counts as HTTPS, so no Secure cookie (no login) is set. Name the TLS proxy in front of the shop, e.g. TRUST_PROXY=loopback.';
}

/** Runs the shop as a process: configured by the environment and flags, stopped by SIGINT or SIGTERM. */
export async function main(options: ServerOptions = {}): Promise<void> {
  const config = configFromCommandLine();
  const supervisor = supervisorOfThisProcess();
  const restart = (settings: LiveSettings) => {
    logger.info(`Restarting at the instructor's request (auth mode: ${settings.authMode}, session store: ${settings.sessionStore}).`);
    supervisor?.requestRestart(settings);
    process.kill(process.pid, 'SIGTERM'); // stops as on Ctrl+C; the supervisor then starts a new process
  };
  const server = await startServer(config, { ...options, supervisor, restart: supervisor && restart });
  logger.info(`Shop listening on ${server.url} (auth mode: ${config.authMode}, session store: ${server.sessionStore}, database: ${server.database})`);
  const instructorHint = instructorPanelHint(config, server.url);
  if (instructorHint) logger.info(instructorHint);
  const warning = proxyWarning(config);
  if (warning) logger.warn(warning);
  stopOnSignals(server.stop);
  supervisor?.ready();
}

/** Ctrl+C or SIGTERM runs `stop` once, however many signals arrive (a cluster gets one per process). */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping: Promise<void> | undefined;
  const shutDown = () => {
    if (!stopping) logger.info('Stopping: no new requests; finishing those in flight, then closing sessions and the database.');
    stopping ??= stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Could not stop cleanly');
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
