import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { freePort, startScript } from '../support/child-process.ts';
import { Browser } from '../support/browser.ts';

/*
 * S34: `npm start` holds its port before the shop inside it is ready, and every connection that
 * comes meanwhile waits for the shop. Once, the port handle reached the shop while it was still
 * starting and began to accept at once: those requests got no answer at all, the more often the
 * busier the machine.
 */

const rounds = 4;
const requestsPerRound = 30;
const spacingMs = 60;
const answerWithinMs = 20_000;

/** Keeps one core busy, as the other test files running beside this one do in CI. */
function burnOneCore(): Worker {
  return new Worker('for (;;) {}', { eval: true });
}

/** A port probe: connects and closes at once, as a health checker or a test fixture does. */
function probe(port: number): void {
  const socket = connect(port, '127.0.0.1');
  socket.on('connect', () => socket.destroy()).on('error', () => {});
}

test(`S34 a starting shop answers every request: ${rounds} starts under CPU load, ${requestsPerRound} requests each from the moment the port accepts, on fresh and kept-alive connections, between port probes`, async () => {
  const busy = burnOneCore();
  try {
    for (let round = 1; round <= rounds; round++) {
      const dataDir = await mkdtemp(join(tmpdir(), 'shop-starting-'));
      const port = await freePort();
      const url = `http://localhost:${port}`;
      const shop = await startScript('scripts/supervise.ts', [`--port=${port}`], {
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir, BCRYPT_ROUNDS: '4' },
        readyWhen: { tcp: port }, // the supervisor's port: open long before the shop is ready
      });
      try {
        const keptAlive = new Browser(url, { timeoutMs: answerWithinMs });
        const replies: Promise<string>[] = [];
        for (let index = 0; index < requestsPerRound; index++) {
          if (index % 3 === 0) probe(port);
          const browser = index % 2 === 0 ? keptAlive : new Browser(url, { freshConnections: true, timeoutMs: answerWithinMs });
          const path = index % 2 === 0 ? '/healthz' : '/login';
          replies.push(browser.get(path).then(({ status }) => `${path} ${status}`, (error: unknown) => `${path} ${String(error)}`));
          await new Promise((resolve) => setTimeout(resolve, spacingMs));
        }
        const unanswered = (await Promise.all(replies)).filter((reply) => !reply.endsWith(' 200'));
        assert.deepEqual(unanswered, [], `start ${round}`);
      } finally {
        await shop.stop('SIGINT');
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await busy.terminate();
  }
});
