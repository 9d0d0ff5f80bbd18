/*
 * `npm run seed`: replaces users, products and orders with the demo data, in the database the
 * shop itself would use (MONGODB_URI, or the embedded one under DATA_DIR). With the embedded
 * database, stop the shop first: two processes must not write the same data directory.
 */
import { environmentFromFlags, loadConfig, processEnvironment, shopFlags, shopFlagsHelp } from '../config.ts';
import { readCommandLine } from '../lib/command-line.ts';
import { logger } from '../lib/logger.ts';
import { loginList, seed } from '../models/seed.ts';
import { startServer } from '../server.ts';

// Starting the shop itself (on a spare port) opens exactly the database it would use;
// it needs no session store of its own, and seeding leaves the sessions alone.
const usage = `usage: npm run seed -- [flags]: resets users, products and orders to the demo data\n${shopFlagsHelp}`;
const config = loadConfig({
  ...processEnvironment(),
  ...readCommandLine(process.argv.slice(2), shopFlags, usage, environmentFromFlags),
  PORT: '0',
  SESSION_STORE: 'memory',
});
const server = await startServer(config);
try {
  const logins = await seed({ bcryptRounds: config.bcryptRounds, generatePasswords: config.isProduction });
  logger.info(`Seeded the ${server.database} database. Log in as ${loginList(logins)}.`);
} finally {
  await server.stop();
}
