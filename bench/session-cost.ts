import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { measureLogins } from './session-cost/login.ts';
import { describeMachine, loadAverage } from './session-cost/machine.ts';
import { measureExpiry, measureMemory } from './session-cost/memory.ts';
import { measurePages } from './session-cost/pages.ts';
import { renderReport } from './session-cost/report.ts';

/*
 * npm run bench [-- --seconds 6 --warmup 2 --sessions 50000]
 * What each way of remembering a login costs, side by side, on this machine: page loads, logins,
 * memory. Prints the tables and writes them to bench/RESULTS.md.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '2' },
    sessions: { type: 'string', default: '50000' },
  },
});
const settings = { seconds: Number(values.seconds), warmupSeconds: Number(values.warmup), connections: 10 };
const sessions = Number(values.sessions);

const machine = describeMachine();
const loadBefore = loadAverage();
console.log('Page loads, GET /products:');
const pages = await measurePages(settings);
console.log('Logins:');
const logins = await measureLogins(settings);
console.log('Memory:');
const memory = await measureMemory([sessions / 5, sessions]);
const expiry = await measureExpiry();

const report = await renderReport({ machine, loadBefore, loadAfter: loadAverage(), settings, pages, logins, memory, expiry });
await writeFile(new URL('./RESULTS.md', import.meta.url), report);
console.log(`\n${report}`);
