import autocannon from 'autocannon';
import type { ProcessUsage } from './child-process.ts';
import { behindTlsProxy } from './shop.ts';

export interface LoadSettings {
  /** Measured seconds; a warm-up of `warmupSeconds` runs first and is thrown away. */
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers with another status than the page's (any non-2xx), socket errors and timeouts. */
  errors: number;
  /**
   * CPU time the servers spent per request. Unlike requests/s, it hardly changes when other work
   * shares the machine, so it still compares configurations on a busy one.
   */
  cpuMsPerRequest: number;
}

/** Loads one page over and over, with `cookie` as every request's Cookie header (or none); `servers` answer it. */
export async function measurePage(
  url: string,
  path: string,
  cookie: string | undefined,
  servers: readonly ProcessUsage[],
  settings: LoadSettings,
): Promise<Measurement> {
  const options: autocannon.Options = {
    url: new URL(path, url).href,
    connections: settings.connections,
    headers: { ...behindTlsProxy, ...(cookie && { cookie }) },
  };
  // JIT, connection pools and caches warm up first, so every configuration is measured warm.
  await autocannon({ ...options, duration: settings.warmupSeconds });
  const cpuBefore = await cpuSeconds(servers);
  const result = await autocannon({ ...options, duration: settings.seconds });
  const cpuUsed = (await cpuSeconds(servers)) - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    cpuMsPerRequest: (cpuUsed * 1000) / result.requests.total,
  };
}

export async function cpuSeconds(servers: readonly ProcessUsage[]): Promise<number> {
  const each = await Promise.all(servers.map((server) => server.cpuSeconds()));
  return each.reduce((total, seconds) => total + seconds, 0);
}
