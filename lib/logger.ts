import { pino, stdTimeFunctions, type Logger } from 'pino';
import type { LogLevel, NodeEnv } from '../config.ts';

export type { Logger };

/*
 * The one log of the process, app and embedded database alike: pino, one line per event, JSON for
 * log collectors, or readable text in development. Entry points configure it once at start.
 */

// Whatever a caller passes, these never reach a log: each one alone lets a reader act as someone.
const secretKeys = ['password', 'sessionId', 'sessionID', 'sid', 'cookie', 'csrfToken', '_csrf', 'token', 'secret'];
const secretPaths = [
  ...secretKeys.flatMap((key) => [key, `*.${key}`]),
  ...['cookie', '"set-cookie"', 'authorization'].flatMap((header) => [`headers[${header}]`, `*.headers[${header}]`]),
];

export interface LogSettings {
  logLevel: LogLevel;
  nodeEnv: NodeEnv;
  /** Where finished lines go: standard output unless a test wants them. */
  write?: (line: string) => void;
}

const toStdout = (line: string): void => void process.stdout.write(line);
const output = { readable: true, write: toStdout };

export const logger: Logger = pino(
  {
    level: 'info',
    redact: { paths: secretPaths, censor: '[redacted]' },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  { write: (line: string) => output.write(output.readable ? readable(line) : line) },
);

export function configureLogging({ logLevel, nodeEnv, write = toStdout }: LogSettings): void {
  logger.level = logLevel;
  output.readable = nodeEnv === 'development';
  output.write = write;
}

const sameForEveryLine = new Set(['pid', 'hostname']);

/** `10:04:05.123 info  session.created session=3f2a…`, and an error's stack below its line. */
function readable(json: string): string {
  const { time, level, msg, err, ...fields } = JSON.parse(json) as Record<string, unknown>;
  const line = [
    String(time).slice(11, 23),
    String(level).padEnd(5),
    ...(msg === undefined ? [] : [msg]),
    ...Object.entries(fields)
      .filter(([key]) => !sameForEveryLine.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`),
  ].join(' ');
  const stack = (err as { stack?: unknown } | undefined)?.stack;
  return `${line}${typeof stack === 'string' ? `\n${stack}` : ''}\n`;
}
