import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startScript, type Readiness } from '../../test/support/child-process.ts';

const answerTimeoutMs = 30_000;

/** What a process uses, read from outside it. */
export interface ProcessUsage {
  /** Resident set size in bytes. */
  rss(): Promise<number>;
  /** CPU time (user + system) used so far, in seconds; NaN where /proc is missing (macOS). */
  cpuSeconds(): Promise<number>;
}

export interface NodeProcess extends ProcessUsage {
  /** Sends `signal` and resolves with the first capture group of the line it answers with. */
  ask(signal: NodeJS.Signals, answerLine: RegExp): Promise<string>;
  /** SIGTERM (a clean shutdown), SIGKILL if that takes too long. */
  stop(): Promise<void>;
}

/** Runs `script` as its own process and resolves once `readyWhen` answers. */
export async function startNodeProcess(script: string, args: string[], env: Record<string, string>, readyWhen: Readiness): Promise<NodeProcess> {
  const server = await startScript(script, args, {
    // Only what we set, so a MONGODB_URI in the caller's shell cannot change the configuration.
    env: { PATH: process.env.PATH ?? '', ...env },
    readyWhen,
    // Seeding hashes the demo passwords: at bcrypt cost 12 on a busy machine that takes seconds.
    timeoutMs: 60_000,
  });
  return {
    ...processUsage(server.child.pid!),
    ask(signal, answerLine) {
      const answer = server.waitFor(answerLine, answerTimeoutMs);
      server.child.kill(signal);
      return answer;
    },
    stop: () => server.stop(),
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
