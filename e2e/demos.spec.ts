import type { SessionReport } from '../teaching/controllers/session-report.ts';
import { expect, test } from './support/app-server.ts';
import { alice, expectLoggedInAs, expectLoggedOut, logIn } from './support/shop.ts';

test.describe('restart with the memory store', () => {
  test.use({ appOptions: { sessionStore: 'memory' } });

  test('when the server restarts, then every login is gone', async ({ page, appServer }) => {
    await logIn(page, alice);
    await expectLoggedInAs(page, alice.email);

    await appServer.restart();
    await page.reload();

    await expectLoggedOut(page);
  });
});

test.describe('restart with the MongoDB store', () => {
  test.use({ appOptions: { sessionStore: 'mongodb' } });

  test('when the server restarts on the same data, then every login survives', async ({ page, appServer }) => {
    await logIn(page, alice);

    await appServer.restart();
    await page.reload();

    await expectLoggedInAs(page, alice.email);
  });
});

/*
 * The cluster over plain HTTP, one fresh connection per request (the workers close each one),
 * with the cookie sent by hand, so that nothing a worker answers replaces it along the way.
 */

const requestsPerCheck = 8;
const maximumLoginAttempts = 10;

function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
}

/**
 * Logs in and returns the session cookie. With the memory store the form's CSRF token lives on the
 * worker that served the form, so the POST is sent again until it lands on that worker.
 */
async function logInOverHttp(url: string): Promise<string> {
  const form = await fetch(`${url}/login`);
  const formCookie = cookiesFrom(form);
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  for (let attempt = 1; attempt <= maximumLoginAttempts; attempt += 1) {
    const response = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: alice.email, password: alice.password, _csrf: csrfToken }),
      redirect: 'manual',
    });
    if (response.status === 302) return cookiesFrom(response);
  }
  throw new Error(`No login within ${maximumLoginAttempts} attempts.`);
}

async function reportsWith(url: string, cookie: string): Promise<SessionReport[]> {
  const reports: SessionReport[] = [];
  for (let request = 0; request < requestsPerCheck; request += 1) {
    reports.push((await (await fetch(`${url}/api/session`, { headers: { cookie } })).json()) as SessionReport);
  }
  return reports;
}

test.describe('a cluster of two workers with the memory store', () => {
  test.use({ appOptions: { workers: 2, sessionStore: 'memory' } });

  test('when one cookie is sent again and again, then some requests are logged in and some are not, by worker', async ({ appServer }) => {
    const cookie = await logInOverHttp(appServer.url);

    const reports = await reportsWith(appServer.url, cookie);

    expect(new Set(reports.map((report) => report.servedBy)).size).toBe(2);
    expect(reports.some((report) => report.user === alice.email)).toBe(true);
    expect(reports.some((report) => report.user === null)).toBe(true);
    // Each worker answers the same way every time: the login lives in exactly one of them.
    const usersByWorker = new Map(reports.map((report) => [report.servedBy, report.user]));
    expect([...usersByWorker.values()].sort()).toEqual([alice.email, null].sort());
  });
});

test.describe('a cluster of two workers with the MongoDB store', () => {
  test.use({ appOptions: { workers: 2, sessionStore: 'mongodb' } });

  test('when one cookie is sent again and again, then every worker knows the login', async ({ appServer }) => {
    const cookie = await logInOverHttp(appServer.url);

    const reports = await reportsWith(appServer.url, cookie);

    expect(new Set(reports.map((report) => report.servedBy)).size).toBe(2);
    expect(reports.every((report) => report.user === alice.email)).toBe(true);
  });

  test('when a page is served, then it names its worker in the X-Served-By header and the badge', async ({ page }) => {
    const response = await page.goto('/');

    const servedBy = response?.headers()['x-served-by'] ?? '';
    expect(servedBy).toMatch(/^worker \d+ \(pid \d+\)$/);
    await expect(page.getByText(`served by ${servedBy}`)).toBeVisible();
  });
});
