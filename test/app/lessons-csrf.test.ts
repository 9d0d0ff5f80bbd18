import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { becomeStudent, completedSteps, stepHint } from '../support/lessons.ts';
import { demoUsers } from '../../models/seed.ts';

const shop = appPerSuite({ authMode: 'session' });
const lessonPage = '/lessons/csrf-and-samesite';

/** The other site's address from the lesson page, and a browser there (it holds none of the shop's cookies). */
async function otherSite(student: Browser) {
  const page = await student.get(lessonPage);
  const link = /<a class="btn" href="([^"]+)"[^>]*>Open the other site<\/a>/.exec(page.text)?.[1]?.replaceAll('&amp;', '&');
  assert.ok(link, 'the lesson links to the other site');
  const url = new URL(link);
  return { url, browser: new Browser(url.origin) };
}

describe('lesson 9: CSRF and SameSite', () => {
  test('when a student on localhost opens the other site, then it is 127.0.0.1 on the same port, with a form aimed at the shop that its policy lets out', async () => {
    const student = await becomeStudent(shop().newBrowser());
    const { url, browser } = await otherSite(student);
    const shopOrigin = new URL(shop().url).origin;
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.port, new URL(shop().url).port);
    const page = await browser.get(url.pathname + url.search);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`<form action="${shopOrigin}/cart" method="POST">`));
    assert.match(String(page.headers['content-security-policy']), new RegExp(`form-action ${shopOrigin}`));
  });

  test('when the other site posts its form, then the shop refuses it and the lesson says what it refused', async () => {
    const student = await becomeStudent(shop().newBrowser());
    await student.logIn(demoUsers.alice.email, demoUsers.alice.password);
    const { url, browser } = await otherSite(student);
    const form = (await browser.get(url.pathname + url.search)).text;
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
    // As the browser sends it: from the other origin, without the shop's SameSite=Lax cookies.
    const refused = await shop().newBrowser().post('/cart', { productId: field('productId'), lessonTicket: field('lessonTicket') }, { origin: url.origin });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /Form expired/);
    assert.deepEqual(await completedSteps(student), ['csrf-refused']);
    const lesson = await student.get(lessonPage);
    assert.match(lesson.text, new RegExp(`What the shop refused:</strong> POST /cart from ${url.origin}, carrying no cookies of the shop and no CSRF token`));
    assert.match((await student.get('/cart')).text, /Your cart is empty/, 'nothing went into the cart');
  });

  test('when a student has not done the task, then the hint says the shop has refused no form yet', async () => {
    const student = await becomeStudent(shop().newBrowser());
    assert.equal(await stepHint(student, 'csrf-refused'), 'The shop has not refused a form from the other site yet: open it with the link below and press its button.');
  });

  test('when a form arrives with a ticket nobody was given, then no student gets the step', async () => {
    const student = await becomeStudent(shop().newBrowser());
    const refused = await shop().newBrowser().post('/cart', { productId: 'x', lessonTicket: 'made-up' });
    assert.equal(refused.status, 403);
    assert.deepEqual(await completedSteps(student), []);
  });

  test('when someone opens the other site without a ticket, then it says the link expired', async () => {
    const page = await new Browser(shop().url.replace('localhost', '127.0.0.1')).get(`${lessonPage}/other-site?ticket=guess`);
    assert.equal(page.status, 404);
    assert.match(page.text, /This link has expired/);
  });
});
