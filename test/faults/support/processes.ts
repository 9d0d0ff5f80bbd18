import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;

export interface RunningProcess {
  /** The first match of the start pattern's group. */
  address: string;
  /** Every line the process printed, stdout and stderr. */
  output: string[];
  /** True once the process ended, by itself or by a signal. */
  exited(): boolean;
  /** SIGTERM, then SIGKILL if it does not end in time. */
  stop(): Promise<void>;
  /** SIGKILL: no clean-up, like a crash or a pulled plug. */
  kill(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The embedded MongoDB-compatible server, standalone, on a fixed port and data directory. */
export async function startStandaloneDatabase(port: number, dataDir: string): Promise<RunningProcess> {
  return startProcess(['db/cli.ts', '--port', String(port), '--data', dataDir], {}, /embedded MongoDB listening at (mongodb:\/\/\S+)/);
}

/** The shop (`server.ts`) as its own process, configured by `env`; `address` is its URL. */
export async function startShopProcess(env: Record<string, string>): Promise<RunningProcess> {
  return startProcess(['server.ts'], { BCRYPT_ROUNDS: '4', PORT: '0', ...env }, /Shop listening on (http:\/\/localhost:\d+)/);
}

async function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const address = await new Promise<string>((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} did not start: ${reason}. Its output:\n${output.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${startTimeoutMs} ms`), startTimeoutMs);
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    // Reading every line, also after the match, keeps the pipes from filling up and blocking the process.
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const match = ready.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    }
  });
  return { address, output, exited, stop: () => end(child, 'SIGTERM'), kill: () => end(child, 'SIGKILL') };
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const ended = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await ended;
  clearTimeout(timer);
}

/** Polls `check` until it returns true, failing after `timeoutMs`: for waits that are timing by nature. */
export async function eventually(description: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
