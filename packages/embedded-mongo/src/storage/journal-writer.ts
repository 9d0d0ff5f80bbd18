import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_FILE, syncDirectory } from './files.ts';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends frames to one journal file with group commit: frames that arrive while a
 * write + fdatasync is in flight are written together by the next one, so many
 * concurrent writers share each (slow) fdatasync.
 */
export class JournalWriter {
  private queued: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private handle: FileHandle | undefined;
  private unusable: Error | undefined;
  private closing: Promise<void> | undefined;

  private readonly path: string;
  private durableBytes: number;
  private predecessor?: Promise<void>;

  /**
   * @param durableBytes length of the intact prefix already in the file; writes continue there.
   * @param predecessor settles once the previous generation's journal has flushed, so an
   *   acknowledgement here never overtakes an earlier write still in flight there.
   */
  constructor(
    path: string,
    durableBytes: number,
    predecessor?: Promise<void>,
  ) {
    this.path = path;
    this.durableBytes = durableBytes;
    this.predecessor = predecessor;
  }

  /** Resolves once the frame is on disk. */
  append(frame: Buffer): Promise<void> {
    if (this.closing) return Promise.reject(new Error(`journal ${this.path} is closed`));
    return new Promise((resolve, reject) => {
      this.queued.push(frame);
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flushQueue();
    });
  }

  /** Flushes what is queued, then closes the file. Never rejects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flushing;
      await this.handle?.close().catch(() => undefined);
    })();
    return this.closing;
  }

  private async flushQueue(): Promise<void> {
    // Always yields first, so `flushing` is assigned before this can finish.
    await this.predecessor;
    this.predecessor = undefined;
    while (this.queued.length > 0) {
      const batch = Buffer.concat(this.queued.splice(0));
      const waiters = this.waiters.splice(0);
      try {
        await this.writeDurably(batch);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.flushing = undefined;
  }

  private async writeDurably(batch: Buffer): Promise<void> {
    if (this.unusable) throw this.unusable;
    const handle = (this.handle ??= await this.openFile());
    try {
      let written = 0;
      while (written < batch.length) {
        const { bytesWritten } = await handle.write(batch, written, batch.length - written, this.durableBytes + written);
        written += bytesWritten;
      }
      await handle.datasync();
      this.durableBytes += batch.length;
    } catch (error) {
      await this.discardPartialWrite(handle, error);
      throw error;
    }
  }

  // A half-written batch left in place would end replay there and hide every later,
  // acknowledged frame; cut it off, or refuse further writes if even that fails.
  private async discardPartialWrite(handle: FileHandle, cause: unknown): Promise<void> {
    try {
      await handle.truncate(this.durableBytes);
    } catch {
      this.unusable = new Error(`journal ${this.path} is unusable after a failed write`, { cause });
    }
  }

  private async openFile(): Promise<FileHandle> {
    const handle = await open(this.path, constants.O_WRONLY | constants.O_CREAT, PRIVATE_FILE);
    await syncDirectory(dirname(this.path));
    return handle;
  }
}
