#!/usr/bin/env -S node --import tsx
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { URI_FILE } from './credentials.ts';
import { HOST, startEmbeddedMongo } from './index.ts';
import { lineLogger } from './log.ts';

const USAGE = `usage: npm run db -- [--port <0-65535>] [--data <dir>] [--ttl-interval <ms>]
  --port           TCP port on 127.0.0.1 (default 27017, 0 = any free port)
  --data           directory for durable data and the credentials (default: in memory only)
  --ttl-interval   how often expired TTL documents are deleted, in ms (default 60000)`;

/** What the command line got wrong: named on stderr with the usage, and the exit code is 2. */
class UsageError extends Error {}

function integerOption(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max) throw new UsageError(`--${name} must be an integer from 0 to ${max}, got '${value}'`);
  return number;
}

function readOptions(args: string[]) {
  let values;
  try {
    values = parseArgs({
      args,
      options: { port: { type: 'string' }, data: { type: 'string' }, 'ttl-interval': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    // Node's first sentence names the flag; the rest is about positional arguments, which this command takes none of.
    throw new UsageError((error as Error).message.split('. ')[0]);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    port: integerOption(values.port, 'port', 27017, 65535),
    dataDir: values.data,
    ttlIntervalMs: integerOption(values['ttl-interval'], 'ttl-interval', 60_000, 2 ** 31 - 1) || 60_000,
  };
}

let options;
try {
  options = readOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
// Everything it logs, readable, on stdout.
const logger = lineLogger((line) => void process.stdout.write(line), 'info');
const server = await startEmbeddedMongo({ ...options, logger });
if (options.dataDir) {
  // The password stays in the data directory (only its owner can read it), not in a log.
  const uriFile = join(options.dataDir, URI_FILE);
  logger.info(`embedded MongoDB listening on ${HOST}:${server.port} (data in ${options.dataDir}); its URI, with the password: ${uriFile} (mongosh "$(cat ${uriFile})shop")`);
} else {
  logger.info(`embedded MongoDB listening at ${server.uri} (in memory; the password is made up for this run)`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.stop().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error(`embedded mongo: shutdown failed: ${error.stack ?? error.message}`);
        process.exit(1);
      },
    );
  });
}
