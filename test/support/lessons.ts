import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import { startTestApp, type TestApp } from './app.ts';
import type { Browser } from './browser.ts';
import { startTestDatabase } from './database.ts';

/** Opens the lessons, which is how a browser becomes a student with a `student` cookie. */
export async function becomeStudent(browser: Browser): Promise<Browser> {
  const page = await browser.get('/lessons');
  if (page.status !== 200) throw new Error(`GET /lessons answered ${page.status}.`);
  return browser;
}

/** Sends lesson 7's cookie lab form, as the lesson page does: the lab sets lab_<name>=hello with Path=/ unless `fields` say otherwise. */
export function setLabCookie(student: Browser, fields: Record<string, string>) {
  const labPage = '/lessons/cookie-attributes';
  return student.submit(labPage, { value: 'hello', path: '/', sameSite: 'lax', maxAge: '', ...fields }, labPage);
}

/** The task steps the app has seen this browser's student do, by id. */
export async function completedSteps(browser: Browser): Promise<string[]> {
  const response = await browser.get('/api/lessons/progress');
  const { lessons } = response.json<{ lessons: { steps: { id: string; doneAt: string | null }[] }[] }>();
  return lessons.flatMap(({ steps }) => steps.filter(({ doneAt }) => doneAt !== null).map(({ id }) => id));
}

/** What the app says it saw for a step not done yet, as the open lesson page shows it; null when it has nothing to say. */
export async function stepHint(browser: Browser, step: string): Promise<string | null> {
  const response = await browser.get('/api/lessons/progress');
  const { lessons } = response.json<{ lessons: { steps: { id: string; hint: string | null }[] }[] }>();
  const found = lessons.flatMap(({ steps }) => steps).find(({ id }) => id === step);
  if (!found) throw new Error(`No lesson has the step ${step}.`);
  return found.hint;
}

/** The hint texts a lesson page shows. */
export function shownHints(html: string): string[] {
  return [...html.matchAll(/<p class="task__hint" data-hint>[\s\S]*?<span data-hint-text>([\s\S]*?)<\/span>/g)].map(([, text = '']) => text.trim());
}

/** Logs out with the form in the navigation, as a student does from a lesson. */
export function logOut(browser: Browser) {
  return browser.submit('/logout', {}, '/lessons');
}

/** The feedback texts a lesson page shows as done (the hidden ones wait for the task). */
export function shownFeedback(html: string): string[] {
  return [...html.matchAll(/<p class="task__feedback" role="status">([\s\S]*?)<\/p>/g)].map(([, text = '']) => text.replace(/\s+/g, ' ').trim());
}

export interface RestartableShop {
  /** The running instance; a restart replaces it. */
  readonly shop: TestApp;
  /** Stops the server and starts a new one on the same database and secret, with `changes` (e.g. another store); `shop.browser` keeps its cookies. */
  restart(changes?: Partial<Config>): Promise<void>;
  stop(): Promise<void>;
}

/** A shop to stop and start again, like pressing Ctrl+C and running `npm start` once more. */
export async function startRestartableShop(overrides: Partial<Config>): Promise<RestartableShop> {
  const database = await startTestDatabase();
  const settings = { ...overrides, mongodbUri: database.uri('shop'), sessionSecrets: [randomBytes(32).toString('hex')] };
  let shop = await startTestApp(settings);
  return {
    get shop() {
      return shop;
    },
    async restart(changes = {}) {
      const { cookies } = shop.browser;
      await shop.stop();
      shop = await startTestApp({ ...settings, ...changes });
      for (const [name, value] of cookies) shop.browser.cookies.set(name, value); // the browser keeps its cookies while the server restarts
    },
    async stop() {
      await shop.stop();
      await database.stop();
    },
  };
}
