import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { typescriptExecArgv } from 'embedded-mongo';
import { waitUntil } from 'embedded-mongo/testing';

/*
 * One of this repository's entry points (the shop's `server.ts`, the database's `packages/embedded-mongo/src/cli.ts`, …)
 * run as `node <script>` (with `--import tsx` where Node cannot strip types) from the repository root, for the tests, e2e fixtures and
 * benchmarks that need it in a process of its own: to crash it, restart it, read its log or
 * measure it. No npm in between, so the pid is the script's own.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Bounds what a chatty child leaves in our memory over a long benchmark run.
const keptLines = 10_000;

/** What answers once a script is up: an HTTP URL (any status counts: /healthz says 503 while the database is down), or a TCP port on 127.0.0.1. */
export type Readiness = { http: string } | { tcp: number };

export interface ScriptOptions {
  /** The child's whole environment; `process.env` when unset. */
  env?: NodeJS.ProcessEnv;
  /** `ready` resolves once this answers. */
  readyWhen: Readiness;
  /** How long to wait for that (and, by default, for `waitFor`'s line). Default 30 s. */
  timeoutMs?: number;
  /** How long `stop` waits after its signal before it sends SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
  /** 'inherit' shows the child's stderr in ours as it comes, and leaves it out of `output()`. */
  stderr?: 'pipe' | 'inherit';
}

export interface ScriptExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ScriptProcess {
  child: ChildProcess;
  /** Resolves once `readyWhen` answers; rejects, once the child is killed, if it exits or stays unanswering first. */
  ready: Promise<void>;
  /** Resolves once the process ended and both pipes are read to the end. */
  exited: Promise<ScriptExit>;
  /** The first capture group of the next stdout line matching `pattern`, from now on. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The lines printed so far (the last 10 000), stdout and stderr as they came. */
  output(): string;
  stderr(): string;
  /** False once the process ended, by itself or by a signal. */
  running(): boolean;
  /** Sends `signal` (SIGTERM: a clean shutdown), SIGKILL if the process outlives `stopTimeoutMs`; resolves once it ended. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/*
 * Below every system's range for outgoing connections (Linux hands those out from 32768, macOS and
 * Windows from 49152): a port the system picked for us could be taken by the next outgoing
 * connection (a browser's, a database driver's) before the child listens on it.
 */
const listeningPorts = { from: 20_000, to: 32_000 };

/** A TCP port nothing listens on right now, for a child to listen on. */
export async function freePort(): Promise<number> {
  for (let attempt = 1; attempt <= 100; attempt += 1) {
    const port = listeningPorts.from + Math.floor(Math.random() * (listeningPorts.to - listeningPorts.from));
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port between ${listeningPorts.from} and ${listeningPorts.to} after 100 tries.`);
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)));
  if (listening) await new Promise((resolve) => server.close(resolve));
  return listening;
}

/** True when `readiness` answers now. */
export async function answers(readiness: Readiness): Promise<boolean> {
  if ('http' in readiness) {
    const response = await fetch(readiness.http).catch(() => undefined);
    await response?.body?.cancel();
    return response !== undefined;
  }
  const socket = connect(readiness.tcp, '127.0.0.1');
  const connected = await new Promise<boolean>((resolve) => socket.once('connect', () => resolve(true)).once('error', () => resolve(false)));
  socket.destroy();
  return connected;
}

/** Starts `script` with `args`; `ready` tells when it is up. */
export function spawnScript(script: string, args: readonly string[], options: ScriptOptions): ScriptProcess {
  const { env = process.env, timeoutMs = 30_000, stopTimeoutMs = 10_000, stderr = 'pipe' } = options;
  const child = spawn(process.execPath, [...typescriptExecArgv, script, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', stderr] });
  const lines: { fromStderr: boolean; text: string }[] = [];
  const keep = (line: { fromStderr: boolean; text: string }) => {
    if (lines.push(line) > keptLines) lines.shift();
  };
  // Read every line for the whole run, also after the match: a full pipe would block the child's next write.
  const stdoutLines = createInterface({ input: child.stdout! });
  stdoutLines.on('line', (text) => keep({ fromStderr: false, text }));
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (text) => keep({ fromStderr: true, text }));
  const output = () => lines.map(({ text }) => text).join('\n');
  // 'close', not 'exit': by then both pipes are read to the end, so the output is complete.
  const exited = once(child, 'close').then(([code, signal]) => ({ code, signal }) as ScriptExit);
  const running = () => child.exitCode === null && child.signalCode === null;

  const waitFor = (pattern: RegExp, ms = timeoutMs) =>
    new Promise<string>((resolve, reject) => {
      const onLine = (line: string) => {
        const found = pattern.exec(line)?.[1];
        if (found === undefined) return;
        settle();
        resolve(found);
      };
      const fail = (why: string) => {
        settle();
        reject(new Error(`${script} ${why}. Its output:\n${output()}`));
      };
      const onClose = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (${signal ?? `code ${code}`}) before printing a line matching ${pattern}`);
      const timer = setTimeout(() => fail(`printed no line matching ${pattern} within ${ms} ms`), ms);
      const settle = () => {
        clearTimeout(timer);
        stdoutLines.off('line', onLine);
        child.off('close', onClose);
      };
      stdoutLines.on('line', onLine);
      child.on('close', onClose);
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!running()) return;
    const ended = once(child, 'exit');
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await ended;
    clearTimeout(killer);
  };

  const up = waitUntil(`it answers at ${JSON.stringify(options.readyWhen)}`, () => answers(options.readyWhen), { timeoutMs, intervalMs: 50 });
  const exitedFirst = exited.then(({ code, signal }) => {
    throw new Error(`it exited (${signal ?? `code ${code}`}) first`);
  });
  // A child that failed to start is killed, so no caller has to clean it up.
  const ready = Promise.race([up, exitedFirst]).catch(async (error: unknown) => {
    await stop('SIGKILL');
    throw new Error(`${script} is not ready: ${(error as Error).message}. Its output:\n${output()}`);
  });

  return {
    child,
    ready,
    exited,
    waitFor,
    output,
    stderr: () => lines.filter(({ fromStderr }) => fromStderr).map(({ text }) => text).join('\n'),
    running,
    stop,
  };
}

/** `spawnScript`, resolved once it is ready. */
export async function startScript(script: string, args: readonly string[], options: ScriptOptions): Promise<ScriptProcess> {
  const started = spawnScript(script, args, options);
  await started.ready;
  return started;
}
