import { crc32 } from 'node:zlib';
import { BSON, type Document } from 'bson';

/*
 * A frame is the unit that is either wholly on disk or not at all:
 *   uint32 LE payload length | uint32 LE crc32(length bytes + payload) | payload
 * The payload is one or more BSON documents back to back.
 */
const HEADER_BYTES = 8;
const MIN_BSON_BYTES = 5;

// promoteLongs off: a Long the engine kept (too big for a double) must come back as a Long,
// and plain numbers never serialize as int64, so values round-trip exactly.
const deserializeOptions = { promoteLongs: false, promoteValues: true, promoteBuffers: false, bsonRegExp: false };

export function encodeFrame(documents: Document[]): Buffer {
  return frameSerialized(documents.map((doc) => BSON.serialize(doc)));
}

/** Frames documents that are already BSON, for callers that batch by size. */
export function frameSerialized(documents: Uint8Array[]): Buffer {
  const payload = Buffer.concat(documents);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  payload.copy(frame, HEADER_BYTES);
  frame.writeUInt32LE(frameChecksum(frame.subarray(0, 4), payload), 4);
  return frame;
}

export interface DecodedFrames {
  frames: Document[][];
  /** Bytes from the start that hold whole, intact frames. */
  validBytes: number;
  /** Why decoding stopped before the end, if it did. */
  problem?: string;
}

/** Reads frames until the end or the first short or damaged one. */
export function decodeFrames(bytes: Buffer): DecodedFrames {
  const frames: Document[][] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER_BYTES) return stop(`a ${bytes.length - offset}-byte partial frame header`);
    const length = bytes.readUInt32LE(offset);
    if (length < MIN_BSON_BYTES) return stop(`an impossible frame length ${length}`);
    const end = offset + HEADER_BYTES + length;
    if (end > bytes.length) return stop(`a frame of ${length} bytes cut short at ${bytes.length - offset - HEADER_BYTES}`);
    const payload = bytes.subarray(offset + HEADER_BYTES, end);
    if (bytes.readUInt32LE(offset + 4) !== frameChecksum(bytes.subarray(offset, offset + 4), payload)) {
      return stop('a checksum mismatch');
    }
    const documents = splitDocuments(payload);
    if (!documents) return stop('a frame whose checksum matches but whose BSON does not parse');
    frames.push(documents);
    offset = end;
  }
  return { frames, validBytes: offset };

  function stop(problem: string): DecodedFrames {
    return { frames, validBytes: offset, problem: `${problem} at byte ${offset}` };
  }
}

function frameChecksum(lengthBytes: Buffer, payload: Buffer): number {
  return crc32(payload, crc32(lengthBytes));
}

function splitDocuments(payload: Buffer): Document[] | undefined {
  const documents: Document[] = [];
  let offset = 0;
  try {
    while (offset < payload.length) {
      const size = payload.length - offset >= 4 ? payload.readInt32LE(offset) : 0;
      if (size < MIN_BSON_BYTES || offset + size > payload.length) return undefined;
      documents.push(BSON.deserialize(payload.subarray(offset, offset + size), deserializeOptions));
      offset += size;
    }
  } catch {
    return undefined;
  }
  return documents;
}
