import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import { becomeStudent, stepHint } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);

/** The pending line of a step on a lesson page, the hidden parts left out. */
function pendingText(html: string, step: string): string {
  const item = new RegExp(`data-step="${step}">[\\s\\S]*?<p class="task__pending"[^>]*>([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '';
  return item
    .replace(/<span [^>]*hidden>[\s\S]*?<\/span>/g, '')
    .replace(/<%#[\s\S]*?%>|<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('issue 17: a task done in the wrong mode says so', () => {
  test('when a student forges lesson 1\'s cookies while the server runs in session mode, then the hint says what was sent, that the mode is wrong, and the page links the switch', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    browser.cookies.set('loggedIn', 'true');
    browser.cookies.set('userEmail', 'bob@example.com');
    await browser.get('/');
    assert.equal(
      await stepHint(browser, 'forged-cookie'),
      'Your browser sent loggedIn=true and userEmail=bob@example.com, but this server runs in session mode, which never reads those cookies, ' +
        'so the forgery cannot work here and this step cannot be seen: switch to cookie mode (the instructor panel, linked above), then reload the shop.',
    );
    const page = await browser.get('/lessons/cookies-live-in-the-browser');
    assert.equal(
      pendingText(page.text, 'forged-cookie'),
      'Not done yet. The app cannot see this step while the server runs in session mode: it needs cookie mode. Switch in the instructor panel, then do the step again.',
    );
    assert.match(page.text, /<a href="\/instructor\?from=\/lessons\/cookies-live-in-the-browser">Switch in the instructor panel<\/a>/);
  });

  test('when a student logs in for lesson 3 while the server runs in session mode, then the hint says a second browser stays logged out here', async () => {
    const { browser } = await start({ authMode: 'session' });
    await becomeStudent(browser);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password);
    await browser.get('/');
    assert.match(String(await stepHint(browser, 'second-visitor')), /^You are logged in as alice@example\.com, in session mode, which keeps each browser's login apart, so a second browser stays logged out: .* Switch to global mode/);
    assert.match(String(await stepHint(browser, 'login-vanished')), /^You are logged in as alice@example\.com, in session mode, .* Switch to request mode/);
  });

  test('when the server runs in the lesson\'s mode, then the pending line says the page updates by itself', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    const page = await (await becomeStudent(browser)).get('/lessons/cookies-live-in-the-browser');
    assert.equal(pendingText(page.text, 'forged-cookie'), 'Not done yet. This page updates by itself when the app sees it.');
  });
});
