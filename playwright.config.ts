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
  // Three on two cores: a test spends most of its time waiting for a page's poll or a server, so the
  // browsers use about 1.2 cores (measured on Node 24: 228 s of wall time with 2 workers, 189 s with 3).
  workers: 3,
  // Every test starts its own shop, so the tests of one file are shared out one at a time too: the
  // workers finish together, and a file's long tests do not queue behind each other.
  fullyParallel: true,
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
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() },
    },
    {
      name: 'chromium',
      testIgnore: loginStories,
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() },
    },
  ],
});
