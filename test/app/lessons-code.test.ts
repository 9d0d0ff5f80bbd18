import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { lessons } from '../../teaching/lesson-catalog.ts';
import { readCodeExcerpts } from '../../teaching/code-excerpts.ts';
import { appPerSuite } from '../support/app.ts';

const shop = appPerSuite({ authMode: 'session' });
const appFolder = new URL('../../', import.meta.url);

/** Each excerpt a lesson page shows: the file and line range it names, and its code as text. */
function shownExcerpts(html: string) {
  const pattern = /<figcaption><code>([^<]+)<\/code>, lines (\d+)–(\d+)<\/figcaption>\s*<pre[^>]*><code>([\s\S]*?)<\/code><\/pre>/g;
  return [...html.matchAll(pattern)].map(([, file = '', first = '', last = '', code = '']) => ({
    file,
    lines: [Number(first), Number(last)] as const,
    code: code.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&'),
  }));
}

const trimmed = (text: string) => text.split('\n').map((line) => line.trim());

describe('the real code: each lesson shows the lines of this app it is about', () => {
  test('when a student opens any lesson, then it shows at least one excerpt, and each is exactly those lines of the named file', async () => {
    for (const lesson of lessons) {
      const page = await shop().browser.get(`/lessons/${lesson.slug}`);
      const excerpts = shownExcerpts(page.text);
      assert.ok(excerpts.length > 0, `lesson ${lesson.slug} shows no code`);
      for (const { file, lines, code } of excerpts) {
        const source = (await readFile(new URL(file, appFolder), 'utf8')).split('\n');
        assert.deepEqual(trimmed(code), trimmed(source.slice(lines[0] - 1, lines[1]).join('\n')), `${lesson.slug}: ${file}`);
      }
    }
  });

  test('when a student opens the sessions lesson, then it shows the express-session setup and the line that logs in', async () => {
    const page = await shop().browser.get('/lessons/sessions');
    const code = shownExcerpts(page.text).map(({ code }) => code).join('\n');
    assert.match(code, /saveUninitialized: false/);
    assert.match(code, /req\.session\.isLoggedIn = true;/);
  });
});

describe('the proof: each lesson about a way of remembering a login names the browser test that plays it', () => {
  test('when a student opens such a lesson, then it shows the spec, a file of this project, and the command that runs only its stories', async () => {
    const withSpec = lessons.flatMap(({ slug, number, spec }) => (spec ? [{ slug, number, ...spec }] : []));
    assert.deepEqual(withSpec.map(({ number }) => number), [1, 2, 3, 5, 6, 10]);
    for (const { slug, file, grep } of withSpec) {
      const page = await shop().browser.get(`/lessons/${slug}`);
      assert.ok(page.text.includes(`<code class="lesson-spec__file">${file}</code>`), `${slug} does not show ${file}`);
      assert.ok(page.text.includes(`npm run test:login -- --headed --grep "${grep}"`), `${slug} does not show its command`);
      assert.ok(existsSync(new URL(file, appFolder)), `${slug} names ${file}, which does not exist`);
      const source = await readFile(new URL(file, appFolder), 'utf8');
      const describeTitle = new RegExp(`test\\.describe\\(['\`][^'\`]*${grep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['\`]`);
      assert.match(source, describeTitle, `no describe in ${file} is titled "${grep}"`);
    }
  });

  test('when a student opens a lesson with no browser test of its own, then it names none', async () => {
    const page = await shop().browser.get('/lessons/not-by-ip-address');
    assert.doesNotMatch(page.text, /lesson-spec/);
  });
});

describe('reading excerpts from source', () => {
  const withSource = async (source: string, check: (folder: string) => Promise<void>) => {
    const folder = await mkdtemp(join(tmpdir(), 'excerpts-'));
    try {
      await mkdir(join(folder, 'middleware'));
      await writeFile(join(folder, 'middleware', 'mode.ts'), source);
      await check(folder);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };

  test('when the source changes, then the excerpt read from it changes too', async () => {
    const before = ['function a() {', '  // lesson:demo:start', '  return 1;', '  // lesson:demo:end', '}'].join('\n');
    await withSource(before, async (folder) => {
      assert.deepEqual((await readCodeExcerpts(folder)).get('demo'), [{ file: 'middleware/mode.ts', firstLine: 3, lastLine: 3, code: 'return 1;' }]);
      await writeFile(join(folder, 'middleware', 'mode.ts'), before.replace('return 1;', 'return 2;'));
      assert.equal((await readCodeExcerpts(folder)).get('demo')?.[0]?.code, 'return 2;');
    });
  });

  test('when a marker is never closed, then reading fails with the file and line', async () => {
    await withSource('// lesson:demo:start\nconst x = 1;\n', async (folder) => {
      await assert.rejects(readCodeExcerpts(folder), /middleware\/mode\.ts:1: lesson:demo never ends/);
    });
  });
});
