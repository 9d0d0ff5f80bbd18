import { parseArgs } from 'node:util';

/** A flag the command does not know, or one without its value: the message names it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Flags = Readonly<Record<string, { type: 'string' }>>;
export type FlagValues<F extends Flags> = { [name in keyof F]?: string };

/** The flags' values (node:util parseArgs, strict) and whether `--help` was asked; a UsageError names a flag it cannot take. */
export function parseFlags<F extends Flags>(args: readonly string[], flags: F): { values: FlagValues<F>; help: boolean } {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...flags, help: { type: 'boolean' } }, strict: true }).values;
    const { help, ...values } = parsed as Record<string, string | boolean | undefined>;
    return { values: values as FlagValues<F>, help: help === true };
  } catch (error) {
    // Node's first sentence names the flag; the rest is about positional arguments, which no command here takes.
    throw new UsageError((error as Error).message.split('. ')[0]);
  }
}

/**
 * For a command's entry point: `--help` prints `usage` and exits 0. A flag it cannot take, or a
 * value `read` rejects with a UsageError, is named on stderr with the usage, and the exit code is 2.
 */
export function readCommandLine<F extends Flags, T>(args: readonly string[], flags: F, usage: string, read: (values: FlagValues<F>) => T): T {
  try {
    const { values, help } = parseFlags(args, flags);
    if (help) {
      console.log(usage);
      process.exit(0);
    }
    return read(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
}
