/*
 * For the tests and benchmarks of code that uses the database (`embedded-mongo/testing`): a test
 * database per suite (or the server MONGODB_URI names), the standalone server as a child process, and
 * the deterministic random numbers the fuzz tests draw their cases from, and the one polling helper.
 */
export * from './database.ts';
export * from './cli-process.ts';
export * from './seeded-random.ts';
export * from './wait-until.ts';
