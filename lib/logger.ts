import type { LogLevel, NodeEnv } from '../config.ts';

export type LogFields = Readonly<Record<string, string | number | undefined>>;

/** One line per event: readable text in development, JSON everywhere else (for log collectors). */
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

type Level = Exclude<LogLevel, 'silent'>;

const rank: Readonly<Record<LogLevel, number>> = { info: 0, warn: 1, error: 2, silent: 3 };

const formats = {
  json: (time: Date, level: Level, event: string, fields: LogFields) =>
    JSON.stringify({ time: time.toISOString(), level, event, ...fields }),
  text: (time: Date, level: Level, event: string, fields: LogFields) =>
    [
      time.toISOString().slice(11, 23),
      level.padEnd(5),
      event,
      ...Object.entries(fields).filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${value}`),
    ].join(' '),
};

export interface LoggerOptions {
  logLevel: LogLevel;
  nodeEnv: NodeEnv;
  /** Where finished lines go; standard output unless a caller wants them elsewhere. */
  write?: (line: string) => void;
}

export function createLogger({ logLevel, nodeEnv, write = (line) => process.stdout.write(line) }: LoggerOptions): Logger {
  const format = formats[nodeEnv === 'development' ? 'text' : 'json'];
  const at = (level: Level) => (event: string, fields: LogFields = {}) => {
    if (rank[level] >= rank[logLevel]) write(`${format(new Date(), level, event, fields)}\n`);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
