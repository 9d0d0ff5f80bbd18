import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/*
 * The layout's rules, read from the imports of every source file: the shop never imports the
 * lessons (only app.ts mounts them), the database package imports nothing of the shop, and no
 * module reaches itself through its imports. A file added later is checked without editing this test.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const notSource = new Set(['node_modules', '.git', '.ci', '.data', 'test-results', 'playwright-report']);
// `import … from`, `export … from`, `import './x.ts'` and `import('./x.ts')`.
const importPattern = /^\s*(?:import|export)\b[^'";]*?['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) return notSource.has(entry.name) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each source file and the files it imports, as paths from the repository's root. */
const imports = new Map(
  sourceFiles('').map((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = [...text.matchAll(importPattern)].map((match) => normalize(join(dirname(file), match[1] ?? match[2] ?? '')));
    return [file, targets] as const;
  }),
);

const isTest = (file: string) => /^(test|e2e)\//.test(file);

test('when a shop file imports, then it never imports the lessons: only app.ts mounts teaching/', () => {
  const offenders = [...imports].flatMap(([file, targets]) =>
    !file.startsWith('teaching/') && file !== 'app.ts' && !isTest(file) ? targets.filter((target) => target.startsWith('teaching/')).map((target) => `${file} → ${target}`) : [],
  );
  assert.deepEqual(offenders, []);
});

test('when the database package imports, then only from inside the package', () => {
  const offenders = [...imports].flatMap(([file, targets]) =>
    file.startsWith('packages/embedded-mongo/') ? targets.filter((target) => !target.startsWith('packages/embedded-mongo/')).map((target) => `${file} → ${target}`) : [],
  );
  assert.deepEqual(offenders, []);
  assert.ok(imports.has('packages/embedded-mongo/src/server.ts'), 'the package is among the files read');
});

test('when the modules import each other, then no module reaches itself again (no circles)', () => {
  const circles: string[] = [];
  const finished = new Set<string>();
  const visit = (file: string, path: string[]) => {
    if (finished.has(file)) return;
    const seen = path.indexOf(file);
    if (seen !== -1) {
      circles.push([...path.slice(seen), file].join(' → '));
      return;
    }
    for (const target of imports.get(file) ?? []) visit(target, [...path, file]);
    finished.add(file);
  };
  for (const file of imports.keys()) visit(file, []);
  assert.deepEqual(circles, []);
});
