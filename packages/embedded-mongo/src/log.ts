/*
 * The database logs through whatever logger it is given (the shop passes its pino logger): the
 * few methods below are all it needs. Its own thread (worker.ts) forwards each line to the thread
 * that started it, which hands it to that logger.
 */

/** Where the database's messages go: a pino or console logger fits, or anything with these methods. */
export interface DatabaseLogger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export type LogLevel = keyof DatabaseLogger;

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * One readable line per message, `21:04:05.123 warn  message` (the UTC time, as the shop's log
 * shows it in development), for levels up to `upTo`.
 */
export function lineLogger(write: (line: string) => void, upTo: LogLevel): DatabaseLogger {
  const shown = LEVELS.slice(0, LEVELS.indexOf(upTo) + 1);
  const at = (level: LogLevel) =>
    shown.includes(level) ? (message: string) => write(`${new Date().toISOString().slice(11, 23)} ${level.padEnd(5)} ${message}\n`) : () => {};
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** What startEmbeddedMongo logs to when given no logger: warnings and errors on stderr, nothing else. */
export const stderrLogger: DatabaseLogger = lineLogger((line) => void process.stderr.write(line), 'warn');

let current: DatabaseLogger = stderrLogger;

/** This thread's logger, which every part of the server logs through. */
export const log: DatabaseLogger = {
  error: (message) => current.error(message),
  warn: (message) => current.warn(message),
  info: (message) => current.info(message),
  debug: (message) => current.debug(message),
};

/** Sends this thread's log to `logger` from now on; returns the one it replaces. */
export function setLogger(logger: DatabaseLogger): DatabaseLogger {
  const previous = current;
  current = logger;
  return previous;
}
