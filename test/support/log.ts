import type { LogLevel } from '../../config.ts';
import { configureLogging, initialLogSettings } from '../../lib/logger.ts';

export interface CapturedLog {
  /** Every line logged since the capture began, as its JSON object. */
  entries(): Record<string, unknown>[];
  /** Their messages. */
  messages(): string[];
  /** The process logs as it did at start again. */
  stop(): void;
}

/** Sends this process's log (JSON, `logLevel` and up) to memory instead of stdout, until `stop`. */
export function captureLog(logLevel: LogLevel = 'info'): CapturedLog {
  const lines: string[] = [];
  configureLogging({ logLevel, nodeEnv: 'test', write: (line) => lines.push(line) });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    entries,
    messages: () => entries().map(({ msg }) => String(msg)),
    stop: () => configureLogging(initialLogSettings),
  };
}
