/*
 * How a new process or worker thread runs this repository's TypeScript. Node 22.18+ and 24 strip the
 * types by themselves (`process.features.typescript`), which starts a process about 0.2 s of CPU
 * sooner than loading tsx first; Node 20 and early 22 still need tsx.
 */
export const nodeStripsTypes = Boolean((process.features as { typescript?: string | false }).typescript);

/** The flags that let `node` run a `.ts` entry point: none where Node strips types itself, `--import tsx` elsewhere. */
export const typescriptExecArgv: readonly string[] = nodeStripsTypes ? [] : ['--import', 'tsx'];
