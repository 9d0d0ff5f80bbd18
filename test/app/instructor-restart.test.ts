import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPerSuite } from '../support/app.ts';

/* Started without `npm start`'s supervisor (as here, `tsx server.ts` or the cluster), the shop cannot start itself again. */

const shop = appPerSuite({ authMode: 'session', instructorToken: 'restart-panel-token' });

async function instructor() {
  const browser = shop().newBrowser();
  await browser.submit('/instructor/token', { token: 'restart-panel-token' }, '/lessons');
  return browser;
}

test('when the server runs without the supervisor, then the panel offers no Restart button and says how to get one', async () => {
  const panel = await (await instructor()).get('/instructor');
  assert.equal(panel.status, 200);
  assert.doesNotMatch(panel.text, /action="\/instructor\/restart"/);
  assert.match(panel.text, /start it with <code>npm start<\/code> to get the button/);
});

test('when a restart is posted to a server without the supervisor, then the panel says why it cannot restart and the server keeps running', async () => {
  const browser = await instructor();
  const answer = await browser.submit('/instructor/restart', {}, '/instructor');
  assert.equal(answer.status, 302);
  assert.equal(answer.location, '/instructor');
  assert.match((await browser.get('/instructor')).text, /This server was not started with npm start, so it cannot start itself again/);
  assert.equal((await shop().browser.get('/healthz')).status, 200);
});

test('when a restart is posted without the instructor token, then it is refused with 403', async () => {
  const visitor = shop().newBrowser();
  assert.equal((await visitor.submit('/instructor/restart', {}, '/lessons')).status, 403);
});

test('when a lesson links to the panel and the token is typed, then the panel opens with the way back to that lesson', async () => {
  const browser = shop().newBrowser();
  const tokenPage = await browser.get('/instructor?from=/lessons/session-stores');
  assert.equal(tokenPage.status, 403);
  const returnTo = /name="returnTo" value="([^"]+)"/.exec(tokenPage.text)?.[1]?.replaceAll('&amp;', '&');
  assert.equal(returnTo, '/instructor?from=/lessons/session-stores');
  const granted = await browser.submit('/instructor/token', { token: 'restart-panel-token', returnTo }, '/lessons');
  assert.equal(granted.location, '/instructor?from=/lessons/session-stores');
  assert.equal((await browser.get('/instructor')).status, 200, 'and the panel is open');
});

test('when the token form names another site to go back to, then the panel opens instead', async () => {
  const browser = shop().newBrowser();
  const granted = await browser.submit('/instructor/token', { token: 'restart-panel-token', returnTo: '//evil.example/' }, '/lessons');
  assert.equal(granted.location, '/instructor');
});

test('when the panel was opened from a lesson, then a switch comes back to the panel still knowing that lesson', async () => {
  const browser = await instructor();
  const switched = await browser.submit('/instructor/settings?from=/lessons/session-stores', { authMode: 'session', sessionStore: 'mongodb' }, '/instructor');
  assert.equal(switched.location, '/instructor?from=%2Flessons%2Fsession-stores');
});

test('when a lesson needs another mode, then it links to the panel that switches it, and still names the command', async () => {
  const lesson = await shop().browser.get('/lessons/cookies-live-in-the-browser');
  assert.match(lesson.text, /href="\/instructor\?from=\/lessons\/cookies-live-in-the-browser">instructor panel<\/a>/);
  assert.match(lesson.text, /<code>npm run start:cookie<\/code>/);
});
