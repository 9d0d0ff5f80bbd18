/*
 * For the tests and benchmarks of code that uses the database (`embedded-mongo/testing`): a test
 * database per suite (or the server MONGODB_URI names), and the standalone server as a child process.
 */
export * from './database.ts';
export * from './cli-process.ts';
