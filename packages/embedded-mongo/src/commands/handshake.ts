import type { Document } from 'bson';
import { MongoError, badValue } from '../errors.ts';
import { MAX_BSON_SIZE, MAX_MESSAGE_SIZE } from '../wire.ts';
import { commandOptions, type CommandContext, type CommandTable } from './context.ts';

const VERSION = '7.0.0';

/**
 * No `setName` (a standalone) and no `topologyVersion` (drivers then poll instead of streaming
 * hello replies). `logicalSessionTimeoutMinutes` lets drivers use sessions; we ignore `lsid`.
 */
function hello(legacyName: boolean) {
  return (_body: Document, context: CommandContext): Document => ({
    ...(legacyName ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  });
}

export const handshakeCommands: CommandTable = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: VERSION,
    versionArray: [7, 0, 0, 0],
    gitVersion: 'embedded',
    modules: [],
    bits: 64,
    maxBsonObjectSize: MAX_BSON_SIZE,
    storageEngines: ['embedded'],
    ok: 1,
  }),
  setParameter: (body, { server }) => {
    const parameters = commandOptions(body, 'setParameter');
    const [name, ...others] = Object.keys(parameters);
    if (name !== 'ttlMonitorSleepSecs' || others.length > 0) {
      throw new MongoError(72, `the embedded server can set ttlMonitorSleepSecs only, got ${JSON.stringify(Object.keys(parameters))}`);
    }
    const seconds = parameters.ttlMonitorSleepSecs;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) throw badValue(`ttlMonitorSleepSecs must be a positive integer, got ${JSON.stringify(seconds)}`);
    const was = server.ttl.intervalMs / 1000;
    server.ttl.intervalMs = seconds * 1000;
    return { was, ok: 1 };
  },
  getParameter: (body) => (body.featureCompatibilityVersion ? { featureCompatibilityVersion: { version: '7.0' }, ok: 1 } : { ok: 1 }),
  serverStatus: (_body, context) => ({
    host: '127.0.0.1',
    version: VERSION,
    process: 'embedded-mongo',
    pid: process.pid,
    uptime: Math.floor((Date.now() - context.server.startedAt.getTime()) / 1000),
    uptimeMillis: Date.now() - context.server.startedAt.getTime(),
    localTime: new Date(),
    connections: { ...context.server.connections },
    ok: 1,
  }),
  // Sessions carry no server-side state here, so ending them is a no-op.
  endSessions: () => ({ ok: 1 }),
};
