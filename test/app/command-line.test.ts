import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { typescriptExecArgv } from 'embedded-mongo';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command as `npm run …` would, and returns how it ended. */
function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...typescriptExecArgv, script, ...args], { cwd: repoRoot, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout, stderr });
    });
  });
}

const commands = [
  { script: 'server.ts', usage: /^usage: npm start -- .*\n {2}--auth-mode <mode> .*request, global, cookie, session/s },
  { script: 'scripts/cluster.ts', usage: /^usage: npm run cluster -- .*\n {2}--workers <n> .*\n {2}--auth-mode <mode>/s },
  { script: 'packages/embedded-mongo/src/cli.ts', usage: /^usage: npm run db -- .*\n {2}--port .*\n {2}--data/s },
];

describe('each command reads its flags with parseArgs', { concurrency: true }, () => {
  for (const { script, usage } of commands) {
    test(`when ${script} is given --help, then it prints its usage and exits 0 without starting`, async () => {
      const { code, stdout, stderr } = await run(script, ['--help']);
      assert.equal(code, 0, stderr);
      assert.match(stdout, usage);
      assert.doesNotMatch(stdout, /listening/);
    });

    test(`when ${script} is given a flag it does not know, then it names that flag, shows the usage and exits 2`, async () => {
      const { code, stdout, stderr } = await run(script, ['--auth-mod=cookie']);
      assert.equal(code, 2, stdout);
      assert.match(stderr, /^Unknown option '--auth-mod'\nusage: /);
      assert.equal(stdout, '', 'nothing started');
    });
  }
});
