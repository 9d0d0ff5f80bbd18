import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError, configFromCommandLine } from '../config.ts';
import type { ShopMessage, SupervisorMessage } from './supervision.ts';
import type { LiveSettings } from '../sessions/live-auth-mode.ts';

/*
 * `npm start`: runs server.ts as a child process and starts it again when it asks to be restarted
 * (the instructor panel's Restart button), with the auth mode and store live at that moment. A
 * restart is a real new process: the memory store is gone, the database reopens its data. This
 * process holds the port and hands each connection to the running shop; connections that arrive
 * between two shops wait for the next one. Ctrl+C stops both; a shop that crashes is not restarted:
 * this process exits with its code.
 */

const shopScript = fileURLToPath(new URL('../server.ts', import.meta.url));

const config = (() => {
  try {
    return configFromCommandLine();
  } catch (error) {
    // A configuration mistake needs its message, not a stack trace.
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
})();

let shop: ChildProcess | undefined;
/** True while `shop` serves: connections go to it; otherwise they wait here. */
let serving = false;
let waiting: Socket[] = [];
let stopping = false;
let restartWith: LiveSettings | undefined;

const port = createServer({ pauseOnConnect: true }, (socket) => {
  if (serving) handOver(socket);
  else waiting.push(socket);
});
port.once('error', (error) => {
  console.error(`Cannot listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
});
port.listen(config.port, config.host);
await once(port, 'listening');
const { port: portNumber } = port.address() as { port: number };

function handOver(socket: Socket) {
  shop?.send({ type: 'connection' } satisfies SupervisorMessage, socket, (error) => {
    if (error) socket.destroy();
  });
}

function startShop(settings?: LiveSettings) {
  // Later flags win: the port this process holds, and the settings the last shop had live.
  const flags = [`--port=${portNumber}`, ...(settings ? [`--auth-mode=${settings.authMode}`, `--session-store=${settings.sessionStore}`] : [])];
  const child = fork(shopScript, [...process.argv.slice(2), ...flags]);
  shop = child;
  child.on('message', (message: ShopMessage) => {
    if (message.type === 'port') {
      child.send({ type: 'listen' } satisfies SupervisorMessage, port);
    } else if (message.type === 'ready') {
      serving = true;
      for (const socket of waiting) handOver(socket);
      waiting = [];
    } else if (message.type === 'restart') {
      serving = false;
      restartWith = message.settings;
    } else if (message.type === 'stopping') {
      // Node passes handles one at a time, each once the shop has taken the last: a shop that exited
      // before taking them all would leave connections open and unanswered. So it waits for this reply.
      serving = false;
      child.send({ type: 'handed-over' } satisfies SupervisorMessage, () => {}); // a shop already gone needs none
    }
  });
  child.once('exit', (code, signal) => {
    serving = false;
    const restart = restartWith;
    restartWith = undefined;
    if (!stopping && restart && code === 0) return startShop(restart);
    for (const socket of waiting) socket.destroy();
    port.close();
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
  });
}

// Ctrl+C reaches the shop too (one process group); a signal sent to this process alone is passed on.
const stop = (signal: NodeJS.Signals) => {
  stopping = true;
  serving = false;
  shop?.kill(signal);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

startShop();
