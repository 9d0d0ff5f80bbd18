import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Node 20's test runner takes no glob patterns and finds no .ts files by itself, so this lists
 * the *.test.ts files under the given folders (default: test) and hands them to `node --test`.
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
const { status } = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(status ?? 1);
