import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { embeddedMongoUri } from '../src/credentials.ts';
import { typescriptExecArgv } from '../src/typescript.ts';

/*
 * The standalone server (`src/cli.ts`, what `npm run db` runs) as a child process, for the tests
 * and benchmarks that need it in a process of its own: to kill it mid-write, or to measure it.
 * It runs as `node src/cli.ts` (with `--import tsx` where Node cannot strip types): no npm in between, so the pid is the server's own.
 */

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const cliScript = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// Bounds what a chatty child leaves in our memory over a long benchmark run.
const keptLines = 10_000;

export interface ScriptExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DatabaseCli {
  pid: number;
  /** Where it listens (mongodb://user:password@host:port/); rejects if it exits or stays silent first. */
  listening: Promise<string>;
  exited: Promise<ScriptExit>;
  /** What it wrote to stderr so far (the usage). */
  stderr(): string;
  /** Everything it printed so far: its log (warnings about a damaged journal) and stderr. */
  output(): string;
  /** Sends the signal unless it is gone already, and resolves once it is. */
  kill(signal: NodeJS.Signals): Promise<ScriptExit>;
}

/*
 * Below every system's range for outgoing connections (Linux hands those out from 32768, macOS and
 * Windows from 49152): a port the system picked for us could be taken by the next outgoing
 * connection before the child listens on it.
 */
const listeningPorts = { from: 20_000, to: 32_000 };

/** A TCP port nothing listens on right now, for a child to listen on. */
export async function freePort(): Promise<number> {
  for (let attempt = 1; attempt <= 100; attempt += 1) {
    const port = listeningPorts.from + Math.floor(Math.random() * (listeningPorts.to - listeningPorts.from));
    const server = createServer();
    const listening = await new Promise<boolean>((resolve) => server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)));
    if (listening) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
  throw new Error(`No free port between ${listeningPorts.from} and ${listeningPorts.to} after 100 tries.`);
}

/** Whether something accepts connections on `port` now; never for a port that is no port (`--port http`, a usage error). */
async function accepts(port: number): Promise<boolean> {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return false;
  const socket = connect(port, '127.0.0.1');
  const connected = await new Promise<boolean>((resolve) => socket.once('connect', () => resolve(true)).once('error', () => resolve(false)));
  socket.destroy();
  return connected;
}

/** Runs the CLI with these arguments, as they would follow `npm run db --`; it is up once its `--port` accepts connections. */
export function spawnDatabaseCli(args: readonly string[], { timeoutMs = 30_000 }: { timeoutMs?: number } = {}): DatabaseCli {
  const portFlag = args.indexOf('--port');
  const port = portFlag === -1 ? 27017 : Number(args[portFlag + 1]);
  const dataFlag = args.indexOf('--data');
  const child = spawn(process.execPath, [...typescriptExecArgv, cliScript, ...args], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { fromStderr: boolean; text: string }[] = [];
  const keep = (fromStderr: boolean) => (text: string) => {
    if (lines.push({ fromStderr, text }) > keptLines) lines.shift();
  };
  // Read every line for the whole run: a full pipe would block the child's next write.
  createInterface({ input: child.stdout }).on('line', keep(false));
  createInterface({ input: child.stderr }).on('line', keep(true));
  const output = () => lines.map(({ text }) => text).join('\n');
  // 'close', not 'exit': by then both pipes are read to the end, so the output is complete.
  const exited = once(child, 'close').then(([code, signal]) => ({ code, signal }) as ScriptExit);
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async (signal: NodeJS.Signals) => {
    if (!running()) return;
    const ended = once(child, 'exit');
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await ended;
    clearTimeout(killer);
  };

  const ready = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (!(await accepts(port))) {
      if (!running()) throw new Error(`it exited (${child.signalCode ?? `code ${child.exitCode}`}) first`);
      if (Date.now() > deadline) throw new Error(`port ${port} did not answer within ${timeoutMs} ms`);
      await sleep(50);
    }
  })().catch(async (error: unknown) => {
    // A child that failed to start is killed, so no caller has to clean it up.
    await stop('SIGKILL');
    throw new Error(`the database CLI is not ready: ${(error as Error).message}. Its output:\n${output()}`);
  });
  // With a data directory the credentials are in it (written before the port opens); in memory, the CLI logs its URI.
  const listening = ready.then(() => {
    if (dataFlag !== -1) return embeddedMongoUri(args[dataFlag + 1]!, port);
    const logged = /mongodb:\/\/[^\s"]+/.exec(output())?.[0];
    if (!logged) throw new Error(`the database CLI logged no URI: ${output()}`);
    return logged;
  });
  listening.catch(() => {}); // a caller that only waits for the exit (a usage error) need not handle it
  return {
    pid: child.pid!,
    listening,
    exited,
    stderr: () => lines.filter(({ fromStderr }) => fromStderr).map(({ text }) => text).join('\n'),
    output,
    async kill(signal) {
      await stop(signal);
      return exited;
    },
  };
}

/** The CLI on a free port, in memory or on `dataDir`, once it listens. */
export async function startDatabaseCli({ dataDir, ttlIntervalMs }: { dataDir?: string; ttlIntervalMs?: number } = {}) {
  const port = await freePort();
  const args = ['--port', String(port)];
  if (dataDir !== undefined) args.push('--data', dataDir);
  if (ttlIntervalMs !== undefined) args.push('--ttl-interval', String(ttlIntervalMs));
  const cli = spawnDatabaseCli(args);
  return { ...cli, uri: await cli.listening };
}

export type RunningDatabaseCli = Awaited<ReturnType<typeof startDatabaseCli>>;
