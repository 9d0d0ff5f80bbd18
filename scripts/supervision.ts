import type { Server } from 'node:http';
import { Server as NetServer, Socket } from 'node:net';
import type { LiveSettings } from '../sessions/live-auth-mode.ts';

/*
 * The messages between `npm start`'s supervisor (scripts/supervise.ts) and the shop it runs. The
 * supervisor holds the port: it shares it with the shop, and passes on each connection it accepts
 * itself, so a browser that asks while the shop restarts waits for the new process instead of
 * being refused.
 */

/**
 * Supervisor to shop: with a handle, the listening port (once) or a connection to serve; without,
 * 'handed-over': no connection comes after this one, so every connection passed on is here.
 */
export interface SupervisorMessage {
  type: 'listen' | 'connection' | 'handed-over';
}

/**
 * Shop to supervisor: send me the port now; connections can come; start me again with these
 * settings once I exit; or: I am stopping, send no more.
 */
export type ShopMessage = { type: 'port' } | { type: 'ready' } | { type: 'restart'; settings: LiveSettings } | { type: 'stopping' };

export interface Supervisor {
  /** Resolves once `server` listens on the supervisor's port; it also serves every connection the supervisor passes on. */
  listenOnItsPort(server: Server): Promise<void>;
  ready(): void;
  /** Asks to be started again with `settings`; the caller then stops as on Ctrl+C. */
  requestRestart(settings: LiveSettings): void;
  /**
   * Asks for no more connections; resolves once all it passed on have arrived (at once if it is
   * gone), so a stop that then waits for the connections in hand leaves none unanswered.
   */
  stopHandingOver(): Promise<void>;
}

/** The supervisor when this process runs under one (it then has an IPC channel); undefined otherwise. */
export function supervisorOfThisProcess(): Supervisor | undefined {
  const send = process.send?.bind(process);
  if (!send) return undefined;
  const tell = (message: ShopMessage) => send(message);
  // A supervisor killed outright (kill -9) cannot stop us: alone, we would keep its port and the data directory.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  return {
    listenOnItsPort: (server) =>
      new Promise((resolve) => {
        process.on('message', (message: Partial<SupervisorMessage>, handle: unknown) => {
          if (message.type === 'listen' && handle instanceof NetServer) server.listen(handle, resolve);
          else if (message.type === 'connection' && handle instanceof Socket) server.emit('connection', handle);
        });
        // Asked for only now: a port handle starts accepting the moment it arrives, and one that
        // arrived while the shop was still starting would take connections nobody answers.
        tell({ type: 'port' });
      }),
    ready: () => tell({ type: 'ready' }),
    requestRestart: (settings) => tell({ type: 'restart', settings }),
    stopHandingOver: () =>
      new Promise((resolve) => {
        if (!process.connected) return resolve();
        // Messages arrive in order: the reply comes after every connection sent before it.
        process.on('message', (message: Partial<SupervisorMessage>) => {
          if (message.type === 'handed-over') resolve();
        });
        process.once('disconnect', () => resolve());
        tell({ type: 'stopping' });
      }),
  };
}
