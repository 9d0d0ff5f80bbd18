import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { sessionCookieName, sessionIdOf } from '../support/session-cookie.ts';
import { demoUsers } from '../../models/seed.ts';

const sampleSize = 1000;
const parallel = 4; // below the per-account login limit, whose attempts count until the password is checked

// The store does not make the ids; memory keeps 1,000 sessions cheap.
let ids: string[];
const shop = appPerSuite({ authMode: 'session', sessionStore: 'memory' }, async () => {
  ids = [];
  const visit = async () => {
    const browser = new Browser(shop().url);
    await browser.logIn(demoUsers.alice.email, demoUsers.alice.password); // only a login starts a session
    ids.push(sessionIdOf(browser.cookies.get(sessionCookieName)!));
  };
  for (let started = 0; started < sampleSize; started += parallel) await Promise.all(Array.from({ length: parallel }, visit));
});

/** The id's bits: express-session's ids are base64url text. */
function bitsOf(id: string): string {
  return [...Buffer.from(id, 'base64url')].map((byte) => byte.toString(2).padStart(8, '0')).join('');
}

test('S11 entropy: 1,000 new session ids are all different and all 32 base64url characters (192 bits, as uid-safe makes them)', () => {
  assert.equal(new Set(ids).size, sampleSize);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{32}$/);
});

test('S11 no pattern: every bit position is set in about half the ids, so no part of the id is fixed or counts up', () => {
  const bits = ids.map(bitsOf);
  const width = bits[0]!.length;
  assert.ok(width >= 128, `${width} bits`);
  for (let position = 0; position < width; position += 1) {
    const set = bits.filter((id) => id[position] === '1').length;
    // For random bits: 500 ± 16 (one standard deviation); 400..600 fails a real CSPRNG about once in 10^9 runs.
    assert.ok(set > 400 && set < 600, `bit ${position} is set in ${set} of ${sampleSize} ids`);
  }
});

test('S11 no sequence: ids made one after another differ in about half their bits, unlike a counter or a timestamp', () => {
  const bits = ids.map(bitsOf);
  const distances = bits.slice(1).map((id, index) => [...id].filter((bit, position) => bit !== bits[index]![position]).length);
  const mean = distances.reduce((sum, distance) => sum + distance, 0) / distances.length;
  const width = bits[0]!.length;
  assert.ok(Math.abs(mean - width / 2) < 5, `mean distance ${mean.toFixed(1)} of ${width} bits`);
  assert.ok(Math.min(...distances) > width / 4, `closest neighbours differ in only ${Math.min(...distances)} bits`);
});
