import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './support/server-process.ts';
import { DbWorkload } from './db/workload.ts';
import { opsPerSecond, type MeasureOptions } from './db/measure.ts';

// Throughput of the embedded MongoDB-compatible server as the real drivers see it.
// The server runs in its own process (db/cli.ts, as `npm run db` runs it), once in memory
// and once with a data directory, so the cost of the journal's fdatasync shows.

const SIZES = [10_000, 100_000];
const MEASURE: MeasureOptions = { durationMs: 1500, warmUpMs: 1000, concurrency: 8 };
const LOOKUPS = new Set(['findOne by _id', 'findOne by unique sku', 'session get + set']);
const LOOKUP_TARGET = 1.5;

type Mode = 'memory' | 'disk';
/** ops/s by operation, mode and collection size. */
const results = new Map<string, Map<string, number>>();
const column = (mode: Mode, size: number) => `${mode} ${size / 1000}k`;

async function benchmark(mode: Mode): Promise<void> {
  const dataDir = mode === 'disk' ? await mkdtemp(join(tmpdir(), 'bench-db-')) : undefined;
  const server = await startServerProcess({ dataDir });
  const workload = await DbWorkload.connect(server.uri, MEASURE.concurrency);
  try {
    for (const size of SIZES) {
      const filling = performance.now();
      await workload.fillTo(size);
      const seconds = (performance.now() - filling) / 1000;
      console.error(`${mode}: ${workload.size} products and sessions in place (${seconds.toFixed(1)} s to fill)`);
      for (const [name, operation] of Object.entries(workload.operations())) {
        const row = results.get(name) ?? new Map<string, number>();
        results.set(name, row);
        row.set(column(mode, size), await opsPerSecond(operation, MEASURE));
      }
    }
  } finally {
    await workload.close();
    await server.kill('SIGTERM');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

function report(): void {
  const modes: Mode[] = ['memory', 'disk'];
  const header = ['operation (ops/s)', ...modes.flatMap((mode) => [...SIZES.map((size) => column(mode, size)), `${mode} 100k/10k`])];
  const rows = [...results].map(([name, row]) => [
    name,
    ...modes.flatMap((mode) => {
      const [small, large] = SIZES.map((size) => row.get(column(mode, size)) ?? NaN);
      // How many times slower the same operation is on the bigger collection.
      const slowdown = small! / large!;
      const verdict = LOOKUPS.has(name) ? (slowdown <= LOOKUP_TARGET ? ' ok' : ' SLOW') : '';
      return [small!.toFixed(0), large!.toFixed(0), `${slowdown.toFixed(2)}x${verdict}`];
    }),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log(
    `\n${MEASURE.concurrency} operations in flight, ${MEASURE.durationMs / 1000} s per figure after ${MEASURE.warmUpMs} ms warm-up.` +
      `\n100k/10k = time per operation at 100k documents over at 10k; lookups should stay within ${LOOKUP_TARGET}x.` +
      '\nsession get + set = one find {_id} limit 1 and one update {_id} $set upsert, sent by connect-mongodb-session itself.',
  );
}

const started = performance.now();
await benchmark('memory');
await benchmark('disk');
report();
console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
