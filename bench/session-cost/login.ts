import autocannon from 'autocannon';
import { cpuSeconds, type LoadSettings, type Measurement } from './load.ts';
import { behindTlsProxy, withShop, type Shop } from './shop.ts';
import { CookieJar, Visitor, csrfTokenIn } from './visitor.ts';
import { benchAccount } from './workloads.ts';

export interface LoginFigures {
  bcryptRounds: number;
  connections: number;
  measurement: Measurement;
}

/*
 * bcryptjs hashes on the event loop. At cost 12 one login keeps it busy for about a third of a
 * second, so more connections would only queue past the end of the run; at cost 4 the database
 * writes (session regenerated and saved) dominate, and more connections keep the shop busy.
 */
const loginCosts = [
  { bcryptRounds: 12, connections: 2 },
  { bcryptRounds: 4, connections: 10 },
] as const;

/** Logins per second in the default setup (session + MongoDB), with the benchmark's password hashed at each cost. */
export async function measureLogins(settings: LoadSettings): Promise<LoginFigures[]> {
  const figures: LoginFigures[] = [];
  for (const { bcryptRounds, connections } of loginCosts) {
    const measurement = await withShop({ authMode: 'session', sessionStore: 'mongodb', bcryptRounds, allowLoginBursts: true }, async (shop) => {
      await new Visitor(shop.url).signUp(benchAccount.email, benchAccount.password);
      await runLogins(shop, connections, settings.warmupSeconds);
      return runLogins(shop, connections, settings.seconds);
    });
    figures.push({ bcryptRounds, connections, measurement });
    console.log(`  login at bcrypt cost ${bcryptRounds}: ${measurement.requestsPerSecond.toFixed(1)} logins/s`);
  }
  return figures;
}

interface LoginContext {
  cookie?: string;
  csrfToken?: string;
  sentAt?: number;
}

/**
 * Each connection loads the login form (for its session cookie and CSRF token) and posts it, over
 * and over. Only the POSTs are timed and counted: autocannon's own figures mix in the GETs.
 */
async function runLogins(shop: Shop, connections: number, seconds: number): Promise<Measurement> {
  const { email, password } = benchAccount;
  const latenciesMs: number[] = [];
  const cpuBefore = await cpuSeconds([shop]);
  const result = await autocannon({
    url: shop.url,
    connections,
    duration: seconds,
    headers: behindTlsProxy,
    requests: [
      {
        method: 'GET',
        path: '/login',
        onResponse: (_status, body, context: LoginContext, headers) => {
          const jar = new CookieJar();
          for (const setCookie of [headerValue(headers ?? {}, 'set-cookie') ?? []].flat()) jar.keep(setCookie);
          context.cookie = jar.header;
          context.csrfToken = csrfTokenIn(body);
        },
      },
      {
        method: 'POST',
        path: '/login',
        setupRequest: (request, context: LoginContext) => {
          context.sentAt = performance.now();
          return {
            ...request,
            headers: { ...behindTlsProxy, cookie: context.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ email, password, _csrf: context.csrfToken ?? '' }).toString(),
          };
        },
        onResponse: (status, _body, context: LoginContext) => {
          // A failed login answers 422 (counted as an error below); only redirects are logins.
          if (status === 302 && context.sentAt !== undefined) latenciesMs.push(performance.now() - context.sentAt);
        },
      },
    ],
  });
  const cpuUsed = (await cpuSeconds([shop])) - cpuBefore;
  latenciesMs.sort((a, b) => a - b);
  return {
    requestsPerSecond: latenciesMs.length / result.duration,
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    errors: result['4xx'] + result['5xx'] + result.errors + result.timeouts,
    cpuMsPerRequest: (cpuUsed * 1000) / latenciesMs.length, // per login, its GET included
  };
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | string[] | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.floor(fraction * (sorted.length - 1))] ?? Number.NaN;
}
