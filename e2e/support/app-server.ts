import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';
import type { AuthModeName, SessionStoreName } from '../../config.ts';
import { withDatabaseName } from '../../test/support/database.ts';

/** Unset fields take the app's own defaults. */
export interface AppOptions {
  authMode?: AuthModeName;
  sessionStore?: SessionStoreName;
  /** Runs `npm run cluster -- --workers=N` instead of a single process. */
  workers?: number;
}

export interface AppServer {
  url: string;
  /** Stops the app and starts it again on the same port, data directory and database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Opens /instructor in every app the fixture starts. */
export const instructorToken = 'e2e-instructor-token';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const startTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;

/** Starts `server.ts` as its own process, with its own data directory and database. */
async function startAppServer({ authMode = 'session', sessionStore = 'mongodb', workers }: AppOptions): Promise<AppServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-e2e-'));
  const sharedMongo = process.env.MONGODB_URI;
  const entry = workers === undefined ? ['server.ts'] : ['scripts/cluster.ts', `--workers=${workers}`];
  const env = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    // The lowest cost bcrypt accepts: logins in a test run need not resist cracking.
    BCRYPT_ROUNDS: '4',
    AUTH_MODE: authMode,
    SESSION_STORE: sessionStore,
    INSTRUCTOR_TOKEN: instructorToken,
    // On a shared server every instance gets its own database, so parallel workers never meet.
    ...(sharedMongo ? { MONGODB_URI: withDatabaseName(sharedMongo, `e2e_${randomBytes(4).toString('hex')}`) } : {}),
  };
  const spawnApp = (port: string) =>
    spawn(process.execPath, ['--import', 'tsx', ...entry], { cwd: projectRoot, env: { ...env, PORT: port }, stdio: ['ignore', 'pipe', 'inherit'] });
  let child = spawnApp('0');
  const stop = async () => {
    await stopProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child);
    return {
      url,
      async restart() {
        await stopProcess(child);
        // The same port: the browser's cookies for it, and the test's base URL, still apply.
        child = spawnApp(new URL(url).port);
        await listeningUrl(child);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the URL from the `Shop listening on http://localhost:PORT ...` line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const seen: string[] = [];
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`The app did not start: ${reason}. Its output:\n${seen.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`no "Shop listening on" line within ${startTimeoutMs} ms`), startTimeoutMs);
    child.once('close', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    // Reading every line, also after the match, keeps the pipe from filling up and blocking the app.
    lines.on('line', (line) => {
      seen.push(line);
      const match = /Shop listening on (http:\/\/localhost:\d+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * `test` with its own app server, started with `appOptions`
 * (`test.use({ appOptions: { authMode: 'cookie' } })`); `page.goto('/')` goes to it.
 * One server per test: global mode keeps a login in the server process, and a fresh
 * server costs about a second.
 */
export const test = base.extend<{ appOptions: AppOptions; appServer: AppServer }>({
  appOptions: [{}, { option: true }],
  appServer: [
    async ({ appOptions }, use) => {
      const server = await startAppServer(appOptions);
      await use(server);
      await server.stop();
    },
    { timeout: startTimeoutMs + stopTimeoutMs + 10_000 },
  ],
  baseURL: async ({ appServer }, use) => {
    await use(appServer.url);
  },
});

export { expect } from '@playwright/test';
