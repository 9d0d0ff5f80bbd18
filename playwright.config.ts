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
 * The course journey, by far the longest test (about two minutes of one worker): a project of its own,
 * listed first, so a worker starts it at once and the others share out the rest meanwhile. Started in
 * its turn among the files, it began after a minute and ran alone at the end.
 */
const courseJourney = /[/\\]course-journey\.spec\.ts$/;

/** `--headed`, `--debug` and `--ui` show the browser; every other run is headless. */
const showsBrowser = process.argv.some((arg) => /^--(headed|debug|ui)\b/.test(arg)) || Boolean(process.env.PWDEBUG);

/**
 * A system Chromium when there is one (CHROMIUM_PATH, or Debian's); otherwise Playwright's own
 * browser, installed once with `npx playwright install chromium`. Nothing is ever downloaded here.
 * Headless runs take Chromium's headless shell when it is installed (Debian: chromium-headless-shell),
 * as Playwright does with its own browsers: it needs no window and about a fifth less CPU than the
 * full browser (measured on three specs here).
 */
function chromiumLaunchOptions(): LaunchOptions {
  const headlessShell = showsBrowser ? [] : ['/usr/bin/chromium-headless-shell'];
  const executablePath = [process.env.CHROMIUM_PATH, ...headlessShell, '/usr/bin/chromium', '/usr/bin/chromium-browser']
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

const desktopChrome = { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() };

export default defineConfig({
  testDir: 'e2e',
  // Four on two cores: a test spends much of its time waiting for a page's poll or a server (measured on
  // Node 24 with the headless shell: 140 s of wall time with 3 workers, the cores 85 % busy; 126 s with 4, 94 %).
  workers: 4,
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
      name: 'course',
      testMatch: courseJourney,
      use: desktopChrome,
    },
    {
      name: 'login',
      testMatch: loginStories,
      use: desktopChrome,
    },
    {
      name: 'chromium',
      testIgnore: [loginStories, courseJourney],
      use: desktopChrome,
    },
  ],
});
