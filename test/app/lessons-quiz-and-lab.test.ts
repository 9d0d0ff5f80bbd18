import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';
import { becomeStudent, completedSteps, setLabCookie, stepHint } from '../support/lessons.ts';

const quizPage = '/lessons/not-by-ip-address';
const labPage = '/lessons/cookie-attributes';

const shop = appPerSuite({ authMode: 'session' });

function answerQuiz(student: Browser, answer: string) {
  return student.submit(`${quizPage}/answer`, { answer }, quizPage);
}

function labErrors(html: string): string[] {
  return [...html.matchAll(/<p class="form-control__error"[^>]*>([^<]*)<\/p>/g)].map(([, text = '']) => text);
}

describe('lesson 4: the IP address quiz', () => {
  test('when a student picks the shared address answer, then the quiz is done', async () => {
    const student = await becomeStudent(shop().newBrowser());
    const response = await answerQuiz(student, 'shared-address');
    assert.equal(response.status, 302);
    assert.deepEqual(await completedSteps(student), ['ip-quiz']);
  });

  test('when a student picks a wrong answer, then the page explains why and the quiz is not done', async () => {
    const student = await becomeStudent(shop().newBrowser());
    const answer = await answerQuiz(student, 'too-slow');
    // Issue 17: back at the form, not at the top of the task 800 px below the message.
    assert.equal(answer.location, `${quizPage}?answer=too-slow#quiz-result`);
    const page = await student.get(String(answer.location).replace(/#.*/, ''));
    const quiz = /<form class="quiz"[\s\S]*?<\/form>/.exec(page.text)?.[0] ?? '';
    assert.match(quiz, /id="quiz-result" role="alert" tabindex="-1">Not quite: the address comes with every connection/, 'the explanation is in the form');
    assert.match(quiz, /value="too-slow" required checked>/, 'the choice is kept');
    assert.doesNotMatch(page.text, /class="flash flash--error" role="alert">Not quite/, 'and not at the top of the page');
    assert.deepEqual(await completedSteps(student), []);
  });

  test('when the answer is missing or made up, then the page asks for one of the answers', async () => {
    const student = await becomeStudent(shop().newBrowser());
    for (const answer of ['', 'shared-address-please', '{"$ne":null}']) {
      const response = await answerQuiz(student, answer);
      assert.equal(response.status, 302);
      assert.match((await student.get(quizPage)).text, /Please choose one of the answers/);
    }
    assert.deepEqual(await completedSteps(student), []);
  });
});

describe('lesson 7: the cookie lab', () => {
  test('when a student sets an HttpOnly cookie, then the browser gets exactly those attributes and the next page it sends it to completes the step', async () => {
    const student = await becomeStudent(shop().newBrowser());
    const response = await setLabCookie(student, { name: 'secret', httpOnly: 'on', sameSite: 'strict', path: '/lessons' });
    const header = response.setCookies.find((cookie) => cookie.startsWith('lab_secret='));
    assert.equal(header, 'lab_secret=hello; Path=/lessons; HttpOnly; SameSite=Strict');
    assert.deepEqual(await completedSteps(student), [], 'the progress endpoint lies outside Path=/lessons');
    const page = await student.get(labPage);
    assert.match(page.text, /Yes: hello/);
    assert.deepEqual(await completedSteps(student), ['httponly-cookie']);
  });

  test('when a student sets an HttpOnly cookie for a path this page is not under, then the hint says to open that path, not to reload', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await setLabCookie(student, { name: 'elsewhere', httpOnly: 'on', path: '/products' });
    await student.get(labPage);
    assert.match((await stepHint(student, 'httponly-cookie')) ?? '', /only to pages under Path=\/products.*open \/products once/);
    await student.get('/products');
    assert.deepEqual(await completedSteps(student), ['httponly-cookie']);
  });

  test('when a student sets a cookie with Max-Age=1, then once the browser stops sending it the app says it expired', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await setLabCookie(student, { name: 'short', maxAge: '1' });
    await student.get(labPage); // sent while fresh
    assert.deepEqual(await completedSteps(student), []);
    // Expiry is a matter of time: wait for it, but not forever.
    for (let waited = 0; waited < 10_000 && !(await completedSteps(student)).includes('expired-cookie'); waited += 250) {
      await sleep(250);
    }
    assert.deepEqual(await completedSteps(student), ['expired-cookie']);
  });

  test('when a cookie with a Path elsewhere is set, then the lab page says it was not sent to this page', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await setLabCookie(student, { name: 'elsewhere', path: '/products' });
    const page = await student.get(labPage);
    assert.match(page.text, /<td data-sent[^>]*>No: its Path does not cover this page<\/td>/); // the cell, not the row's data-not-sent
  });

  test('when a student sets SameSite=None without Secure, then the lab page says why the browser did not send it', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await setLabCookie(student, { name: 'loose', sameSite: 'none' });
    assert.equal(student.cookies.get('lab_loose'), undefined, 'the browser refused it on arrival, as Chromium and Firefox do');
    const page = await student.get(labPage);
    assert.match(page.text, /<td data-sent[^>]*>No: browsers refuse SameSite=None without Secure<\/td>/);
  });

  test('when the form holds bad values, then each field says what it accepts and no cookie is set', async () => {
    const student = await becomeStudent(shop().newBrowser());
    const response = await setLabCookie(student, { name: 'bad name;', value: 'a;b', maxAge: '-5', path: 'relative', sameSite: 'sometimes' });
    assert.equal(response.status, 422);
    assert.deepEqual(labErrors(response.text), [
      'Use 1 to 32 letters, digits, - or _.',
      'Use 1 to 100 letters, digits, or . _ ~ -',
      'Leave it empty, or give whole seconds from 1 to 2592000 (30 days).',
      'Start with / and use up to 100 letters, digits, or / _ . -',
      'Choose Lax, Strict or None.',
    ]);
    assert.equal(response.setCookies.filter((cookie) => cookie.startsWith('lab_')).length, 0);
  });

  test('when a student sets more lab cookies than the lab keeps, then the oldest is deleted from the browser too', async () => {
    const student = await becomeStudent(shop().newBrowser());
    for (let index = 1; index <= 10; index += 1) await setLabCookie(student, { name: `c${index}` });
    const response = await setLabCookie(student, { name: 'c11' });
    assert.ok(response.setCookies.some((cookie) => cookie.startsWith('lab_c1=;') && /Expires=Thu, 01 Jan 1970/.test(cookie)));
    const page = await student.get(labPage);
    assert.equal([...page.text.matchAll(/data-cookie-name="lab_c\d+"/g)].length, 10);
  });
});

describe('the lessons pages', () => {
  test('when a browser opens the lessons, then it gets a signed, HttpOnly student cookie and sees eleven lessons not started', async () => {
    const browser = shop().newBrowser();
    const response = await browser.get('/lessons');
    const student = response.setCookies.find((cookie) => cookie.startsWith('student='));
    assert.match(student ?? '', /^student=s%3A[\w-]{32}\.[^;]+; Max-Age=31536000; .*HttpOnly; SameSite=Lax/);
    assert.equal([...response.text.matchAll(/Not started/g)].length, 11);
  });

  test('when a student has done a step, then the index shows the lesson as done with the time', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await answerQuiz(student, 'shared-address');
    const index = await student.get('/lessons');
    assert.match(index.text, /data-lesson="not-by-ip-address">[\s\S]*?Done <time datetime="\d{4}-\d\d-\d\dT[^"]+">/);
    assert.equal([...index.text.matchAll(/Not started/g)].length, 10);
  });

  test('when a student has done a step, then the lesson page reads "Done 12:34." with the period right after the time', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await answerQuiz(student, 'shared-address');
    const page = await student.get('/lessons/not-by-ip-address');
    // Any whitespace between the time and the period shows as "Done 12:34 ."
    assert.match(page.text, /<strong>Done <time datetime="[^"]+">[^<]+<\/time>\.<\/strong>/);
  });

  test('when a browser sends a student id without its signature, then it is ignored and the browser is a new student', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await answerQuiz(student, 'shared-address');
    const signed = decodeURIComponent(student.cookies.get('student') ?? '');
    const unsignedId = /^s:([\w-]{32})\./.exec(signed)?.[1];
    assert.ok(unsignedId, 'the student cookie is s:<id>.<signature>');
    const impostor = shop().newBrowser();
    impostor.cookies.set('student', unsignedId);
    assert.deepEqual(await completedSteps(impostor), []);
    assert.deepEqual(await completedSteps(student), ['ip-quiz']);
  });

  test('when a lesson page is asked for in the wrong mode, then it says which mode and command the task needs', async () => {
    const page = await shop().newBrowser().get('/lessons/cookies-live-in-the-browser');
    // Shown (lessons.js shows the other sentence instead once the mode is switched).
    assert.match(page.text, /data-mode-wrong>\s*This task needs <strong>cookie<\/strong> mode, and this server runs in <strong data-server-mode>session<\/strong> mode/);
    assert.match(page.text, /npm run start:cookie/);
  });

  test('when an unknown lesson is asked for, then the answer is the 404 page', async () => {
    const page = await shop().newBrowser().get('/lessons/no-such-lesson');
    assert.equal(page.status, 404);
  });
});
