import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { Express } from 'express';
import { Browser } from './browser.ts';

/** Serves an Express app a test built itself, on a free port, until that test ends; returns a way to open browsers on it. */
export async function serveUntilTestEnds(t: TestContext, app: Express): Promise<() => Browser> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))));
  const { port } = server.address() as AddressInfo;
  return () => new Browser(`http://127.0.0.1:${port}`);
}
