import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { lessons } from '../../teaching/lesson-catalog.ts';
import { appPerSuite } from '../support/app.ts';
import type { Browser } from '../support/browser.ts';

/*
 * The course a class can trust (issue 17): sentences the course once said that were wrong or
 * misleading must not come back, on any lesson page, the instructor panel, the inspector or in
 * the README; where the corrected fact is cheap to recognise, it must be there.
 */

const shop = appPerSuite({ authMode: 'session', instructorToken: 'lesson-facts-token' });

/** A page as a student reads it: no tags, entities decoded, whitespace collapsed. */
function readable(html: string): string {
  return html
    .replace(/<\/?(code|em|strong|a|span)\b[^>]*>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&#34;', '"')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ');
}

async function instructor(): Promise<Browser> {
  const browser = shop().newBrowser();
  await browser.submit('/instructor/token', { token: 'lesson-facts-token' }, '/lessons');
  return browser;
}

/** Every text the course shows, by where it shows it. */
async function courseTexts(): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const student = shop().newBrowser();
  texts.set('/lessons', readable((await student.get('/lessons')).text));
  for (const lesson of lessons) {
    const page = await student.get(`/lessons/${lesson.slug}`);
    assert.equal(page.status, 200, lesson.slug);
    texts.set(`/lessons/${lesson.slug}`, readable(page.text));
  }
  texts.set('/inspector', readable((await student.get('/inspector')).text));
  // The panel describes every setting but the current one: look from both stores.
  const panel = await instructor();
  texts.set('/instructor (mongodb)', readable((await panel.get('/instructor')).text));
  await panel.submit('/instructor/settings', { authMode: 'session', sessionStore: 'memory' }, '/instructor');
  texts.set('/instructor (memory)', readable((await panel.get('/instructor')).text));
  // In cookie-session mode the panel says why it cannot end those logins, on the page and when asked to.
  await panel.submit('/instructor/settings', { authMode: 'cookie-session', sessionStore: 'mongodb' }, '/instructor');
  const refused = await panel.submit('/instructor/sessions/end-all', {}, '/instructor');
  texts.set('/instructor (cookie-session)', readable((await panel.get(refused.location ?? '/instructor')).text));
  await panel.submit('/instructor/settings', { authMode: 'session', sessionStore: 'mongodb' }, '/instructor');
  texts.set('README.md', (await readFile(new URL('../../README.md', import.meta.url), 'utf8')).replace(/\s+/g, ' '));
  // Step tasks and done texts: a page shows a done text only once the step is done.
  texts.set('lesson catalog', lessons.flatMap(({ steps }) => steps.flatMap(({ task, doneText }) => [task, doneText])).join(' '));
  return texts;
}

const wrongClaims: [string, RegExp][] = [
  ['lesson 4: the shop sets trust proxy to a hop count', /trust proxy', 1\)[^.]*this shop sets|which this shop sets in production/i],
  ['lesson 6: the memory store never expires what it holds', /never expires what it holds/i],
  ['instructor panel: a cookie naming no session gets a new cookie', /gets a new cookie on its next visit/i],
  ['lesson 7: cookies are kept apart by origin, port included', /only a different origin \(scheme, host and port\) is kept apart/i],
  ['lesson 9: the Origin header is filled in by the browser, to be trusted', /Origin header of every POST, which the browser fills in/i],
  ['lesson 8: cookie and session expire at the very same moment', /at the very (same )?moment the server gives up/i],
  ['recap: never trust a cookie with a login', /never trust (it|a cookie) with a login/i],
  // The imprecise ones.
  ['lesson 1 and inspector: cookies go with every request to this site', /(to|with) every request (it sends )?to this site|every request to this site carries its cookies/i],
  ['lesson 5: a session id can be planted with a link', /\(a link, a shared computer\)/i],
  ['lesson 7: every browser refuses SameSite=None without Secure', /None: with every request, and browsers accept it only together with Secure/i],
  ['lesson 9: the server always keeps the CSRF token', /random value the server keeps for your visit/i],
  ['lesson 9: the CSRF token relies on nothing but the server', /relies on nothing but the server/i],
  ['lessons: progress belongs to the browser', /progress belongs to this browser/i],
  ['lesson 5 and the cookie help: %3A as a rule of cookies', /the : shows as %3A|that is how :, \+ and \/ travel in a cookie/i],
  ['README and lesson 6: the memory store is express-session\'s MemoryStore', /\(express-session's MemoryStore[:)]/i],
  ['README: a session ends exactly after the idle time', /a session ends after this long without a request \(fractions allowed\) \|/i],
  // Lessons 10 and 11, and the limits of lesson 7 (reviewed against RFC 6265bis, MDN, RFC 7519 and the libraries' source).
  ['lesson 10: a new SESSION_SECRET alone ends every signed login', /the only other way out is a new SESSION_SECRET/i],
  ['lesson 10: every JWT is readable by whoever holds it', /sign\)\. Readable by whoever holds it/],
  ['lesson 10 and README: the signed cookie goes with every request', /travels in the cookie, to the server, with every request,|it carries all it holds with every request,/i],
  ['README: a browser drops the signed cookie past 4096 bytes', /a browser drops it past 4096 bytes/i],
  ['lesson 7: every cookie of a host goes with every request to it', /every cookie of a host goes with every request/i],
  ['lesson 7: past their limit browsers simply drop the cookies used longest ago', /past their own limit they drop the ones used longest ago/i],
  ['lesson 11: http://localhost is an exception every browser makes', /the one exception browsers make|on localhost your browser sends Secure cookies/i],
  ['lesson 11: on http://localhost a page can set a prefixed cookie', /\(to a host other than localhost\) cannot set one/i],
  ['instructor panel: a new SESSION_SECRET ends every signed login (every secret in the list still verifies)', /only a new SESSION_SECRET would|Only changing SESSION_SECRET and restarting/i],
];

describe('the course states its facts right (issue 17)', () => {
  test('when every lesson, the panel, the inspector and the README are read, then none of the wrong claims is there', async () => {
    const texts = await courseTexts();
    const found = wrongClaims.flatMap(([claim, pattern]) =>
      [...texts].filter(([, text]) => pattern.test(text)).map(([where]) => `${where}: ${claim}`),
    );
    assert.deepEqual(found, [], 'wrong claims are back');
  });

  test('when the lessons are read, then each corrected fact is there', async () => {
    const texts = await courseTexts();
    const page = (slug: string) => texts.get(`/lessons/${slug}`) ?? '';
    // 0. The lesson list counts the lessons the catalog has.
    assert.match(texts.get('/lessons') ?? '', new RegExp(`\\b${lessons.length} short lessons, each ending in a task`));
    // 1. The shop trusts the proxies named in TRUST_PROXY and refuses a hop count; the excerpt shows it.
    assert.match(page('not-by-ip-address'), /TRUST_PROXY/);
    assert.match(page('not-by-ip-address'), /refuses a hop count/);
    assert.match(page('not-by-ip-address'), /app\.set\('trust proxy', config\.trustProxy\.length > 0/);
    // 2. The memory store deletes an expired session when it is read, with no timer (the excerpt too).
    assert.match(page('session-stores'), /no timer: an expired session is deleted when it is read/);
    assert.match(page('session-stores'), /expires, userId \}/);
    // 3. A cookie that names no session gets no new one.
    assert.match(texts.get('/instructor (mongodb)') ?? '', /gets no new cookie \(saveUninitialized: false\): the old one stays, ignored, until a login replaces it or it expires/);
    assert.match(texts.get('/instructor (memory)') ?? '', /only sessions in MongoDB count: everybody else logs in again\. A browser whose cookie names no session there gets no new cookie/);
    // 4. Cookies ignore the port.
    assert.match(page('cookie-attributes'), /cookies are looser: they ignore the port/);
    assert.match(page('cookie-attributes'), /RFC 6265, section 8\.5/);
    // 5. Origin: null under no-referrer; Sec-Fetch-Site and its four values.
    assert.match(page('csrf-and-samesite'), /Referrer-Policy: no-referrer/);
    assert.match(page('csrf-and-samesite'), /Origin: null even with the shop's own forms/);
    assert.match(page('csrf-and-samesite'), /"from null"/);
    for (const value of ['same-origin', 'same-site', 'cross-site', 'none']) assert.match(page('csrf-and-samesite'), new RegExp(`Sec-Fetch-Site[\\s\\S]*\\b${value}\\b`));
    assert.match(page('csrf-and-samesite'), /treat null as cross-site/);
    // 6. With MongoDB the session can end before the cookie, by min(60 s, a tenth of the idle limit).
    assert.match(page('logout-and-expiry'), /more than 60 seconds behind the cookie's, or a tenth of the idle limit if that is shorter/);
    assert.match(page('logout-and-expiry'), /server can end an idle session up to that long before the browser drops the cookie/);
    // 7. A signed cookie cannot be forged; it cannot be taken back.
    const last = lessons.at(-1)?.slug ?? '';
    assert.match(page(last), /A signed cookie cannot be forged, but the server cannot take it back before it expires/);
    // 8. Lesson 10: SESSION_SECRET is a list that all verifies; a JWT may be encrypted; the cookie goes with the shop's requests.
    assert.match(page('signed-cookies'), /take the secret that signed it out of SESSION_SECRET, which logs out everybody at once/);
    assert.match(page('signed-cookies'), /the first secret signs and every one in it still verifies, so putting a new secret first is not enough/);
    assert.match(page('signed-cookies'), /A signed JWT is readable by whoever holds it[^.]*RFC 7519 also allows encrypted JWTs, using JWE/);
    assert.match(page('signed-cookies'), /with every request from the shop's own pages/);
    assert.match(texts.get('README.md') ?? '', /a browser ignores a `Set-Cookie` that would take it past 4096 bytes \(name and value\), keeping the old cookie/);
    // 9. Lesson 7: RFC 6265bis's eviction order; cookies go with the requests Path, SameSite and Secure let through.
    assert.match(page('cookie-attributes'), /drop expired cookies first, then non-Secure ones, and among equals the ones used longest ago/);
    assert.match(page('cookie-attributes'), /a host's cookies go with the requests to it \(unless Path, SameSite or Secure holds them back\)/);
    // 10. Lesson 11: the localhost exception for Secure cookies is Chrome's and Firefox's (not Safari's); prefixes differ there.
    assert.match(texts.get('lesson catalog') ?? '', /only over HTTPS \(Chrome and Firefox make one exception: http:\/\/localhost\)/);
    assert.match(texts.get('lesson catalog') ?? '', /on localhost Chrome and Firefox send Secure cookies over plain HTTP too/);
    assert.match(page('https-in-production'), /a page served over plain HTTP cannot set one \(on http:\/\/localhost browsers differ: some allow it there, Chrome has refused it\)/);
  });
});
