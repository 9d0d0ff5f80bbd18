import { readCommandLine, UsageError } from '../lib/command-line.ts';
import { logger } from '../lib/logger.ts';
import { join } from 'node:path';
import { URI_FILE } from './credentials.ts';
import { HOST, startEmbeddedMongo } from './index.ts';

const USAGE = `usage: npm run db -- [--port <0-65535>] [--data <dir>] [--ttl-interval <ms>]
  --port           TCP port on 127.0.0.1 (default 27017, 0 = any free port)
  --data           directory for durable data and the credentials (default: in memory only)
  --ttl-interval   how often expired TTL documents are deleted, in ms (default 60000)`;

function integerOption(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max) throw new UsageError(`--${name} must be an integer from 0 to ${max}, got '${value}'`);
  return number;
}

const flags = { port: { type: 'string' }, data: { type: 'string' }, 'ttl-interval': { type: 'string' } } as const;
const options = readCommandLine(process.argv.slice(2), flags, USAGE, (values) => ({
  port: integerOption(values.port, 'port', 27017, 65535),
  dataDir: values.data,
  ttlIntervalMs: integerOption(values['ttl-interval'], 'ttl-interval', 60_000, 2 ** 31 - 1) || 60_000,
}));
const server = await startEmbeddedMongo(options);
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
        logger.error({ err: error }, 'embedded mongo: shutdown failed');
        process.exit(1);
      },
    );
  });
}
