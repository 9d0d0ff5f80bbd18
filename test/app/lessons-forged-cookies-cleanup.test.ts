import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import { becomeStudent, completedSteps, stepHint } from '../support/lessons.ts';

const start = appPerTest(startTestApp);

describe('issue 17: lesson 1 ends with deleting the forged cookies', () => {
  test('when a student forged the cookies, then lesson 1 asks to delete them, names the ones left, and notices when they are gone', async () => {
    const shop = await start({ authMode: 'cookie' });
    const { browser } = shop;
    await becomeStudent(browser);
    browser.cookies.set('loggedIn', 'true');
    browser.cookies.set('userEmail', 'bob@example.com');
    assert.deepEqual(await completedSteps(browser), ['forged-cookie']);
    assert.equal(
      await stepHint(browser, 'forged-cookies-deleted'),
      'Your browser still sends loggedIn=true and userEmail=bob@example.com: delete both in the developer tools (Application, then Cookies, then this site).',
    );
    browser.cookies.delete('userEmail');
    assert.deepEqual(await completedSteps(browser), ['forged-cookie']);
    assert.equal(await stepHint(browser, 'forged-cookies-deleted'), 'Your browser still sends loggedIn=true: delete it in the developer tools (Application, then Cookies, then this site).');
    browser.cookies.delete('loggedIn');
    assert.deepEqual(await completedSteps(browser), ['forged-cookie', 'forged-cookies-deleted']);
    assert.match((await browser.get('/lessons')).text, /data-lesson="cookies-live-in-the-browser"[\s\S]*?lesson-status--done/);
  });

  test('when a student never forged anything, then the clean-up is not done by a browser that never had the cookies', async () => {
    const { browser } = await start({ authMode: 'cookie' });
    await becomeStudent(browser);
    await browser.get('/');
    assert.deepEqual(await completedSteps(browser), []);
  });
});
