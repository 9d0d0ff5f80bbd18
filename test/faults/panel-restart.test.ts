import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { SessionStoreName } from '../../config.ts';
import { freePort, startScript, type ScriptProcess } from '../support/child-process.ts';
import { waitUntil } from 'embedded-mongo/testing';
import { withDatabaseName } from '../support/database.ts';
import { Browser } from '../support/browser.ts';
import { demoUsers } from '../../models/seed.ts';

/*
 * `npm start` runs the shop under scripts/supervise.ts; the instructor panel's Restart button makes
 * it a new process, in the mode and with the store live at that moment, on the same port and data.
 */

const instructorToken = 'restart-test-instructor-token';

let dataDir: string;
let url: string;
let supervisor: ScriptProcess;

/** The shop as `npm start` runs it, on `port`, with its data under `dataDir`. */
function startSupervised(port: number): Promise<ScriptProcess> {
  const sharedMongo = process.env.MONGODB_URI;
  return startScript('scripts/supervise.ts', [`--port=${port}`], {
    env: {
      ...process.env,
      NODE_ENV: 'test', // JSON log lines, each with the pid of the process that wrote it
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      BCRYPT_ROUNDS: '4',
      INSTRUCTOR_TOKEN: instructorToken,
      ...(sharedMongo ? { MONGODB_URI: withDatabaseName(sharedMongo, `restart_${randomBytes(4).toString('hex')}`) } : {}),
    },
    readyWhen: { http: `http://localhost:${port}/healthz` },
  });
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shop-restart-'));
  const port = await freePort();
  url = `http://localhost:${port}`;
  supervisor = await startSupervised(port);
});

after(async () => {
  await supervisor.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

interface Health {
  store: string;
  bootId: string;
}

async function health(): Promise<Health> {
  return JSON.parse((await new Browser(url, { freshConnections: true }).get('/healthz')).text) as Health;
}

async function openPanel(): Promise<Browser> {
  const instructor = new Browser(url, { freshConnections: true });
  const granted = await instructor.submit('/instructor/token', { token: instructorToken });
  assert.equal(granted.location, '/instructor', 'the token opens the panel');
  return instructor;
}

test('when the panel is opened from a lesson, then its Restart button goes back to that lesson, and never to another site', async () => {
  const instructor = await openPanel();
  const fromLesson = await instructor.get('/instructor?from=/lessons/session-stores');
  assert.match(fromLesson.text, /action="\/instructor\/restart\?from=%2Flessons%2Fsession-stores"/);
  for (const elsewhere of ['//evil.example/', '/\\evil.example/', 'https://evil.example/']) {
    const page = await instructor.get(`/instructor?from=${encodeURIComponent(elsewhere)}`);
    assert.match(page.text, /action="\/instructor\/restart"/, elsewhere);
  }
});

/** Presses Restart on the panel and waits for a new process to answer; returns the page the button showed. */
async function restartFromPanel(instructor: Browser): Promise<string> {
  const before = await health();
  const page = await instructor.submit('/instructor/restart?from=/lessons/session-stores', {}, '/instructor');
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /Restarting the server/);
  await waitUntil('a new process answers /healthz', async () => (await health()).bootId !== before.bootId);
  return page.text;
}

/** The pids of the processes that said "Shop listening", in order. */
function shopPids(supervised = supervisor): number[] {
  return supervised
    .output()
    .split('\n')
    .filter((line) => line.includes('Shop listening'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const expectations: [SessionStoreName, string, (email: string | undefined) => void][] = [
  ['memory', 'the login is gone with the old process', (email) => assert.equal(email, undefined)],
  ['mongodb', 'the login is still there', (email) => assert.equal(email, demoUsers.alice.email)],
];

for (const [store, what, check] of expectations) {
  test(`when the instructor switches to the ${store} store, a student logs in and the panel restarts the server, then ${what} and the ${store} store is still live`, async () => {
    const instructor = await openPanel();
    const switched = await instructor.submit('/instructor/settings', { authMode: 'session', sessionStore: store }, '/instructor');
    assert.equal(switched.status, 302);
    const student = new Browser(url, { freshConnections: true });
    assert.equal((await student.logIn(demoUsers.alice.email, demoUsers.alice.password)).location, '/', 'alice logs in');
    assert.equal(await student.whoIsLoggedIn(), demoUsers.alice.email);
    const pidsBefore = shopPids();

    const page = await restartFromPanel(instructor);

    assert.match(page, /data-return-to="\/lessons\/session-stores"/, 'the page goes back where the instructor came from');
    check(await student.whoIsLoggedIn());
    assert.equal((await health()).store, store, 'the restarted shop runs with the setting live before the restart');
    await waitUntil('the new process logged its start', async () => shopPids().length > pidsBefore.length);
    const [oldPid, newPid] = [pidsBefore.at(-1), shopPids().at(-1)];
    assert.notEqual(newPid, oldPid, 'a new process');
    assert.equal(isAlive(oldPid!), false, 'the old process is gone');
  });
}

// Measured with the kept-alive hand-over switched off (server.ts closing as without a supervisor): 4 of
// 8 restarts reset a kept-alive connection, so 3 rounds catch it 7 times in 8, 1 round only every other time.
const restartRounds = 3;

test(`S34 when requests keep coming while the panel restarts the server, ${restartRounds} times with a core kept busy, then every one is answered: none is refused or dropped`, async () => {
  // As the other test files running beside this one do in CI: the hand-over's races show under load.
  const busy = new Worker('for (;;) {}', { eval: true });
  try {
    for (let round = 1; round <= restartRounds; round++) {
      const instructor = await openPanel();
      const { bootId: oldBootId } = await health();
      let restarted = false;
      const failures: string[] = [];
      let answered = 0;
      // Clients asking again as soon as they have an answer, on new connections and on kept-alive ones, until the new process answers.
      const client = async (keepAlive: boolean) => {
        const browser = new Browser(url, { freshConnections: !keepAlive });
        while (!restarted) {
          const reply = await browser.get('/healthz').catch((error: Error) => error);
          if (reply instanceof Error) failures.push(reply.message);
          else if ((JSON.parse(reply.text) as Health).bootId !== oldBootId) restarted = true;
          answered += 1;
        }
      };
      // A burst, as a browser's tabs keep asking: connections handed to a shop that exited before taking them hung
      // every time with 32 clients, and hid with 4.
      const clients = Array.from({ length: 32 }, (_, index) => client(index % 2 === 0));
      const page = await instructor.submit('/instructor/restart', {}, '/instructor');
      assert.equal(page.status, 200);
      await Promise.all(clients);

      assert.deepEqual(failures, [], `restart ${round}, of ${answered} requests`);
      assert.ok(answered > 4, `requests were made during restart ${round} (${answered})`);
    }
  } finally {
    await busy.terminate();
  }
});

test('when the supervised shop gets Ctrl+C, then both processes stop with exit code 0, no process is left and nothing but info is printed', async () => {
  const pids = shopPids();
  supervisor.child.kill('SIGINT');
  const exit = await supervisor.exited;

  assert.deepEqual(exit, { code: 0, signal: null }, supervisor.output());
  assert.deepEqual(pids.filter(isAlive), [], 'no shop process is left');
  assert.equal(supervisor.stderr(), '');
  const alarming = supervisor.output().split('\n').filter((line) => line !== '' && !/"level":"info"/.test(line));
  assert.deepEqual(alarming, [], supervisor.output());
});

test('when the supervisor is killed with SIGKILL, then its shop stops too, and npm start half a second later starts on the same port and data', async () => {
  const port = await freePort();
  const killed = await startSupervised(port);
  const [pid] = shopPids(killed);
  await killed.stop('SIGKILL');
  await waitUntil('the orphaned shop stops', async () => !isAlive(pid!), { timeoutMs: 15_000 });

  await new Promise((resolve) => setTimeout(resolve, 500));
  const again = await startSupervised(port);
  try {
    assert.equal((await new Browser(`http://localhost:${port}`).get('/healthz')).status, 200);
  } finally {
    await again.stop();
  }
});

test('when the shop crashes under the supervisor, then it is not started again and the supervisor exits with its code', async () => {
  const crashing = await startSupervised(await freePort());
  const [pid] = shopPids(crashing);
  process.kill(pid!, 'SIGKILL');
  const exit = await crashing.exited;

  assert.deepEqual(exit, { code: 137, signal: null }, 'the code a shell gives a process killed by SIGKILL');
  assert.equal(shopPids(crashing).length, 1, `no second shop started:\n${crashing.output()}`);
});
