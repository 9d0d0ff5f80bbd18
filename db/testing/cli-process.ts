import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/*
 * The standalone server (`db/cli.ts`, what `npm run db` runs) as a child process, for the tests
 * and benchmarks that need it in a process of its own: to kill it mid-write, or to measure it.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const startupTimeoutMs = 30_000;

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DatabaseCli {
  pid: number;
  /** Where it listens (mongodb://host:port/); rejects if it exits or stays silent first. */
  listening: Promise<string>;
  exited: Promise<CliExit>;
  /** What it wrote to stderr so far (the usage, warnings about a damaged journal). */
  stderr(): string;
  /** Sends the signal unless it is gone already, and resolves once it is. */
  kill(signal: NodeJS.Signals): Promise<CliExit>;
}

/** Runs the CLI with these arguments, as they would follow `npm run db --`. */
export function spawnDatabaseCli(args: readonly string[]): DatabaseCli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'db/cli.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // Read both pipes to the end: a full pipe would block the server's next write to it.
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-20_000)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
  // 'close', not 'exit': by then both pipes are read to the end, so stderr() is complete.
  const exited = once(child, 'close').then(([code, signal]) => ({ code, signal }) as CliExit);

  const listening = new Promise<string>((resolve, reject) => {
    const onOutput = () => {
      const uri = /mongodb:\/\/\S+\//.exec(stdout)?.[0];
      if (!uri) return;
      settle();
      resolve(uri);
    };
    const fail = (why: string) => {
      settle();
      child.kill('SIGKILL');
      reject(new Error(`db/cli.ts ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited during startup (code ${code}, signal ${signal})`);
    const timer = setTimeout(() => fail(`printed no URI within ${startupTimeoutMs} ms`), startupTimeoutMs);
    const settle = () => {
      clearTimeout(timer);
      child.stdout.off('data', onOutput);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onOutput);
    child.on('exit', onExit);
  });
  listening.catch(() => {}); // a caller that only waits for the exit (a usage error) need not handle it

  return {
    pid: child.pid!,
    listening,
    exited,
    stderr: () => stderr,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The CLI on a free port, in memory or on `dataDir`, once it listens. */
export async function startDatabaseCli({ dataDir, ttlIntervalMs }: { dataDir?: string; ttlIntervalMs?: number } = {}) {
  const args = ['--port', '0'];
  if (dataDir !== undefined) args.push('--data', dataDir);
  if (ttlIntervalMs !== undefined) args.push('--ttl-interval', String(ttlIntervalMs));
  const cli = spawnDatabaseCli(args);
  return { ...cli, uri: await cli.listening };
}

export type RunningDatabaseCli = Awaited<ReturnType<typeof startDatabaseCli>>;
