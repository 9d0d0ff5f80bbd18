import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { runDatabase } from './database.ts';
import { setLogger, type LogLevel } from './log.ts';
import type { DatabaseOptions, FromWorker } from './options.ts';

/*
 * The embedded server's own thread: whatever a query costs, the event loop of the process that
 * started it (the shop) keeps answering. Messages: we post {port, credentials} or {error} once, then
 * {stopped: true} after a 'stop' request, and end the thread; every log line goes to the starting
 * thread's logger as {log}.
 */

// Every pattern a client sends matches with RE2 (patterns.ts); this is for the regular expressions
// mingo builds of its own, should one backtrack catastrophically. The flag is process-wide and only
// changes which engine V8 uses, never what a pattern matches.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const port = parentPort!;
const options = workerData as DatabaseOptions;
const forward = (level: LogLevel) => (message: string) => port.postMessage({ log: { level, message } } satisfies FromWorker);
setLogger({ error: forward('error'), warn: forward('warn'), info: forward('info'), debug: forward('debug') });
try {
  const database = await runDatabase(options);
  port.once('message', () => {
    void database.stop().then(
      () => port.postMessage({ stopped: true } satisfies FromWorker),
      (error: Error) => port.postMessage({ error: { message: error.message } } satisfies FromWorker),
    ).finally(() => port.close());
  });
  port.postMessage({ port: database.port, credentials: database.credentials } satisfies FromWorker);
} catch (error) {
  const { message, code } = error as NodeJS.ErrnoException;
  port.postMessage({ error: { message, code } } satisfies FromWorker);
  port.close();
}
