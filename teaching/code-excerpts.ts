import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The lines of the app each lesson is about, cut from the app's own source between
 * `// lesson:<slug>:start` and `// lesson:<slug>:end`, so what a lesson shows is what runs.
 */
export interface CodeExcerpt {
  /** Relative to the app's folder, with forward slashes. */
  file: string;
  firstLine: number;
  lastLine: number;
  code: string;
}

const appRoot = fileURLToPath(new URL('..', import.meta.url));
// Only the app's own code: not the tests, the tools, or the embedded database.
const notTheApp = new Set(['node_modules', '.git', 'packages', 'test', 'e2e', 'bench', 'testing', 'scripts', 'public', 'views', 'docs']);
const markerPattern = /^\s*\/\/ lesson:([a-z0-9-]+):(start|end)\s*$/;

let cached: Promise<ReadonlyMap<string, CodeExcerpt[]>> | undefined;

/** Read once per process: the source does not change under a running server. */
export function codeExcerpts(): Promise<ReadonlyMap<string, CodeExcerpt[]>> {
  return (cached ??= readCodeExcerpts(appRoot));
}

export async function readCodeExcerpts(root: string): Promise<Map<string, CodeExcerpt[]>> {
  const excerpts = new Map<string, CodeExcerpt[]>();
  for (const file of (await sourceFiles(root, '')).sort()) {
    for (const [slug, excerpt] of excerptsIn(file, await readFile(join(root, file), 'utf8'))) {
      excerpts.set(slug, [...(excerpts.get(slug) ?? []), excerpt]);
    }
  }
  return excerpts;
}

async function sourceFiles(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) return notTheApp.has(entry.name) ? [] : sourceFiles(root, path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
    }),
  );
  return nested.flat();
}

function excerptsIn(file: string, source: string): [string, CodeExcerpt][] {
  const lines = source.split('\n');
  const found: [string, CodeExcerpt][] = [];
  const open = new Map<string, number>(); // slug → index of its start marker
  lines.forEach((line, index) => {
    const [, slug, edge] = markerPattern.exec(line) ?? [];
    if (slug === undefined) return;
    const start = open.get(slug);
    if (edge === 'start') {
      if (start !== undefined) throw new Error(`${file}:${index + 1}: lesson:${slug} starts again before it ends.`);
      open.set(slug, index);
      return;
    }
    if (start === undefined) throw new Error(`${file}:${index + 1}: lesson:${slug} ends without a start.`);
    open.delete(slug);
    const body = lines.slice(start + 1, index).filter((text) => !markerPattern.test(text));
    found.push([slug, { file, firstLine: start + 2, lastLine: index, code: dedent(body).join('\n') }]);
  });
  const [unclosed] = open;
  if (unclosed) throw new Error(`${file}:${unclosed[1] + 1}: lesson:${unclosed[0]} never ends.`);
  return found;
}

/** Without the indentation all the lines share, so an excerpt from deep inside a function reads flat. */
function dedent(lines: string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return lines.map((line) => line.slice(common));
}
