import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { appPerSuite } from '../support/app.ts';

/*
 * Lesson 7's limits: every cookie goes with every request, and Node refuses request headers over
 * 16 KiB (http.maxHeaderSize) with 431 before Express runs. The shop answers that with a page
 * that says what happened, and keeps serving.
 */

const shop = appPerSuite({ authMode: 'session' });

/** What a raw connection gets back for `request`. */
async function rawReply(request: string): Promise<string> {
  const socket = connect(Number(new URL(shop().url).port), '127.0.0.1');
  socket.on('error', () => {});
  let reply = '';
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
  await once(socket, 'connect');
  socket.write(request);
  await once(socket, 'close');
  return reply;
}

describe('the request header limit', () => {
  test('when a student opens lesson 7, then it states the limits and gives the snippet that makes five cookies of 4,000 bytes', async () => {
    const page = await shop().newBrowser().get('/lessons/cookie-attributes');
    assert.match(page.text, /name and value together pass 4096 bytes/);
    assert.match(page.text, /at least\s+50 cookies per domain/);
    assert.match(page.text, /16 KiB\s+\(<code>--max-http-header-size<\/code>, 16,384 bytes by default\)/);
    assert.ok(page.text.includes("for (let i = 1; i &lt;= 5; i++) document.cookie = `big${i}=${'x'.repeat(4000)}; Path=/`;"));
  });

  test('when a browser holds 5 cookies of 4,000 bytes (the lesson 7 snippet), then every page answers 431 with a page that says why and how to delete them', async () => {
    const browser = shop().newBrowser();
    for (let i = 1; i <= 5; i++) browser.cookies.set(`big${i}`, 'x'.repeat(4000));
    const page = await browser.get('/');
    assert.equal(page.status, 431);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.text, /<h1>431 Request Header Fields Too Large<\/h1>/);
    assert.match(page.text, /more than 16 KiB of request headers/);
    assert.match(page.text, /big\$\{i\}=; Max-Age=0; Path=\//);
    assert.equal((await browser.get('/lessons/cookie-attributes')).status, 431);
  });

  test('when the browser deletes them, or holds 3 of them (12 KB), then the shop answers as before: it never stopped serving', async () => {
    const browser = shop().newBrowser();
    for (let i = 1; i <= 5; i++) browser.cookies.set(`big${i}`, 'x'.repeat(4000));
    assert.equal((await browser.get('/')).status, 431);
    for (const name of ['big4', 'big5']) browser.cookies.delete(name);
    assert.equal((await browser.get('/')).status, 200);
    assert.equal((await shop().newBrowser().get('/healthz')).status, 200);
  });

  test('when a request cannot be parsed at all, then Node answers 400 as it always did', async () => {
    const reply = await rawReply('NOT HTTP\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n\r\n$/);
  });

  test('when the header is too large on a raw connection, then the 431 page arrives whole and the connection closes', async () => {
    const reply = await rawReply(`GET / HTTP/1.1\r\nHost: localhost\r\nCookie: big=${'x'.repeat(20_000)}\r\n\r\n`);
    const [head = '', body = ''] = reply.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.equal(Buffer.byteLength(body), Number(/Content-Length: (\d+)/.exec(head)?.[1]));
    assert.match(body, /<\/html>\n$/);
  });
});
