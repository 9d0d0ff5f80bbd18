// The tests run production behind the same TLS proxy as `npm run start:https`.
export { selfSignedCertificate, startTlsProxy, type Certificate, type TlsProxy } from '../../../lib/tls.ts';
