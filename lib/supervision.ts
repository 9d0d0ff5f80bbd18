import type { Server } from 'node:http';
import { Socket } from 'node:net';
import type { LiveSettings } from '../sessions/live-auth-mode.ts';

/*
 * The messages between `npm start`'s supervisor (scripts/supervise.ts) and the shop it runs. The
 * supervisor holds the port and hands the shop each connection, so a browser that asks while the
 * shop restarts waits for the new process instead of being refused.
 */

/** Supervisor to shop: a connection to serve. */
export interface ConnectionMessage {
  type: 'connection';
}

/** Shop to supervisor: connections can come; or: start me again with these settings once I exit. */
export type ShopMessage = { type: 'ready' } | { type: 'restart'; settings: LiveSettings };

export interface Supervisor {
  /** Serves on `server` every connection the supervisor hands over, from now on. */
  handConnectionsTo(server: Server): void;
  ready(): void;
  /** Asks to be started again with `settings`; the caller then stops as on Ctrl+C. */
  requestRestart(settings: LiveSettings): void;
}

/** The supervisor when this process runs under one (it then has an IPC channel); undefined otherwise. */
export function supervisorOfThisProcess(): Supervisor | undefined {
  const send = process.send?.bind(process);
  if (!send) return undefined;
  const tell = (message: ShopMessage) => send(message);
  return {
    handConnectionsTo(server) {
      process.on('message', (message: Partial<ConnectionMessage>, socket: unknown) => {
        if (message.type === 'connection' && socket instanceof Socket) server.emit('connection', socket);
      });
    },
    ready: () => tell({ type: 'ready' }),
    requestRestart: (settings) => tell({ type: 'restart', settings }),
  };
}
