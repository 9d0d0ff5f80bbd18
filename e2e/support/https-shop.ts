import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startScript } from '../../testing/child-process.ts';

/**
 * `npm run start:https` as a student runs it for lesson 11: production under the supervisor on `port`
 * (plain HTTP), behind the TLS proxy with its self-signed certificate on a port of its own. A browser
 * accepts the certificate with ignoreHTTPSErrors, as the student accepts it for one visit.
 */
export interface HttpsShop {
  httpsUrl: string;
  httpUrl: string;
  /** Production's demo passwords, from the file the script names. */
  demoAccount(email: string): Promise<{ email: string; password: string }>;
  stop(): Promise<void>;
}

export async function startHttpsShop(port: number): Promise<HttpsShop> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-https-e2e-'));
  const httpsPort = await freePort();
  const server = await startScript('scripts/start-https.ts', [], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HTTPS_PORT: String(httpsPort) },
    // The proxy listens once the shop answers.
    readyWhen: { tcp: httpsPort },
    timeoutMs: 60_000,
    stopTimeoutMs: 15_000,
    stderr: 'inherit',
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    httpsUrl: `https://localhost:${httpsPort}`,
    httpUrl: `http://localhost:${port}`,
    async demoAccount(email) {
      const list = await readFile(join(dataDir, 'https', 'demo-accounts.txt'), 'utf8');
      const password = new RegExp(`${email.replaceAll('.', '\\.')} / (\\S+)`).exec(list)?.[1];
      if (!password) throw new Error(`${email} is not in demo-accounts.txt: ${list}`);
      return { email, password };
    },
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
