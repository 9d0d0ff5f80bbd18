import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { LessonProgress } from '../../teaching/models/lesson-progress.ts';
import { classSize } from '../../teaching/models/student-progress.ts';
import { appPerSuite } from '../support/app.ts';

const maxNewStudents = 5;
const shop = appPerSuite({
  authMode: 'session',
  instructorToken: 'anonymous-students-token',
  addressRateLimit: { maxSignups: 1000, maxInstructorTokenFailures: 10, maxNewStudents },
});

test(`S32 cookieless lesson visits from one address make at most ${maxNewStudents} students; the next is told why and when to come back`, async () => {
  const statuses = [];
  for (let visit = 0; visit <= maxNewStudents; visit++) {
    const page = await shop().newBrowser().get('/lessons/cookies-live-in-the-browser');
    statuses.push(page.status);
    if (page.status === 429) assert.match(page.text, /Too many new students from your network\. Please wait \d+ minutes? and try again\./);
  }
  assert.deepEqual(statuses, [...Array<number>(maxNewStudents).fill(200), 429]);
});

test(`S32 with 10,000 students on record, the class view lists the ${classSize} most recently active, the latest first`, async () => {
  const longAgo = Date.now() - 30 * 24 * 3_600_000;
  await LessonProgress.insertMany(
    Array.from({ length: 10_000 }, (_, index) => ({ _id: randomBytes(24).toString('base64url'), displayName: `flood ${index}`, createdAt: new Date(longAgo + index), updatedAt: new Date(longAgo + index) })),
    { timestamps: false },
  );
  const instructor = shop().newBrowser();
  await instructor.submit('/instructor/token', { token: 'anonymous-students-token' });
  const started = performance.now();
  const reply = await instructor.get('/instructor/class/progress');
  const elapsedMs = performance.now() - started;
  assert.equal(reply.status, 200);
  const { students } = JSON.parse(reply.text) as { students: { name: string }[] };
  assert.equal(students.length, classSize);
  // The students of the test above opened a lesson just now: active in the last hours, they come first.
  const flood = students.filter(({ name }) => name.startsWith('flood '));
  assert.deepEqual(flood.slice(0, 3).map(({ name }) => name), ['flood 9999', 'flood 9998', 'flood 9997']);
  console.log(`class view with 10,000 students on record: ${elapsedMs.toFixed(0)} ms`);
});
