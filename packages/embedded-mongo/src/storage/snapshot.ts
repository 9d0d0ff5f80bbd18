import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BSON, type Document } from 'bson';
import { decodeFrames, encodeFrame, frameSerialized } from './frames.ts';
import { PRIVATE_FILE, syncDirectory } from './files.ts';
import type { CollectionDump, IndexSpec } from './types.ts';

/*
 * A snapshot is a run of frames: a header, then per collection a description frame
 * followed by its documents in frames of about FRAME_TARGET_BYTES, then a trailer.
 * Every frame is checksummed, and the trailer proves the file is complete.
 */
const FORMAT = 'embedded-mongo snapshot';
const VERSION = 1;
const FRAME_TARGET_BYTES = 1 << 20;
const WRITE_TARGET_BYTES = 4 << 20;

/** Writes the snapshot to a temp file, syncs it, then renames it into place. */
export async function writeSnapshot(path: string, collections: CollectionDump[]): Promise<void> {
  const temporary = `${path}.tmp`;
  try {
    const handle = await open(temporary, 'w', PRIVATE_FILE);
    try {
      await writeFrames(handle, collections);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    await syncDirectory(dirname(path));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function writeFrames(handle: { write(data: Buffer): Promise<unknown> }, collections: CollectionDump[]) {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const emit = async (frame: Buffer) => {
    pending.push(frame);
    pendingBytes += frame.length;
    if (pendingBytes >= WRITE_TARGET_BYTES) await flush();
  };
  const flush = async () => {
    await handle.write(Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };

  await emit(encodeFrame([{ format: FORMAT, version: VERSION, collections: collections.length }]));
  for (const { db, name, options, indexes, documents } of collections) {
    await emit(encodeFrame([{ db, name, options, indexes, documents: documents.length }]));
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    for (const doc of documents) {
      const bytes = BSON.serialize(doc);
      batch.push(bytes);
      batchBytes += bytes.length;
      if (batchBytes >= FRAME_TARGET_BYTES) {
        await emit(frameSerialized(batch));
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) await emit(frameSerialized(batch));
  }
  await emit(encodeFrame([{ end: true, collections: collections.length }]));
  await flush();
}

/** Reads a whole snapshot; a damaged one is an error, never a partial load. */
export async function readSnapshot(path: string): Promise<CollectionDump[]> {
  const { frames, problem } = decodeFrames(await readFile(path));
  if (problem) throw damaged(path, problem);
  const documents = frames.flat();
  let next = 0;
  const take = (): Document => {
    const doc = documents[next++];
    if (!doc) throw damaged(path, 'it ends before its trailer');
    return doc;
  };

  const header = take();
  if (header.format !== FORMAT || header.version !== VERSION) {
    throw damaged(path, `its header is not a ${FORMAT} version ${VERSION}`);
  }
  const collections: CollectionDump[] = [];
  for (let c = 0; c < header.collections; c++) {
    const { db, name, options, indexes, documents: count } = take();
    const dump: CollectionDump = { db, name, options, indexes: indexes as IndexSpec[], documents: [] };
    for (let d = 0; d < count; d++) dump.documents.push(take());
    collections.push(dump);
  }
  const trailer = take();
  if (trailer.end !== true || trailer.collections !== collections.length || next !== documents.length) {
    throw damaged(path, 'its trailer does not match its contents');
  }
  return collections;
}

function damaged(path: string, why: string): Error {
  return new Error(
    `Snapshot ${path} is damaged: ${why}. Refusing to start with partial data; restore the file or move it away.`,
  );
}
