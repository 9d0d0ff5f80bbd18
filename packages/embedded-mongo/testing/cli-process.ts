import { freePort, spawnScript, type ScriptExit } from '../../testing/child-process.ts';
import { embeddedMongoUri } from '../credentials.ts';

/*
 * The standalone server (`db/cli.ts`, what `npm run db` runs) as a child process, for the tests
 * and benchmarks that need it in a process of its own: to kill it mid-write, or to measure it.
 */

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

/** Runs the CLI with these arguments, as they would follow `npm run db --`; it is up once its `--port` accepts connections. */
export function spawnDatabaseCli(args: readonly string[]): DatabaseCli {
  const portFlag = args.indexOf('--port');
  const port = portFlag === -1 ? 27017 : Number(args[portFlag + 1]);
  const dataFlag = args.indexOf('--data');
  const cli = spawnScript('db/cli.ts', args, { readyWhen: { tcp: port } });
  // With a data directory the credentials are in it (written before the port opens); in memory, the CLI logs its URI.
  const listening = cli.ready.then(() => {
    if (dataFlag !== -1) return embeddedMongoUri(args[dataFlag + 1]!, port);
    const logged = /mongodb:\/\/[^\s"]+/.exec(cli.output())?.[0];
    if (!logged) throw new Error(`the database CLI logged no URI: ${cli.output()}`);
    return logged;
  });
  listening.catch(() => {}); // a caller that only waits for the exit (a usage error) need not handle it
  return {
    pid: cli.child.pid!,
    listening,
    exited: cli.exited,
    stderr: cli.stderr,
    output: cli.output,
    async kill(signal) {
      await cli.stop(signal);
      return cli.exited;
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
