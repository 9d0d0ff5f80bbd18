/*
 * `npm run seed`: replaces users, products and orders with the demo data, in the database the
 * shop itself would use (MONGODB_URI, or the embedded one under DATA_DIR). With the embedded
 * database, stop the shop first: two processes must not write the same data directory.
 * In production the demo passwords are generated, and this is the only place they are shown.
 */
import { environmentFromFlags, loadConfig, processEnvironment, shopFlags, shopFlagsHelp } from '../config.ts';
import { readCommandLine } from '../lib/command-line.ts';
import { logger } from '../lib/logger.ts';
import { connectDatabase, disconnectDatabase } from '../models/db.ts';
import { loginList, seed } from '../models/seed.ts';
import { startDatabase } from '../server.ts';

// The same database the shop would open, without the shop: it would seed an empty one itself first.
const usage = `usage: npm run seed -- [flags]: resets users, products and orders to the demo data\n${shopFlagsHelp}`;
const config = loadConfig({ ...processEnvironment(), ...readCommandLine(process.argv.slice(2), shopFlags, usage, environmentFromFlags) });
const database = await startDatabase(config);
try {
  await connectDatabase(database.uri);
  const logins = await seed({ bcryptRounds: config.bcryptRounds, generatePasswords: config.isProduction });
  logger.info(`Seeded the ${database.kind} database. Log in as ${loginList(logins)}.`);
} finally {
  await disconnectDatabase();
  await database.stop();
}
