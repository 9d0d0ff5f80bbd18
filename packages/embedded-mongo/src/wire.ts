import { BSON, type Document } from 'bson';

export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const HEADER_SIZE = 16;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
// Bits 0-15 are "required": a flag we do not understand there means we cannot parse the message.
const KNOWN_REQUIRED_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME;

/** Same options the driver reads replies with: longs that fit become numbers, like every client here expects. */
const deserializeOptions = { promoteLongs: true, promoteValues: true, promoteBuffers: false, bsonRegExp: false };

/** A decoded client request: the command body with document sequences merged in. */
export interface Request {
  requestId: number;
  /** OP_QUERY handshakes must be answered with OP_REPLY. */
  legacy: boolean;
  /** Fire-and-forget: the client reads no reply. */
  moreToCome: boolean;
  command: Document;
}

/** Raised for a frame we can read the header of but not the body: answered with an error, the connection lives on. */
export class MalformedMessage extends Error {
  readonly requestId: number;
  readonly legacy: boolean;

  constructor(
    message: string,
    requestId: number,
    legacy: boolean,
  ) {
    super(message);
    this.requestId = requestId;
    this.legacy = legacy;
  }
}

/** Raised when the byte stream can no longer be framed: the connection must be closed. */
export class BrokenStream extends Error {}

/**
 * Splits a TCP byte stream into whole messages on their int32 length prefix. Chunks are kept as
 * they come and copied once, when their message is complete: framing is linear in the bytes received.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the message being received, once its prefix is in. */
  private expected: number | undefined;

  /** Bytes held for messages not complete yet. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Returns every message completed by this chunk; throws BrokenStream on an impossible length. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    for (;;) {
      if (this.expected === undefined) {
        if (this.buffered < 4) break;
        this.expected = this.peekLength();
      }
      if (this.buffered < this.expected) break;
      messages.push(this.take(this.expected));
      this.expected = undefined;
    }
    return messages;
  }

  private peekLength(): number {
    const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : Buffer.concat(this.chunks, 4);
    const length = head.readInt32LE(0);
    if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
      throw new BrokenStream(`message length ${length} is outside ${HEADER_SIZE}..${MAX_MESSAGE_SIZE}`);
    }
    return length;
  }

  /** Removes and returns the first `length` bytes. */
  private take(length: number): Buffer {
    const first = this.chunks[0]!;
    const message = first.length >= length ? first.subarray(0, length) : Buffer.concat(this.chunks, length);
    let skip = length;
    while (skip > 0) {
      const head = this.chunks[0]!;
      if (head.length > skip) {
        this.chunks[0] = head.subarray(skip);
        break;
      }
      this.chunks.shift();
      skip -= head.length;
    }
    this.buffered -= length;
    return message;
  }
}

export function decodeRequest(message: Buffer): Request {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return decodeOpMsg(message, requestId);
  if (opCode === OP_QUERY) return decodeOpQuery(message, requestId);
  throw new BrokenStream(`unsupported opCode ${opCode}`);
}

function decodeOpMsg(message: Buffer, requestId: number): Request {
  const fail = (why: string) => new MalformedMessage(`invalid OP_MSG: ${why}`, requestId, false);
  if (message.length < HEADER_SIZE + 5) throw fail('too short');
  const flags = message.readUInt32LE(HEADER_SIZE);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_FLAGS) !== 0) throw fail(`unknown required flag bits ${flags}`);
  // The trailing CRC32C is not verified: TCP already checksums, and drivers only send it when asked.
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  let offset = HEADER_SIZE + 4;
  while (offset < end) {
    const kind = message[offset++];
    if (kind === 0) {
      if (body) throw fail('more than one body section');
      const size = readSize(message, offset, end, fail);
      body = deserialize(message.subarray(offset, offset + size), fail);
      offset += size;
    } else if (kind === 1) {
      const size = readSize(message, offset, end, fail);
      const sectionEnd = offset + size;
      const nameEnd = message.indexOf(0, offset + 4);
      if (nameEnd < 0 || nameEnd >= sectionEnd) throw fail('unterminated sequence identifier');
      const name = message.toString('utf8', offset + 4, nameEnd);
      const documents: Document[] = [];
      for (let at = nameEnd + 1; at < sectionEnd; ) {
        const docSize = readSize(message, at, sectionEnd, fail);
        documents.push(deserialize(message.subarray(at, at + docSize), fail));
        at += docSize;
      }
      sequences.push([name, documents]);
      offset = sectionEnd;
    } else {
      throw fail(`unknown section kind ${kind}`);
    }
  }
  if (!body) throw fail('no body section');
  for (const [name, documents] of sequences) body[name] = documents;
  return { requestId, legacy: false, moreToCome: (flags & MORE_TO_COME) !== 0, command: body };
}

function decodeOpQuery(message: Buffer, requestId: number): Request {
  const fail = (why: string) => new MalformedMessage(`invalid OP_QUERY: ${why}`, requestId, true);
  const nameStart = HEADER_SIZE + 4;
  const nameEnd = message.indexOf(0, nameStart);
  if (nameEnd < 0) throw fail('unterminated collection name');
  const namespace = message.toString('utf8', nameStart, nameEnd);
  const queryStart = nameEnd + 1 + 8; // skip numberToSkip and numberToReturn
  const size = readSize(message, queryStart, message.length, fail);
  let query = deserialize(message.subarray(queryStart, queryStart + size), fail);
  // Old drivers wrap the command as {$query: {...}, $readPreference: ...}.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  if (!namespace.endsWith('.$cmd')) throw fail(`only commands on <db>.$cmd are supported, got ${namespace}`);
  query.$db = namespace.slice(0, -'.$cmd'.length);
  return { requestId, legacy: true, moreToCome: false, command: query };
}

function readSize(message: Buffer, offset: number, end: number, fail: (why: string) => Error): number {
  if (offset + 4 > end) throw fail('truncated section');
  const size = message.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw fail(`document size ${size} overruns the message`);
  return size;
}

function deserialize(bytes: Buffer, fail: (why: string) => Error): Document {
  try {
    return BSON.deserialize(bytes, deserializeOptions);
  } catch (error) {
    throw fail(`bad BSON (${(error as Error).message})`);
  }
}

let nextRequestId = 1;

/** Encodes a reply as OP_MSG (or OP_REPLY for a legacy OP_QUERY request). */
export function encodeReply(reply: Document, responseTo: number, legacy: boolean): Buffer {
  const body = BSON.serialize(reply, { ignoreUndefined: true });
  const prefix = legacy ? legacyReplyPrefix() : OP_MSG_PREFIX;
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeInt32LE(HEADER_SIZE + prefix.length + body.length, 0);
  header.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(legacy ? OP_REPLY : OP_MSG, 12);
  return Buffer.concat([header, prefix, body]);
}

const OP_MSG_PREFIX = Buffer.alloc(5); // flagBits 0, then section kind 0

function legacyReplyPrefix(): Buffer {
  const prefix = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom: all 0
  prefix.writeInt32LE(1, 16); // numberReturned
  return prefix;
}
