import { existsSync } from 'node:fs';
import { defineConfig, devices, type LaunchOptions } from '@playwright/test';

const isCI = Boolean(process.env.CI);

/**
 * `SLOW_MO=500 npm run test:login -- --headed`: every browser action waits this many milliseconds, slow
 * enough to follow each click and page. 0 (full speed) unless set.
 */
const slowMo = Number(process.env.SLOW_MO ?? 0) || 0;

/**
 * The login stories, the ones `npm run test:login` plays: how each way of remembering a login behaves
 * (auth-modes.spec.ts) and a whole purchase with each session store (shop-session.spec.ts). They run as
 * a project of their own, so `npm test` runs them once, in that project, and every other spec once in `chromium`.
 */
const loginStories = /[/\\](auth-modes|shop-session)\.spec\.ts$/;

/**
 * A system Chromium when there is one (Debian's, or CHROMIUM_PATH); otherwise Playwright's own
 * browser, installed once with `npx playwright install chromium`. Nothing is ever downloaded here.
 */
function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
    .find((path) => path !== undefined && path !== '' && existsSync(path));
  if (executablePath === undefined) return { slowMo };
  return {
    executablePath,
    slowMo,
    args: [
      // Chromium refuses to start its sandbox as root (CI containers).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      // No calls home: on a closed network they fail and slow every page down.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  };
}

export default defineConfig({
  testDir: 'e2e',
  workers: 2,
  retries: 0,
  // Slowed down, a story takes longer: each of its few dozen actions waits slowMo more.
  ...(slowMo > 0 ? { timeout: 30_000 + 100 * slowMo } : {}),
  forbidOnly: isCI,
  reporter: isCI ? 'list' : [['list'], ['html', { open: 'never' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    {
      name: 'login',
      testMatch: loginStories,
      // Each story starts its own shop: shared out one test at a time, both workers finish together.
      fullyParallel: true,
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() },
    },
    {
      name: 'chromium',
      testIgnore: loginStories,
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() },
    },
  ],
});
