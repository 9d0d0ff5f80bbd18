import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * `npm test`: the type check and the lint side by side (each uses one core), then the node suites,
 * then the Playwright specs, each timed. It stops after the first step that fails, and prints how
 * long each suite took, so a slow suite shows where the time goes.
 */
const steps = [
  [
    ['type check', 'typecheck'],
    ['lint', 'lint'],
  ],
  [['node tests', 'test:unit']],
  [['browser tests', 'test:e2e']],
] as const;

// Node 22.1+ keeps each module's compiled code here: the two hundred processes a run starts (a test
// file each, the servers they start) load the same modules, with about a quarter less CPU (Node 24).
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'node-compile-cache');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs one npm script; what it prints is held back until it ends, so suites side by side do not mix their lines. */
function runSuite(name: string, script: string, alone: boolean): Promise<{ timing: string; failed: boolean }> {
  const started = performance.now();
  const child = spawn(npm, ['run', '--silent', script], { stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve) =>
    child.on('close', (status) => {
      process.stdout.write(Buffer.concat(output));
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      resolve({ timing: `${name}: ${seconds} s${status === 0 ? '' : ' (failed)'}`, failed: status !== 0 });
    }),
  );
}

const started = performance.now();
const timings: string[] = [];
const failed: string[] = [];
for (const step of steps) {
  const results = await Promise.all(step.map(([name, script]) => runSuite(name, script, step.length === 1)));
  timings.push(...results.map(({ timing }) => timing));
  failed.push(...step.filter((_, index) => results[index]!.failed).map(([name]) => name));
  if (failed.length > 0) break;
}
const total = ((performance.now() - started) / 1000).toFixed(0);
console.log(`\nnpm test took ${total} s; each suite: ${timings.join(', ')}`);
if (failed.length > 0) {
  console.error(`npm test failed in the ${failed.join(' and the ')}.`);
  process.exit(1);
}
