import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Credentials } from './scram.ts';
import { PRIVATE_DIR, PRIVATE_FILE, syncDirectory } from './storage/files.ts';

/*
 * The embedded server's one user. Without it, any local OS user could connect to 127.0.0.1 and
 * read every session and password hash. The credentials are generated at first start into the
 * data directory (0700; this file 0600), so only the OS user who owns the directory, the one who
 * started the shop, can read them and connect. Without a data directory they live in memory only.
 */

const CREDENTIALS_FILE = 'credentials.json';
/** Written at every start: the connection string with this run's port, for mongosh and other shops. */
export const URI_FILE = 'uri';

export function generateCredentials(): Credentials {
  // Hex: nothing to escape in a URI, and SASLprep leaves it as it is.
  return { user: `shop-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('hex') };
}

/** The directory's credentials, created (with the directory) if it has none yet. */
export async function loadOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const path = join(dataDir, CREDENTIALS_FILE);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    const parsed = JSON.parse(existing) as Partial<Credentials>;
    if (typeof parsed.user !== 'string' || typeof parsed.password !== 'string') throw new Error(`${path} holds no user and password`);
    return { user: parsed.user, password: parsed.password };
  }
  const credentials = generateCredentials();
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR });
  // Written whole or not at all: a crash must not leave a half file that locks its owner out.
  await writeFile(`${path}.new`, JSON.stringify(credentials), { mode: PRIVATE_FILE, flush: true });
  await rename(`${path}.new`, path);
  await syncDirectory(dataDir);
  return credentials;
}

/** `mongodb://user:password@127.0.0.1:port/`: append a database name, as to any embedded server URI. */
export function connectionString({ user, password }: Credentials, host: string, port: number): string {
  return `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/`;
}

/** For tests and tools that start a server on `dataDir` themselves: its URI once it listens on `port`. */
export async function embeddedMongoUri(dataDir: string, port: number): Promise<string> {
  return connectionString(await loadOrCreateCredentials(dataDir), '127.0.0.1', port);
}

export async function writeUriFile(dataDir: string, uri: string): Promise<void> {
  await writeFile(join(dataDir, URI_FILE), `${uri}\n`, { mode: PRIVATE_FILE });
}
