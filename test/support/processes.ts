import { embeddedMongoUri } from 'embedded-mongo';
import { freePort, startScript, type Readiness } from './child-process.ts';

export interface RunningProcess {
  /** Where it answers: the shop's URL, or the database's URI with its credentials (append a database name). */
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

/** The embedded MongoDB-compatible server, standalone, on a fixed port and data directory. */
export async function startStandaloneDatabase(port: number, dataDir: string): Promise<RunningProcess> {
  return startProcess('packages/embedded-mongo/src/cli.ts', ['--port', String(port), '--data', dataDir], {}, { tcp: port }, await embeddedMongoUri(dataDir, port));
}

/** The shop (`server.ts`) as its own process, configured by `env`, on PORT or a free port; `address` is its URL. */
export async function startShopProcess(env: Record<string, string>): Promise<RunningProcess> {
  const port = env.PORT ?? String(await freePort());
  const url = `http://localhost:${port}`;
  // Every test client signs up from 127.0.0.1: the per-address limit would stop a long run.
  const settings = { BCRYPT_ROUNDS: '4', SIGNUP_MAX_PER_ADDRESS: '1000', ...env, PORT: port };
  return startProcess('server.ts', [], settings, { http: `${url}/healthz` }, url);
}

async function startProcess(script: string, args: string[], env: Record<string, string>, readyWhen: Readiness, address: string): Promise<RunningProcess> {
  const started = await startScript(script, args, { env: { ...process.env, ...env }, readyWhen });
  return {
    address,
    output: started.output,
    exited: () => !started.running(),
    stop: () => started.stop(),
    kill: () => started.stop('SIGKILL'),
  };
}
