import { readFile, open } from 'node:fs/promises';
import { log } from '../log.ts';
import { decodeFrames } from './frames.ts';
import type { JournalEntry } from './types.ts';

export interface JournalContents {
  /** One array per append() call, in the order they were made durable. */
  batches: JournalEntry[][];
  /** Size of the file once any damaged tail is cut off. */
  intactBytes: number;
}

/**
 * Reads a journal up to its first short or damaged frame. Whatever follows was never
 * acknowledged (a crash mid-write) or is corrupt: it is truncated away, with a warning,
 * so that later appends follow intact frames.
 */
export async function readJournal(path: string): Promise<JournalContents> {
  const bytes = await readFile(path);
  const { frames, validBytes, problem } = decodeFrames(bytes);
  if (problem) {
    log.warn(`embedded mongo: journal ${path}: dropped ${bytes.length - validBytes} bytes after ${validBytes} intact bytes (${problem})`);
    await truncateDurably(path, validBytes);
  }
  return { batches: frames as JournalEntry[][], intactBytes: validBytes };
}

async function truncateDurably(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
