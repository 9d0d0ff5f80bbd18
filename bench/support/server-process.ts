import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  uri: string;
  /** Everything the server wrote to stderr so far (warnings about a damaged journal land here). */
  stderr(): string;
  /** Sends the signal and waits until the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Runs the standalone embedded server (`db/cli.ts`) as its own process, the way
 * `npm run db` does, on a free port, and resolves once it prints its URI.
 */
export async function startServerProcess(options: { dataDir?: string } = {}): Promise<ServerProcess> {
  const args = ['--import', 'tsx', 'db/cli.ts', '--port', '0'];
  if (options.dataDir) args.push('--data', options.dataDir);
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');

  const uri = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) => fail(`exited during startup (code ${code}, signal ${signal})`);
    const onOutput = () => {
      const match = /mongodb:\/\/\S+\//.exec(stdout);
      if (!match) return;
      settle();
      resolve(match[0]);
    };
    const fail = (why: string) => {
      settle();
      child.kill('SIGKILL');
      reject(new Error(`embedded server ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed no URI within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout.off('data', onOutput);
    };
    child.on('exit', onExit);
    child.stdout.on('data', onOutput);
  });

  return {
    uri,
    stderr: () => stderr,
    async kill(signal) {
      if (!isRunning(child)) return;
      child.kill(signal);
      await exited;
    },
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
