import { createHash } from 'node:crypto';
import { readFile, realpath, rm, unlink, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRIVATE_FILE } from './files.ts';

const LOCK_FILE = 'LOCK';

export interface DirectoryLock {
  release(): Promise<void>;
}

/**
 * Claims the data directory for this process: two servers appending to the same journal
 * would corrupt it. The claim is a socket listening on an address derived from the directory's
 * real path, which the kernel frees the moment the process dies (kill -9 included), so a restart
 * right after a crash always starts. The LOCK file only tells people which process holds the
 * directory: whatever PID it names, it never blocks a start.
 */
export async function lockDirectory(dir: string): Promise<DirectoryLock> {
  const address = lockAddress(await realpath(dir));
  const server = await claim(address).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    const owner = (await readFile(join(dir, LOCK_FILE), 'utf8').catch(() => '')).trim();
    throw new Error(`Data directory ${dir} is in use by process ${owner || 'unknown'} (${join(dir, LOCK_FILE)}); stop that server or pick another directory.`);
  });
  await writeFile(join(dir, LOCK_FILE), String(process.pid), { mode: PRIVATE_FILE });
  return {
    async release() {
      await rm(join(dir, LOCK_FILE), { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Linux: an abstract socket (no file, gone with its process). Windows: a named pipe (same).
 * Elsewhere a socket file, which outlives a killed process: `claim` removes it when nobody answers.
 */
function lockAddress(realDir: string): string {
  const id = createHash('sha256').update(realDir).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0embedded-mongo-${id}`;
  if (process.platform === 'win32') return `\\\\.\\pipe\\embedded-mongo-${id}`;
  return join(tmpdir(), `embedded-mongo-${id}.sock`);
}

async function claim(address: string): Promise<Server> {
  try {
    return await listenOn(address);
  } catch (error) {
    const isSocketFile = !address.startsWith('\0') && process.platform !== 'win32';
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !isSocketFile || (await answers(address))) throw error;
    await unlink(address).catch(() => undefined);
    return listenOn(address);
  }
}

function listenOn(address: string): Promise<Server> {
  // A client that connects learns nothing and holds nothing: the listening socket is the lock.
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      server.unref(); // the lock alone never keeps the process alive
      resolve(server);
    });
  });
}

function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(address, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
