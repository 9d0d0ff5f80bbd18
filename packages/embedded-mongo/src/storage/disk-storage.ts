import { mkdir, rm } from 'node:fs/promises';
import { lockDirectory, type DirectoryLock } from './directory-lock.ts';
import { encodeFrame } from './frames.ts';
import { PRIVATE_DIR, journalPath, listGenerations, makePrivate, removeGenerationsBefore, snapshotPath } from './files.ts';
import { JournalWriter } from './journal-writer.ts';
import { readJournal } from './journal-reader.ts';
import { ReplayState } from './replay.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import type { CollectionDump, JournalEntry } from './types.ts';

/**
 * Durable storage for the embedded server: an append-only journal made durable before
 * each write is acknowledged, compacted now and then into a snapshot.
 *
 * Files are numbered by generation. compact() switches appends to a new journal at once,
 * then writes snapshot-N (all of generations < N) and deletes the older files; open()
 * loads the newest snapshot and replays the journals from its generation on, in order.
 */
export class DiskStorage {
  private compacting: Promise<void> = Promise.resolve();
  private closed = false;

  private readonly dir: string;
  private readonly lock: DirectoryLock;
  private generation: number;
  private journal: JournalWriter;
  private bytesSinceSnapshot: number;

  private constructor(
    dir: string,
    lock: DirectoryLock,
    generation: number,
    journal: JournalWriter,
    bytesSinceSnapshot: number,
  ) {
    this.dir = dir;
    this.lock = lock;
    this.generation = generation;
    this.journal = journal;
    this.bytesSinceSnapshot = bytesSinceSnapshot;
  }

  /** Loads the latest snapshot, replays the journal after it, drops a torn/corrupt tail (with a warning on stderr). Creates the dir if missing. */
  static async open(dir: string): Promise<{ storage: DiskStorage; collections: CollectionDump[] }> {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
    const lock = await lockDirectory(dir);
    try {
      await makePrivate(dir);
      return await DiskStorage.load(dir, lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private static async load(dir: string, lock: DirectoryLock): Promise<{ storage: DiskStorage; collections: CollectionDump[] }> {
    const { journals, snapshots, temporaries } = await listGenerations(dir);
    // A temp file is a snapshot that never got renamed into place: the journals still hold its data.
    await Promise.all(temporaries.map((path) => rm(path, { force: true })));

    const base = snapshots.at(-1) ?? 0;
    const state = new ReplayState();
    if (snapshots.length > 0) state.load(await readSnapshot(snapshotPath(dir, base)));

    let generation = base;
    let bytesSinceSnapshot = 0;
    let lastJournalBytes = 0;
    for (const journal of journals.filter((g) => g >= base)) {
      const { batches, intactBytes } = await readJournal(journalPath(dir, journal));
      for (const entry of batches.flat()) state.apply(entry);
      generation = journal;
      bytesSinceSnapshot += intactBytes;
      lastJournalBytes = intactBytes;
    }
    // Left behind when a crash came between writing a snapshot and deleting what it covers.
    await removeGenerationsBefore(dir, base);

    const writer = new JournalWriter(journalPath(dir, generation), lastJournalBytes);
    const storage = new DiskStorage(dir, lock, generation, writer, bytesSinceSnapshot);
    return { storage, collections: state.dump() };
  }

  /** Durable before it resolves (written + fdatasync). Concurrent calls may share one fsync (group commit). Entries of one call are all-or-nothing on replay. */
  append(entries: JournalEntry[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('DiskStorage is closed'));
    if (entries.length === 0) return Promise.resolve();
    let frame: Buffer;
    try {
      frame = encodeFrame(entries);
    } catch (error) {
      return Promise.reject(error);
    }
    this.bytesSinceSnapshot += frame.length;
    return this.journal.append(frame);
  }

  /** Bytes in the journal since the last snapshot: the engine calls compact() when this grows large. */
  get journalBytes(): number {
    return this.bytesSinceSnapshot;
  }

  /** Writes a full snapshot (temp file, fsync, rename) and starts a fresh journal. Safe while append() calls continue: nothing acknowledged is lost. */
  compact(collections: CollectionDump[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('DiskStorage is closed'));
    // Switch journals now, synchronously: every append after this call goes to the new
    // generation, everything before it is in `collections`.
    const generation = ++this.generation;
    const previousFlushed = this.journal.close();
    this.journal = new JournalWriter(journalPath(this.dir, generation), 0, previousFlushed);
    this.bytesSinceSnapshot = 0;

    const done = this.compacting.then(async () => {
      await writeSnapshot(snapshotPath(this.dir, generation), collections);
      await previousFlushed;
      await removeGenerationsBefore(this.dir, generation);
    });
    // A failed compaction loses nothing (the journals stay); the next one starts afresh.
    this.compacting = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.compacting;
    await this.journal.close();
    await this.lock.release();
  }
}
