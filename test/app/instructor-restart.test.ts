import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPerSuite } from '../support/app.ts';

/* Started without `npm start`'s supervisor (as here, `tsx server.ts` or the cluster), the shop cannot start itself again. */

const shop = appPerSuite({ authMode: 'session', instructorToken: 'restart-panel-token' });

async function instructor() {
  const client = shop().newClient();
  const _csrf = await shop().csrfToken('/lessons', client);
  await client.post('/instructor/token').type('form').send({ token: 'restart-panel-token', _csrf });
  return client;
}

test('when the server runs without the supervisor, then the panel offers no Restart button and says how to get one', async () => {
  const panel = await (await instructor()).get('/instructor');
  assert.equal(panel.status, 200);
  assert.doesNotMatch(panel.text, /action="\/instructor\/restart"/);
  assert.match(panel.text, /start it with <code>npm start<\/code> to get the button/);
});

test('when a restart is posted to a server without the supervisor, then the panel says why it cannot restart and the server keeps running', async () => {
  const client = await instructor();
  const _csrf = await shop().csrfToken('/instructor', client);
  const answer = await client.post('/instructor/restart').type('form').send({ _csrf });
  assert.equal(answer.status, 302);
  assert.equal(answer.headers.location, '/instructor');
  assert.match((await client.get('/instructor')).text, /This server was not started with npm start, so it cannot start itself again/);
  assert.equal((await shop().request.get('/healthz')).status, 200);
});

test('when a restart is posted without the instructor token, then it is refused with 403', async () => {
  const visitor = shop().newClient();
  const _csrf = await shop().csrfToken('/lessons', visitor);
  assert.equal((await visitor.post('/instructor/restart').type('form').send({ _csrf })).status, 403);
});

test('when a lesson links to the panel and the token is typed, then the panel opens with the way back to that lesson', async () => {
  const client = shop().newClient();
  const tokenPage = await client.get('/instructor?from=/lessons/session-stores');
  assert.equal(tokenPage.status, 403);
  const returnTo = /name="returnTo" value="([^"]+)"/.exec(tokenPage.text)?.[1]?.replaceAll('&amp;', '&');
  assert.equal(returnTo, '/instructor?from=/lessons/session-stores');
  const _csrf = await shop().csrfToken('/lessons', client);
  const granted = await client.post('/instructor/token').type('form').send({ token: 'restart-panel-token', returnTo, _csrf });
  assert.equal(granted.headers.location, '/instructor?from=/lessons/session-stores');
  assert.equal((await client.get('/instructor')).status, 200, 'and the panel is open');
});

test('when the token form names another site to go back to, then the panel opens instead', async () => {
  const client = shop().newClient();
  const _csrf = await shop().csrfToken('/lessons', client);
  const granted = await client.post('/instructor/token').type('form').send({ token: 'restart-panel-token', returnTo: '//evil.example/', _csrf });
  assert.equal(granted.headers.location, '/instructor');
});

test('when the panel was opened from a lesson, then a switch comes back to the panel still knowing that lesson', async () => {
  const client = await instructor();
  const _csrf = await shop().csrfToken('/instructor', client);
  const switched = await client
    .post('/instructor/settings?from=/lessons/session-stores')
    .type('form')
    .send({ authMode: 'session', sessionStore: 'mongodb', _csrf });
  assert.equal(switched.headers.location, '/instructor?from=%2Flessons%2Fsession-stores');
});

test('when a lesson needs another mode, then it links to the panel that switches it, and still names the command', async () => {
  const lesson = await shop().request.get('/lessons/cookies-live-in-the-browser');
  assert.match(lesson.text, /href="\/instructor\?from=\/lessons\/cookies-live-in-the-browser">instructor panel<\/a>/);
  assert.match(lesson.text, /<code>npm run start:cookie<\/code>/);
});
