import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, sep } from 'node:path';
import { typescriptExecArgv } from 'embedded-mongo';

/*
 * Node 20's test runner takes no glob patterns and finds no .ts files by itself, so this lists
 * the *.test.ts files under the given folders (default: test) and hands them to `node --test`.
 * Each file runs in a process of its own, one more at a time than there are cores: a file spends part
 * of its time waiting (for a server, a restart, a race's timer), and the extra one uses it (on 2 cores
 * and Node 24, 117 s instead of 136 s). The load suite measures the shop's throughput, so it runs last and alone.
 */
const folders = process.argv.slice(2);
const files = (folders.length ? folders : ['test'])
  .flatMap((folder) => readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((file) => join(folder, file)))
  .filter((file) => file.endsWith('.test.ts'))
  .sort();

if (files.length === 0) {
  console.error(`No *.test.ts files under ${folders.join(', ') || 'test'}.`);
  process.exit(1);
}

const runsAlone = (file: string) => file.startsWith(`test${sep}load${sep}`);
const batches = [
  { files: files.filter((file) => !runsAlone(file)), concurrency: availableParallelism() + 1 },
  { files: files.filter(runsAlone), concurrency: 1 },
].filter((batch) => batch.files.length > 0);

let failed = false;
for (const batch of batches) {
  const args = [...typescriptExecArgv, '--test', `--test-concurrency=${batch.concurrency}`, ...batch.files];
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
  failed ||= status !== 0;
}
process.exit(failed ? 1 : 0);
