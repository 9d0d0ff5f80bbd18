import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { becomeStudent } from '../support/lessons.ts';

const shop = appPerSuite({ authMode: 'session', instructorToken: 'class-view-token' });

interface ClassProgress {
  students: { name: string; lessons: { done: boolean; doneAt: string | null; doneCount: number; steps: { id: string; doneAt: string | null }[] }[] }[];
}

/** Posts a form with the CSRF token of the lessons page, where these forms are. */
function submit(browser: Browser, path: string, fields: Record<string, string>) {
  return browser.submit(path, fields, '/lessons');
}

async function instructor() {
  const browser = shop().newBrowser();
  await submit(browser, '/instructor/token', { token: 'class-view-token' });
  return browser;
}

describe("the instructor's class view", () => {
  test('when a visitor has no instructor token, then the class view and its data answer 403', async () => {
    const visitor = await becomeStudent(shop().newBrowser());
    assert.equal((await visitor.get('/instructor/class')).status, 403);
    assert.equal((await visitor.get('/instructor/class/progress')).status, 403);
  });

  test('when two students progress, one with a chosen name, then the grid lists both with the lessons each finished and when', async () => {
    const ada = await becomeStudent(shop().newBrowser());
    await submit(ada, '/lessons/display-name', { displayName: 'Ada Lovelace' });
    await submit(ada, '/lessons/not-by-ip-address/answer', { answer: 'shared-address' });
    const unnamed = await becomeStudent(shop().newBrowser());
    await submit(unnamed, '/lessons/not-by-ip-address/answer', { answer: 'too-slow' });
    await submit(unnamed, '/lessons/cookie-attributes', { name: 'x', value: '1', path: '/', sameSite: 'lax', maxAge: '', httpOnly: 'on' });
    await unnamed.get('/');

    const panel = await instructor();
    assert.equal((await panel.get('/instructor/class')).status, 200);
    const { students } = (await panel.get('/instructor/class/progress')).json<ClassProgress>();
    const adaRow = students.find(({ name }) => name === 'Ada Lovelace');
    assert.ok(adaRow, 'Ada is listed by her name');
    assert.equal(adaRow.lessons[3]?.done, true);
    assert.ok(Date.now() - Date.parse(adaRow.lessons[3]?.doneAt ?? '') < 60_000, 'with the time she finished lesson 4');
    const other = students.find(({ name }) => /^student [0-9a-f]{8}$/.test(name));
    assert.ok(other, 'a student without a name shows as a short code');
    assert.deepEqual(other.lessons.map(({ doneCount }) => doneCount), [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert.deepEqual(other.lessons[6]?.steps.map(({ id, doneAt }) => [id, doneAt !== null]), [['httponly-cookie', true], ['expired-cookie', false]]);
  });

  test('when a student picks a name that is too long or has markup, then it is refused and they keep their code', async () => {
    const student = await becomeStudent(shop().newBrowser());
    for (const displayName of ['x'.repeat(41), '<script>alert(1)</script>']) {
      await submit(student, '/lessons/display-name', { displayName });
      assert.match((await student.get('/lessons')).text, /A name has at most 40 letters, digits, spaces/);
    }
    const { students } = (await (await instructor()).get('/instructor/class/progress')).json<ClassProgress>();
    assert.ok(!students.some(({ name }) => name.includes('<') || name.length > 40));
  });
});
