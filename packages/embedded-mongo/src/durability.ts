import type { Engine } from './engine.ts';
import type { DiskStorage, JournalEntry } from './storage.ts';
import { log } from './log.ts';

// Compact once the journal holds this much since the last snapshot: bounds restart time and disk use.
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/** Journals every change before its reply, and folds the journal into a snapshot now and then. */
export class Durability {
  private compacting: Promise<void> | undefined;

  private readonly engine: Engine;
  private readonly storage: DiskStorage | undefined;

  constructor(
    engine: Engine,
    storage: DiskStorage | undefined,
  ) {
    this.engine = engine;
    this.storage = storage;
  }

  /** Durable when it resolves. Called right after the changes, so journal order is apply order. */
  readonly commit = async (entries: JournalEntry[]): Promise<void> => {
    if (!this.storage) return;
    await this.storage.append(entries);
    if (this.storage.journalBytes > COMPACT_AFTER_BYTES && !this.compacting) {
      this.compacting = this.compact()
        .catch((error: Error) => log.error(`embedded mongo: compaction failed, the journal keeps growing: ${error.message}`))
        .finally(() => {
          this.compacting = undefined;
        });
    }
  };

  /** Final snapshot and close, on clean shutdown. */
  async close(): Promise<void> {
    if (!this.storage) return;
    await this.compacting;
    await this.compact();
    await this.storage.close();
  }

  // The dump is taken synchronously, so it holds exactly the changes appended so far.
  private compact(): Promise<void> {
    return this.storage!.compact(this.engine.dump());
  }
}
