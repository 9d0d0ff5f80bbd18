import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

/** The rows of the README's "Where the lecture lives": a link to file:line, and the code that line holds. */
function lectureRows(): { file: string; line: number; code: string }[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = /^## Where the lecture lives\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/\[([^\]:]+):(\d+)\]\(\1#L\2\) \| `([^`]+)`/g)].map(([, file = '', line = '', code = '']) => ({ file, line: Number(line), code }));
}

test('when the README points a student at a line of the lecture, then that line holds the code it quotes', () => {
  const rows = lectureRows();
  assert.ok(rows.length >= 6, `the lecture table lists its steps (found ${rows.length})`);
  for (const { file, line, code } of rows) {
    const text = readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
    assert.ok(text.includes(code), `${file}:${line} should hold ${code}, but holds: ${text.trim()}`);
  }
});
