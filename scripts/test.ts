import { spawnSync } from 'node:child_process';

/*
 * `npm test`: the type check, the lint, the node suites and the Playwright specs, in that order,
 * each timed. It stops at the first that fails, and prints how long each took, so a slow suite
 * shows where the time goes.
 */
const suites = [
  ['type check', 'typecheck'],
  ['lint', 'lint'],
  ['node tests', 'test:unit'],
  ['browser tests', 'test:e2e'],
] as const;

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings: string[] = [];
let failed: string | undefined;
for (const [name, script] of suites) {
  const started = performance.now();
  const { status } = spawnSync(npm, ['run', '--silent', script], { stdio: 'inherit' });
  timings.push(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s${status === 0 ? '' : ' (failed)'}`);
  if (status !== 0) {
    failed = name;
    break;
  }
}
console.log(`\nnpm test, how long each suite took: ${timings.join(', ')}`);
if (failed) {
  console.error(`npm test failed in the ${failed}.`);
  process.exit(1);
}
