import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import { selfSignedCertificate, startTlsProxy, type TlsProxy } from '../../lib/tls.ts';
import { startTestApp, type TestApp } from './app.ts';

// The tests run production behind the same TLS proxy as `npm run start:https`.
export { selfSignedCertificate, startTlsProxy, type Certificate, type TlsProxy } from '../../lib/tls.ts';

export interface ProductionBehindTls {
  shop: TestApp;
  proxy: TlsProxy;
  /** The certificate a client trusts to reach the proxy. */
  ca: string;
  stop(): Promise<void>;
}

/** The shop as production (its own secret, session mode) behind a TLS-terminating proxy on this machine. */
export async function startProductionBehindTls(overrides: Partial<Config>): Promise<ProductionBehindTls> {
  const shop = await startTestApp({ authMode: 'session', nodeEnv: 'production', isProduction: true, sessionSecrets: [randomBytes(32).toString('hex')], ...overrides });
  const certificate = await selfSignedCertificate();
  const proxy = await startTlsProxy(shop.url, certificate);
  return {
    shop,
    proxy,
    ca: certificate.cert,
    async stop() {
      await proxy.close();
      await shop.stop();
    },
  };
}
