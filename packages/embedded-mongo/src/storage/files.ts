import { chmod, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * The data directory holds generations. snapshot-N holds everything written to journals
 * older than N; journal-N, journal-N+1, ... hold what came after, in order.
 */
const GENERATION_DIGITS = 12;
const JOURNAL = /^journal-(\d+)\.log$/;
const SNAPSHOT = /^snapshot-(\d+)\.bson$/;
const TEMPORARY = /\.tmp$/;

/** Journals and snapshots hold password hashes and session documents: only their owner may read them. */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export const journalPath = (dir: string, generation: number) => join(dir, `journal-${pad(generation)}.log`);
export const snapshotPath = (dir: string, generation: number) => join(dir, `snapshot-${pad(generation)}.bson`);

export interface DirectoryListing {
  journals: number[];
  snapshots: number[];
  temporaries: string[];
}

/** Generations found in the directory, oldest first. */
export async function listGenerations(dir: string): Promise<DirectoryListing> {
  const listing: DirectoryListing = { journals: [], snapshots: [], temporaries: [] };
  for (const name of await readdir(dir)) {
    const journal = JOURNAL.exec(name);
    const snapshot = SNAPSHOT.exec(name);
    if (journal) listing.journals.push(Number(journal[1]));
    else if (snapshot) listing.snapshots.push(Number(snapshot[1]));
    else if (TEMPORARY.test(name)) listing.temporaries.push(join(dir, name));
  }
  listing.journals.sort((a, b) => a - b);
  listing.snapshots.sort((a, b) => a - b);
  return listing;
}

/** Makes the directory and every file in it private, also ones created readable by an older version. */
export async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, PRIVATE_DIR);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) await chmod(join(dir, entry.name), PRIVATE_FILE);
  }
}

/** Makes created, renamed and deleted names in the directory survive a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes every generation older than `generation` (they are covered by its snapshot). */
export async function removeGenerationsBefore(dir: string, generation: number): Promise<void> {
  const { journals, snapshots } = await listGenerations(dir);
  const stale = [
    ...journals.filter((g) => g < generation).map((g) => journalPath(dir, g)),
    ...snapshots.filter((g) => g < generation).map((g) => snapshotPath(dir, g)),
  ];
  await Promise.all(stale.map((path) => rm(path, { force: true })));
  if (stale.length > 0) await syncDirectory(dir);
}

function pad(generation: number): string {
  return String(generation).padStart(GENERATION_DIGITS, '0');
}
