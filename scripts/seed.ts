/*
 * `npm run seed`: replaces users, products and orders with the demo data, in the database the
 * shop itself would use (MONGODB_URI, or the embedded one under DATA_DIR). With the embedded
 * database, stop the shop first: two processes must not write the same data directory.
 * In production the demo passwords are generated, and this is the only place they are shown.
 */
import { environmentFromFlags, loadConfig, processEnvironment } from '../config.ts';
import { connectDatabase, disconnectDatabase } from '../models/db.ts';
import { loginList, seed } from '../models/seed.ts';
import { startDatabase } from '../server.ts';

// The same database the shop would open, without the shop: it would seed an empty one itself first.
const config = loadConfig({ ...processEnvironment(), ...environmentFromFlags(process.argv.slice(2)) });
const database = await startDatabase(config);
try {
  await connectDatabase(database.uri);
  const logins = await seed({ bcryptRounds: config.bcryptRounds, generatePasswords: config.isProduction });
  console.log(`Seeded the ${database.kind} database. Log in as ${loginList(logins)}.`);
} finally {
  await disconnectDatabase();
  await database.stop();
}
