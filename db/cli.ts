import { parseArgs } from 'node:util';
import { logger } from '../lib/logger.ts';
import { startEmbeddedMongo } from './index.ts';

const USAGE = `usage: npm run db -- [--port <0-65535>] [--data <dir>] [--ttl-interval <ms>]
  --port           TCP port on 127.0.0.1 (default 27017, 0 = any free port)
  --data           directory for durable data (default: in memory only)
  --ttl-interval   how often expired TTL documents are deleted, in ms (default 60000)`;

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function integerOption(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max) usageError(`--${name} must be an integer from 0 to ${max}, got '${value}'`);
  return number;
}

function parse() {
  try {
    return parseArgs({
      options: { port: { type: 'string' }, data: { type: 'string' }, 'ttl-interval': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return usageError((error as Error).message);
  }
}

const args = parse();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const server = await startEmbeddedMongo({
  port: integerOption(args.port, 'port', 27017, 65535),
  dataDir: args.data,
  ttlIntervalMs: integerOption(args['ttl-interval'], 'ttl-interval', 60_000, 2 ** 31 - 1) || 60_000,
});
logger.info(`embedded MongoDB listening at ${server.uri}${args.data ? ` (data in ${args.data})` : ' (in memory)'}`);

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
