import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/*
 * HTTPS in front of the shop, as a load balancer gives it in production: used by `npm run
 * start:https` (scripts/start-https.ts) and by the tests that run production over HTTPS.
 */

export interface Certificate {
  key: string;
  cert: string;
}

/** A throwaway self-signed certificate for localhost and 127.0.0.1, made by openssl. */
export async function selfSignedCertificate({ days = 1 }: { days?: number } = {}): Promise<Certificate> {
  const dir = await mkdtemp(join(tmpdir(), 'shop-tls-'));
  try {
    const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', String(days),
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', keyFile, '-out', certFile,
    ]);
    return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface TlsProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A TLS-terminating reverse proxy, like a load balancer in production: HTTPS outside, plain
 * HTTP to the app, with X-Forwarded-Proto telling the app the visitor used HTTPS. Listens on
 * `port` (any free one by default) of 127.0.0.1.
 */
export async function startTlsProxy(target: string, certificate: Certificate, { port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<TlsProxy> {
  const server = https.createServer(certificate, (request, response) => {
    const upstream = http.request(
      new URL(request.url ?? '/', target),
      { method: request.method, headers: { ...request.headers, 'x-forwarded-proto': 'https' } },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.rawHeaders);
        reply.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const listening = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${listening}`,
    port: listening,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
