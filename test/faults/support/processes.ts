import { createServer } from 'node:net';
import { startScript } from '../../../testing/child-process.ts';

export interface RunningProcess {
  /** The first match of the start pattern's group. */
  address: string;
  /** The lines the process printed, stdout and stderr. */
  output(): string;
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
  return startProcess('db/cli.ts', ['--port', String(port), '--data', dataDir], {}, /embedded MongoDB listening at (mongodb:\/\/\S+)/);
}

/** The shop (`server.ts`) as its own process, configured by `env`; `address` is its URL. */
export async function startShopProcess(env: Record<string, string>): Promise<RunningProcess> {
  // Every test client signs up from 127.0.0.1: the per-address limit would stop a long run.
  // LOG_LEVEL info: the start is known from the log line, which NODE_ENV=test alone keeps silent.
  const defaults = { BCRYPT_ROUNDS: '4', PORT: '0', SIGNUP_MAX_PER_ADDRESS: '1000', LOG_LEVEL: 'info' };
  return startProcess('server.ts', [], { ...defaults, ...env }, /Shop listening on (http:\/\/localhost:\d+)/);
}

async function startProcess(script: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<RunningProcess> {
  const started = await startScript(script, args, { env: { ...process.env, ...env }, ready });
  return {
    address: started.match,
    output: started.output,
    exited: () => !started.running(),
    stop: () => started.stop(),
    kill: () => started.stop('SIGKILL'),
  };
}

/** Polls `check` until it returns true, failing after `timeoutMs`: for waits that are timing by nature. */
export async function eventually(description: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
