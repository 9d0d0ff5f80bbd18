import { createServer, type Socket } from 'node:net';
import type { Document } from 'bson';
import { ConnectionAuthentication } from './authentication.ts';
import { MongoError, toMongoError } from './errors.ts';
import { runCommand, type ServerState } from './commands/index.ts';
import { CursorStore } from './cursors.ts';
import type { Engine } from './engine.ts';
import type { ScramKeys } from './scram.ts';
import type { JournalEntry } from './storage.ts';
import { MalformedMessage, MessageFramer, decodeRequest, encodeReply, type Request } from './wire.ts';
import { log } from './log.ts';

/** Makes journal entries durable; the reply waits for it. */
export type Commit = (entries: JournalEntry[]) => Promise<void>;

/** Commands MongoDB still accepts over legacy OP_QUERY: the handshake only. */
const LEGACY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

export interface ConnectionLimits {
  /** Open connections at once; one more is closed as soon as it connects. */
  maxConnections: number;
  /** Bytes of unfinished messages held for all connections together; the connection that goes over is closed. */
  maxBufferedBytes: number;
  /** How long a message may take from its first byte to its last before its connection is closed. */
  frameTimeoutMs: number;
  /**
   * Connections not authenticated (yet) held at once. One more closes the one that has been quiet
   * longest, so sockets that connect and say nothing can never keep a real client out.
   */
  maxUnauthenticated: number;
  /**
   * How long a connection that has not authenticated may stay without sending a message. Driver
   * monitoring connections never authenticate and send a hello every heartbeatFrequencyMS (10 s by
   * default), so this must stay well above that. Authenticated connections (idle pooled ones) stay.
   */
  unauthenticatedIdleMs: number;
}

/** Generous for any real client (a pool per app process), small enough that hostile ones cannot exhaust memory. */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxConnections: 1000,
  maxBufferedBytes: 256 * 1024 * 1024,
  frameTimeoutMs: 30_000,
  maxUnauthenticated: 200,
  unauthenticatedIdleMs: 30_000,
};

export interface WireServer {
  port: number;
  /** Stops accepting, drops connections, and waits until in-flight commands are durable. */
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  limits: ConnectionLimits;
  ttl: ServerState['ttl'];
  /** The one user every connection but the handshake must authenticate as (db/authentication.ts). */
  keys: ScramKeys;
}

export async function listen(engine: Engine, commit: Commit, { port, host, limits, ttl, keys }: ListenOptions): Promise<WireServer> {
  const state: ServerState = { startedAt: new Date(), connections: { current: 0, totalCreated: 0 }, ttl };
  const cursors = new CursorStore();
  const connections = new Map<Socket, Promise<void>>();
  let bufferedBytes = 0;
  // Connections that have not authenticated, least recently active first, each with its idle timer.
  const unauthenticated = new Map<Socket, NodeJS.Timeout>();
  const forget = (socket: Socket) => {
    clearTimeout(unauthenticated.get(socket));
    unauthenticated.delete(socket);
  };
  const touch = (socket: Socket) => {
    forget(socket);
    unauthenticated.set(socket, setTimeout(() => socket.destroy(), limits.unauthenticatedIdleMs));
  };

  const server = createServer((socket) => {
    const connectionId = ++state.connections.totalCreated;
    state.connections.current++;
    const framer = new MessageFramer();
    const authentication = new ConnectionAuthentication(keys);
    if (unauthenticated.size >= limits.maxUnauthenticated) unauthenticated.keys().next().value?.destroy();
    touch(socket);
    let frameTimer: NodeJS.Timeout | undefined;
    let pending = 0; // messages received and not answered yet
    let counted = 0; // this connection's share of bufferedBytes
    connections.set(socket, Promise.resolve());
    // A socket error (reset by peer...) only ends that connection.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      state.connections.current--;
      bufferedBytes -= counted;
      clearTimeout(frameTimer);
      forget(socket);
      void connections.get(socket)?.finally(() => connections.delete(socket));
    });
    socket.on('data', (chunk) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch {
        socket.destroy(); // the stream cannot be framed any more
        return;
      }
      bufferedBytes += framer.pendingBytes - counted;
      counted = framer.pendingBytes;
      if (bufferedBytes > limits.maxBufferedBytes) {
        socket.destroy();
        return;
      }
      // Each message gets the whole deadline, counted from its first byte.
      if (messages.length > 0 || framer.pendingBytes === 0) {
        clearTimeout(frameTimer);
        frameTimer = undefined;
      }
      if (framer.pendingBytes > 0) frameTimer ??= setTimeout(() => socket.destroy(), limits.frameTimeoutMs);
      // One command at a time per connection, in order, like mongod; no more reading while some wait.
      // Nothing a client sends may reject this chain: a failure ends the connection, never the server.
      if (messages.length > 0 && !authentication.authenticated) touch(socket);
      pending += messages.length;
      if (pending > 0) socket.pause();
      const queue = connections.get(socket) ?? Promise.resolve();
      const next = messages.reduce(
        (previous, message) =>
          previous
            .then(() => serve(socket, message, connectionId, authentication))
            .then(() => {
              if (authentication.authenticated) forget(socket);
            })
            .catch(() => void socket.destroy())
            .finally(() => {
              if (--pending === 0) socket.resume();
            }),
        queue,
      );
      connections.set(socket, next);
    });
  });
  // Beyond this, Node closes new connections as they arrive.
  server.maxConnections = limits.maxConnections;

  async function serve(socket: Socket, message: Buffer, connectionId: number, authentication: ConnectionAuthentication): Promise<void> {
    let request: Request;
    try {
      request = decodeRequest(message);
    } catch (error) {
      if (error instanceof MalformedMessage) {
        send(socket, new MongoError(22, error.message).toReply(), error.requestId, error.legacy);
      } else {
        socket.destroy();
      }
      return;
    }
    let reply = runRequest(request, connectionId, authentication);
    const entries = engine.takeJournalEntries();
    if (entries.length > 0) {
      try {
        await commit(entries);
      } catch (error) {
        reply = new MongoError(1, `the write was applied in memory but could not be made durable: ${(error as Error).message}`).toReply();
      }
    }
    if (!request.moreToCome) send(socket, reply, request.requestId, request.legacy);
  }

  function runRequest(request: Request, connectionId: number, authentication: ConnectionAuthentication): Document {
    const [name] = Object.keys(request.command);
    if (request.legacy && !LEGACY_COMMANDS.has(name ?? '')) {
      return new MongoError(352, `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`).toReply();
    }
    return authentication.run(request.command, (command) => runCommand(command, { engine, cursors, server: state, connectionId }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Accept failures (too many open files...) are reported, never thrown at the process.
  server.on('error', (error) => log.error(`embedded mongo: ${error.message}`));

  return {
    port: (server.address() as { port: number }).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of connections.keys()) socket.destroy();
      await Promise.all([...connections.values()]);
      await closed;
    },
  };
}

function send(socket: Socket, reply: Document, responseTo: number, legacy: boolean): void {
  if (socket.destroyed) return;
  let bytes: Buffer;
  try {
    bytes = encodeReply(reply, responseTo, legacy);
  } catch (error) {
    bytes = encodeReply(toMongoError(error).toReply(), responseTo, legacy);
  }
  socket.write(bytes);
}
