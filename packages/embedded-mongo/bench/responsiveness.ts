import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/index.ts';

// The shop and the embedded database in one process, as `npm start` runs them: while a client
// keeps the database busy with the catastrophic regex `^(a+)+$`, how long does a page take?

const RUN_MS = 3000;
const PAGE_EVERY_MS = 10;
const PAGE_TARGET_MS = 50;

export async function measureResponsiveness(): Promise<string[]> {
  const database = await startEmbeddedMongo({ port: 0 });
  const client = await new MongoClient(database.uri).connect();
  const shop = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  try {
    const texts = client.db('bench').collection('texts');
    // 31 characters took a backtracking engine 8 s; 100 000 make RE2 work for a while too.
    await texts.insertMany([{ s: `${'a'.repeat(30)}!` }, ...Array.from({ length: 20 }, () => ({ s: `${'a'.repeat(100_000)}!` }))]);
    const deadline = performance.now() + RUN_MS;
    const queryMs: number[] = [];
    const pageMs: number[] = [];
    const queries = (async () => {
      while (performance.now() < deadline) queryMs.push(await timed(() => texts.find({ s: { $regex: '^(a+)+$' } }).toArray()));
    })();
    const url = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/healthz`;
    await fetch(url); // warm up the HTTP client once, outside the figures
    while (performance.now() < deadline) {
      pageMs.push(await timed(() => fetch(url).then((response) => response.text())));
      await sleep(PAGE_EVERY_MS);
    }
    await queries;
    const slowest = Math.max(...pageMs);
    return [
      `catastrophic regex find over 21 documents: ${queryMs.length} runs, median ${median(queryMs).toFixed(0)} ms each`,
      `shop page meanwhile: ${pageMs.length} requests, median ${median(pageMs).toFixed(1)} ms, slowest ${slowest.toFixed(1)} ms ` +
        `(target: within ${PAGE_TARGET_MS} ms: ${slowest <= PAGE_TARGET_MS ? 'ok' : 'SLOW'})`,
    ];
  } finally {
    shop.close();
    await client.close();
    await database.stop();
  }
}

async function timed(operation: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await operation();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
