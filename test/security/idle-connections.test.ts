import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';

const headersTimeoutMs = 1000;
const idleSockets = 300;

let shop: TestApp;
before(async () => {
  shop = await startTestApp({ authMode: 'session' }, { headersTimeoutMs });
});
after(() => shop.stop());

/** A connection that sends `start` (nothing, or half a request) and then waits. */
async function silentConnection(start: string): Promise<Socket> {
  const socket = connect(Number(new URL(shop.url).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.on('error', () => {}); // the server may reset it once it has given up
  socket.resume(); // reads the 408 and the end, as a client would
  if (start) socket.write(start);
  return socket;
}

test(`S32 ${idleSockets} connections that send nothing, or half a request, are closed by the shop within its headers timeout, and it serves others meanwhile`, async () => {
  const sockets = await Promise.all(Array.from({ length: idleSockets }, (_, index) => silentConnection(index % 2 === 0 ? '' : 'GET / HTTP/1.1\r\nHost: localhost\r\n')));
  const closed = sockets.map((socket) => once(socket, 'close'));
  assert.equal((await shop.newBrowser().get('/healthz')).status, 200);
  const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error('idle connections still open')), headersTimeoutMs + 3000));
  await Promise.race([Promise.all(closed), deadline]);
  assert.ok(sockets.every((socket) => socket.destroyed));
});
