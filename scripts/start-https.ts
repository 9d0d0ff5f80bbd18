import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selfSignedCertificate, startTlsProxy } from '../lib/tls.ts';

/*
 * `npm run start:https` (lesson 11): the shop as production on your own machine. `npm start`'s
 * supervisor runs it with NODE_ENV=production, a SESSION_SECRET of its own, TRUST_PROXY=loopback
 * and an instructor token made for this run; in front of it a TLS-terminating proxy, as a load
 * balancer would be, with a self-signed certificate for localhost made by openssl at every start.
 * Production's data (its database, its demo passwords) lives apart from development's, in
 * DATA_DIR/https. PORT is the shop's own plain-HTTP port (3000), HTTPS_PORT the proxy's (3443).
 * Extra flags go to the shop (e.g. --session-store=memory). Ctrl+C stops all of it.
 */

const dataDir = resolve(process.env.DATA_DIR ?? '.data', 'https');
const port = Number(process.env.PORT ?? 3000);
const httpsPort = Number(process.env.HTTPS_PORT ?? 3443);

/** Kept in the data folder, readable only by you: a restart keeps everybody logged in. */
function keptSecret(file: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    return readFileSync(join(dataDir, file), 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    writeFileSync(join(dataDir, file), secret, { mode: 0o600 });
    return secret;
  }
}

const instructorToken = randomBytes(18).toString('base64url');
const shop = fork(fileURLToPath(new URL('./supervise.ts', import.meta.url)), process.argv.slice(2), {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: String(port),
    SESSION_SECRET: keptSecret('production-session-secret'),
    TRUST_PROXY: 'loopback',
    INSTRUCTOR_TOKEN: instructorToken,
  },
});
shop.once('exit', (code) => process.exit(code ?? 1));
// Ctrl+C reaches the shop too (one process group); the proxy ends with this process.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shop.kill(signal));

const shopUrl = `http://localhost:${port}`;
await untilAnswering(`http://127.0.0.1:${port}/healthz`);
const proxy = await startTlsProxy(`http://127.0.0.1:${port}`, await selfSignedCertificate({ days: 30 }), { port: httpsPort }).catch((error: unknown) => {
  console.error(`Cannot listen on 127.0.0.1:${httpsPort} for HTTPS (${error instanceof Error ? error.message : String(error)}); set HTTPS_PORT to a free port.`);
  shop.kill('SIGTERM');
  return undefined;
});
if (proxy) {
  console.log(`
The shop runs as production.
  Over HTTPS, through the proxy:   ${proxy.url}
  Its own port, plain HTTP:        ${shopUrl}   (no session cookie is set here: lesson 11)
  Lesson 11:                       ${proxy.url}/lessons/https-in-production

The certificate is self-signed, made for localhost at this start, so your browser warns about it.
Accept it for this visit only: Chrome "Advanced" then "Proceed to localhost (unsafe)"; Firefox
"Advanced" then "Accept the Risk and Continue". Do not install it as trusted: the browser would then
keep the shop's HSTS header, which holds for every port of localhost for a year.

Demo accounts: production gives them random passwords, in ${join(dataDir, 'demo-accounts.txt')}
(written when this database was first seeded). Instructor token for this run: ${instructorToken}
Ctrl+C stops the shop and the proxy.
`);
}

/** Waits for the shop to answer (the supervisor starts the database and the shop first). */
async function untilAnswering(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (shop.exitCode !== null) return;
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}
