import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

/** The variables config.ts reads: every one goes through a reader called with (env, 'NAME'). */
function variablesConfigReads(): string[] {
  return [...readFileSync('config.ts', 'utf8').matchAll(/\(env, '([A-Z][A-Z0-9_]*)'/g)].map(([, name = '']) => name);
}

test('when config.ts reads a variable, then .env.example lists it with its default, and lists nothing else', () => {
  const listed = [...readFileSync('.env.example', 'utf8').matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map(([, name = '']) => name);
  assert.deepEqual([...new Set(listed)].sort(), [...new Set(variablesConfigReads())].sort());
});

test('when .env.example lists a variable, then the README documents it in its settings table', () => {
  const readme = readFileSync('README.md', 'utf8');
  for (const name of variablesConfigReads()) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), name);
});
