import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { lessons } from '../../teaching/lesson-catalog.ts';
import { LessonProgress } from '../../teaching/models/lesson-progress.ts';
import { appPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { becomeStudent, completedSteps } from '../support/lessons.ts';

const shop = appPerSuite({ authMode: 'session', instructorToken: 'class-view-token' });

interface Student {
  key: string;
  name: string;
  code: string | null;
  group: 'recent' | 'rest' | 'archived';
  activeAt: string | null;
  currentLesson: { number: number; title: string; mode: string | null; modeSuits: boolean } | null;
  lessons: { done: boolean; doneAt: string | null; doneCount: number; steps: { id: string; doneAt: string | null }[] }[];
}

interface ClassProgress {
  students: Student[];
  archived: Student[];
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

async function classProgress(panel: Browser, { archived = false } = {}): Promise<ClassProgress> {
  return (await panel.get(`/instructor/class/progress${archived ? '?archived=1' : ''}`)).json<ClassProgress>();
}

/** A student who chose `name` and opened lesson 4. */
async function namedStudent(name: string): Promise<Browser> {
  const student = await becomeStudent(shop().newBrowser());
  await submit(student, '/lessons/display-name', { displayName: name });
  await student.get('/lessons/not-by-ip-address');
  return student;
}

/** One of the class view's own forms, with the token of the class view page. */
function classAction(panel: Browser, action: 'archive' | 'restore' | 'remove', student: string) {
  return panel.submit(`/instructor/class/${action}`, { student }, '/instructor/class');
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

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

  test('when two students choose the same name, then each shows a short code of their own, and a student with a name of their own shows none', async () => {
    await namedStudent('Grace');
    await namedStudent('grace');
    await namedStudent('Grace Hopper');
    const { students } = await classProgress(await instructor());
    const graces = students.filter(({ name }) => name.toLowerCase() === 'grace');
    assert.equal(graces.length, 2);
    for (const grace of graces) assert.match(grace.code ?? '', /^[0-9a-f]{4}$/);
    assert.notEqual(graces[0]?.code, graces[1]?.code);
    assert.equal(students.find(({ name }) => name === 'Grace Hopper')?.code, null);
  });

  test('when the class view opens, then its columns are the lessons by title', async () => {
    const page = (await (await instructor()).get('/instructor/class')).text;
    for (const { number, title } of lessons) assert.ok(page.includes(`${number}. ${title}`.replaceAll("'", '&#39;')), `lesson ${number} by its title`);
  });

  test("when a student opens a lesson, then it is their current lesson, with whether the server's mode suits its task", async () => {
    const student = await namedStudent('Current Lesson');
    const panel = await instructor();
    const listed = async () => (await classProgress(panel)).students.find(({ name }) => name === 'Current Lesson')?.currentLesson;
    assert.deepEqual(await listed(), { number: 4, title: lessons[3]?.title, mode: null, modeSuits: true });
    await student.get('/lessons/cookies-live-in-the-browser');
    assert.deepEqual(await listed(), { number: 1, title: lessons[0]?.title, mode: 'cookie', modeSuits: false });
    await student.get('/lessons/sessions');
    assert.equal((await listed())?.modeSuits, true, 'lesson 5 needs session mode, which this server runs');
  });

  test('when some students were active in the last hours, then they come first by name, then the rest, the latest first', async () => {
    const record = (displayName: string, updatedAt: Date) => ({ _id: randomBytes(24).toString('base64url'), displayName, createdAt: updatedAt, updatedAt });
    await LessonProgress.insertMany(
      [record('order Zoe', hoursAgo(1)), record('order Bea', hoursAgo(2)), record('order Old', hoursAgo(30)), record('order Older', hoursAgo(50)), record('order Ann', hoursAgo(4))],
      { timestamps: false },
    );
    const { students } = await classProgress(await instructor());
    const ours = students.filter(({ name }) => name.startsWith('order '));
    assert.deepEqual(ours.map(({ name, group }) => [name, group]), [
      ['order Bea', 'recent'],
      ['order Zoe', 'recent'],
      ['order Ann', 'rest'],
      ['order Old', 'rest'],
      ['order Older', 'rest'],
    ]);
    assert.ok(students.findIndex(({ group }) => group === 'rest') > students.findLastIndex(({ group }) => group === 'recent'), 'every recent student before the rest');
  });

  test('when the instructor archives a student, then the row is hidden, listed among the archived on request, keeps its place when restored, and is not counted as activity', async () => {
    await namedStudent('Archie');
    const panel = await instructor();
    const archie = (await classProgress(panel)).students.find(({ name }) => name === 'Archie');
    assert.ok(archie);
    const archived = await classAction(panel, 'archive', archie.key);
    assert.equal(archived.status, 302);
    assert.match((await panel.get(archived.headers.location ?? '')).text, /Archie \([0-9a-f]{4}\) is archived/);
    assert.ok(!(await classProgress(panel)).students.some(({ key }) => key === archie.key), 'gone from the list');
    assert.ok(!(await classProgress(panel)).archived.some(({ key }) => key === archie.key), 'archived ones only when asked for');
    assert.equal((await classProgress(panel, { archived: true })).archived.find(({ key }) => key === archie.key)?.group, 'archived');

    assert.equal((await classAction(panel, 'restore', archie.key)).status, 302);
    const restored = (await classProgress(panel)).students.find(({ key }) => key === archie.key);
    assert.equal(restored?.group, 'recent');
    assert.equal(restored.activeAt, archie.activeAt, "the instructor's clicks are not the student's activity");
  });

  test('when the instructor removes a student, then their progress is gone and their browser starts anew', async () => {
    const student = await namedStudent('Remy');
    await submit(student, '/lessons/not-by-ip-address/answer', { answer: 'shared-address' });
    const panel = await instructor();
    const remy = (await classProgress(panel)).students.find(({ name }) => name === 'Remy');
    assert.ok(remy);
    const removed = await classAction(panel, 'remove', remy.key);
    assert.match((await panel.get(removed.headers.location ?? '')).text, /Remy \([0-9a-f]{4}\) is removed, with all their progress/);
    const { students, archived } = await classProgress(panel, { archived: true });
    assert.ok(![...students, ...archived].some(({ key }) => key === remy.key), 'listed nowhere');

    const lessonList = await student.get('/lessons');
    assert.equal(lessonList.status, 200);
    assert.doesNotMatch(lessonList.text, /value="Remy"/, 'the name is forgotten');
    assert.deepEqual(await completedSteps(student), []);
  });

  test('when a class view form names no listed student, or comes without its token, then nothing changes and the answer says why', async () => {
    await namedStudent('Kept');
    const panel = await instructor();
    const kept = (await classProgress(panel)).students.find(({ name }) => name === 'Kept');
    assert.ok(kept);
    for (const key of ['0000000000000000', 'not a key', '']) {
      const reply = await classAction(panel, 'remove', key);
      assert.match((await panel.get(reply.headers.location ?? '')).text, /That student is not in the class view \(any more\)\./);
    }
    assert.equal((await panel.post('/instructor/class/remove', { student: kept.key })).status, 403);
    assert.equal((await (await becomeStudent(shop().newBrowser())).submit('/instructor/class/remove', { student: kept.key }, '/lessons')).status, 403);
    assert.ok((await classProgress(panel)).students.some(({ key }) => key === kept.key), 'still listed');
  });
});
