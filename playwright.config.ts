import { existsSync } from 'node:fs';
import { defineConfig, devices, type LaunchOptions } from '@playwright/test';

const isCI = Boolean(process.env.CI);

/**
 * A system Chromium when there is one (Debian's, or CHROMIUM_PATH); otherwise Playwright's own
 * browser, installed once with `npx playwright install chromium`. Nothing is ever downloaded here.
 */
function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
    .find((path) => path !== undefined && path !== '' && existsSync(path));
  if (executablePath === undefined) return {};
  return {
    executablePath,
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
  forbidOnly: isCI,
  reporter: isCI ? 'list' : [['list'], ['html', { open: 'never' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() },
    },
  ],
});
