import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDatabaseCli } from '../testing/cli-process.ts';
import { DbWorkload } from './workload.ts';
import { opsPerSecond } from './measure.ts';
import { measureFraming } from './framing.ts';
import { measureResponsiveness } from './responsiveness.ts';

// Throughput of the embedded MongoDB-compatible server as the real drivers see it.
// The server runs in its own process (src/cli.ts, as `npm run db` runs it), once in memory
// and once with a data directory, so the cost of the journal's fdatasync shows.
// Both sizes live side by side and are measured in alternation, best of ROUNDS, so that
// other load on the machine skews both columns alike instead of one.

const SIZES = [10_000, 100_000];
const CONCURRENCY = 8;
const WARM_UP_MS = 500;
const MEASURE_MS = 700;
const ROUNDS = 3;
const LOOKUPS = new Set(['findOne by _id', 'findOne by unique sku', 'session get + set']);
const LOOKUP_TARGET = 1.5;
const MODES = ['memory', 'disk'] as const;
type Mode = (typeof MODES)[number];

/** Best ops/s by operation, then by column. */
const results = new Map<string, Map<string, number>>();
const column = (mode: Mode, size: number) => `${mode} ${size / 1000}k`;

async function benchmark(mode: Mode): Promise<void> {
  const dataDir = mode === 'disk' ? await mkdtemp(join(tmpdir(), 'bench-db-')) : undefined;
  const server = await startDatabaseCli({ dataDir });
  const workloads: DbWorkload[] = [];
  try {
    const filling = performance.now();
    for (const size of SIZES) workloads.push(await DbWorkload.create(server.uri, `${size}`, size, CONCURRENCY));
    console.error(`${mode}: collections of ${SIZES.join(' and ')} documents filled in ${((performance.now() - filling) / 1000).toFixed(1)} s`);

    const operations = workloads.map((workload) => workload.operations());
    for (const name of Object.keys(operations[0]!)) {
      const row = results.get(name) ?? new Map<string, number>();
      results.set(name, row);
      const measure = async (index: number, durationMs: number) => {
        const opsPerSec = await opsPerSecond(operations[index]![name]!, durationMs, CONCURRENCY);
        await workloads[index]!.removeInserted();
        return opsPerSec;
      };
      for (const index of SIZES.keys()) await measure(index, WARM_UP_MS);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, size] of SIZES.entries()) {
          const key = column(mode, size);
          row.set(key, Math.max(row.get(key) ?? 0, await measure(index, MEASURE_MS)));
        }
      }
    }
  } finally {
    await Promise.all(workloads.map((workload) => workload.close()));
    await server.kill('SIGTERM');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

function report(): void {
  const header = ['operation (ops/s)', ...MODES.flatMap((mode) => [...SIZES.map((size) => column(mode, size)), `${mode} 100k/10k`])];
  const rows = [...results].map(([name, row]) => [
    name,
    ...MODES.flatMap((mode) => {
      const [small = NaN, large = NaN] = SIZES.map((size) => row.get(column(mode, size)));
      // How many times longer the same operation takes on the bigger collection.
      const slowdown = small / large;
      const verdict = LOOKUPS.has(name) ? (slowdown <= LOOKUP_TARGET ? ' ok' : ' SLOW') : '';
      return [small.toFixed(0), large.toFixed(0), `${slowdown.toFixed(2)}x${verdict}`];
    }),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log(
    `\nServer: src/cli.ts in its own process. ${CONCURRENCY} operations in flight; best of ${ROUNDS} runs of ${MEASURE_MS} ms, sizes alternating.` +
      `\n100k/10k = time per operation at 100k documents over at 10k; lookups should stay within ${LOOKUP_TARGET}x.` +
      '\nsession get + set = one find {_id} limit 1 and one update {_id} $set upsert, sent by connect-mongodb-session itself.',
  );
}

const started = performance.now();
for (const mode of MODES) await benchmark(mode);
report();
console.log(`\n${measureFraming().join('\n')}`);
console.log(`\n${(await measureResponsiveness()).join('\n')}`);
console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
