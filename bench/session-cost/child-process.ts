import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Seeding hashes the demo passwords: at bcrypt cost 12 on a busy machine that takes seconds.
const startupTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;
const answerTimeoutMs = 30_000;

/** What a process uses, read from outside it. */
export interface ProcessUsage {
  /** Resident set size in bytes. */
  rss(): Promise<number>;
  /** CPU time (user + system) used so far, in seconds; NaN where /proc is missing (macOS). */
  cpuSeconds(): Promise<number>;
}

export interface NodeProcess extends ProcessUsage {
  /** The first capture group of `readyLine` (the address the process listens on). */
  address: string;
  /** Sends `signal` and resolves with the first capture group of the line it answers with. */
  ask(signal: NodeJS.Signals, answerLine: RegExp): Promise<string>;
  /** SIGTERM (a clean shutdown), SIGKILL if that takes too long. */
  stop(): Promise<void>;
}

/**
 * Runs `node --import tsx <script>` from the repository root, as production would (no npm in
 * between, so the pid is the server's own), and resolves once a stdout line matches `readyLine`.
 */
export async function startNodeProcess(script: string, args: string[], env: Record<string, string>, readyLine: RegExp): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    // Only what we set, so a MONGODB_URI in the caller's shell cannot change the configuration.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Keep reading for the whole run: a full pipe would block the server's console.log.
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  const exited = once(child, 'exit');

  /** The first capture group of the first line matching `pattern` printed from now on. */
  const nextMatch = (pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      let seen = '';
      const onOutput = (chunk: string) => {
        seen += chunk;
        const match = pattern.exec(seen);
        if (!match?.[1]) return;
        settle();
        resolve(match[1]);
      };
      const fail = (why: string) => {
        settle();
        reject(new Error(`${script} ${why}:\n${output}`));
      };
      const onExit = (code: number | null) => fail(`exited with code ${code}`);
      const timer = setTimeout(() => fail(`printed nothing matching ${pattern} within ${timeoutMs} ms`), timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        child.stdout.off('data', onOutput);
        child.off('exit', onExit);
      };
      child.stdout.on('data', onOutput);
      child.on('exit', onExit);
    });

  const address = await nextMatch(readyLine, startupTimeoutMs).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    address,
    ...processUsage(child.pid!),
    ask(signal, answerLine) {
      const answer = nextMatch(answerLine, answerTimeoutMs);
      child.kill(signal);
      return answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

/** What the process with this pid uses, read from outside it. */
export function processUsage(pid: number): ProcessUsage {
  return {
    async rss() {
      // ps answers on Linux and macOS alike, in kilobytes.
      const { stdout } = await promisify(execFile)('ps', ['-o', 'rss=', '-p', String(pid)]);
      return Number(stdout.trim()) * 1024;
    },
    async cpuSeconds() {
      // Fields 14 and 15 (after the parenthesised name) are utime and stime, in clock ticks of 1/100 s.
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
      const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : Number.NaN;
    },
  };
}
