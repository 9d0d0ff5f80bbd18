import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import { startTestApp, type TestApp } from './app.ts';
import { startTestDatabase } from './database.ts';

type Client = TestApp['request'];

/** Opens the lessons, which is how a browser becomes a student with a `student` cookie. */
export async function becomeStudent(client: Client): Promise<Client> {
  const page = await client.get('/lessons');
  if (page.status !== 200) throw new Error(`GET /lessons answered ${page.status}.`);
  return client;
}

/** The task steps the app has seen this browser's student do, by id. */
export async function completedSteps(client: Client): Promise<string[]> {
  const response = await client.get('/api/lessons/progress');
  const { lessons } = response.body as { lessons: { steps: { id: string; doneAt: string | null }[] }[] };
  return lessons.flatMap(({ steps }) => steps.filter(({ doneAt }) => doneAt !== null).map(({ id }) => id));
}

/** What the app says it saw for a step not done yet, as the open lesson page shows it; null when it has nothing to say. */
export async function stepHint(client: Client, step: string): Promise<string | null> {
  const response = await client.get('/api/lessons/progress');
  const { lessons } = response.body as { lessons: { steps: { id: string; hint: string | null }[] }[] };
  const found = lessons.flatMap(({ steps }) => steps).find(({ id }) => id === step);
  if (!found) throw new Error(`No lesson has the step ${step}.`);
  return found.hint;
}

/** The hint texts a lesson page shows. */
export function shownHints(html: string): string[] {
  return [...html.matchAll(/<p class="task__hint" data-hint>[\s\S]*?<span data-hint-text>([\s\S]*?)<\/span>/g)].map(([, text = '']) => text.trim());
}

/** Adds or changes a cookie in a client's jar, as a student does in the developer tools. */
export function editCookie(client: Client, url: string, name: string, value: string): void {
  client.jar.setCookie(`${name}=${value}; Path=/`, new URL(url).hostname, '/');
}

/** A cookie's value in a client's jar, as the developer tools show it. */
export function cookieValue(client: Client, url: string, name: string): string | undefined {
  return client.jar.getCookie(name, { domain: new URL(url).hostname, path: '/', secure: false, script: false })?.value;
}

/** Logs out with the form in the navigation. */
export async function logOut(shop: TestApp, client: Client) {
  return client.post('/logout').type('form').send({ _csrf: await shop.csrfToken('/lessons', client) });
}

/** The feedback texts a lesson page shows as done (the hidden ones wait for the task). */
export function shownFeedback(html: string): string[] {
  return [...html.matchAll(/<p class="task__feedback" role="status">([\s\S]*?)<\/p>/g)].map(([, text = '']) => text.replace(/\s+/g, ' ').trim());
}

export interface RestartableShop {
  /** The running instance; a restart replaces it. */
  readonly shop: TestApp;
  /** Stops the server and starts a new one on the same database and secret, with `changes` (e.g. another store); `shop.request` keeps its cookies. */
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
      const { jar } = shop.request;
      await shop.stop();
      shop = await startTestApp({ ...settings, ...changes });
      shop.request.jar = jar; // the browser keeps its cookies while the server restarts
    },
    async stop() {
      await shop.stop();
      await database.stop();
    },
  };
}
