import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerTest, startTestApp } from '../support/app.ts';
import { demoUsers } from '../../models/seed.ts';

const start = appPerTest(startTestApp);

/*
 * Issue 17: a browser that blocks cookies gets every form refused with "Form expired … reload",
 * for ever. The page that showed the form gave it a cookie; the form comes back with its token and
 * no cookie at all: that is told apart, and the page says how to allow cookies.
 */
describe('issue 17: forms from a browser that blocks cookies', () => {
  for (const authMode of ['session', 'cookie'] as const) {
    for (const { form, page, fields } of [
      { form: 'login', page: '/login', fields: { ...demoUsers.alice } },
      { form: 'the quiz', page: '/lessons/not-by-ip-address', fields: { answer: 'shared-address' } },
      { form: 'save my name', page: '/lessons', fields: { displayName: 'Ada' } },
    ]) {
      test(`when ${form} comes back with its token and no cookie (${authMode} mode), then the 403 page says cookies are blocked and how to allow them`, async () => {
        const shop = await start({ authMode });
        const shown = shop.newBrowser();
        const token = await shown.csrfToken(page);
        const action = form === 'login' ? '/login' : form === 'the quiz' ? '/lessons/not-by-ip-address/answer' : '/lessons/display-name';
        // The same browser, sending nothing it was given: blocked cookies.
        const blocked = shop.newBrowser();
        const refused = await blocked.post(action, { ...fields, _csrf: token });
        assert.equal(refused.status, 403);
        assert.match(refused.text, /<h1>Cookies blocked<\/h1>/);
        assert.match(refused.text, /Your browser sent this form without any cookie.*reloading will not help/);
        assert.match(refused.text, /Allow cookies for [\w.-]+, then reload the page with the form\. Chrome and Edge:/);
      });
    }
  }

  test('when a form comes with cookies but an old token, or from another site with no token, then it is still "Form expired"', async () => {
    const shop = await start({ authMode: 'session' });
    const { browser } = shop;
    await browser.csrfToken('/login');
    const stale = await browser.post('/login', { email: 'a@example.com', password: 'x', _csrf: 'an-old-token' });
    assert.equal(stale.status, 403);
    assert.match(stale.text, /<h1>Form expired<\/h1>/);
    const crossSite = await shop.newBrowser().post('/login', { email: 'a@example.com', password: 'x' });
    assert.equal(crossSite.status, 403);
    assert.match(crossSite.text, /<h1>Form expired<\/h1>/);
  });
});
