import { EventEmitter, once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const HEADER_BYTES = 16;
export const MORE_TO_COME = 1 << 1;

/** Lays out a message header followed by `payload`, with the length field telling the truth. */
export function frame(opCode: number, requestId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32LE(HEADER_BYTES + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

/** An OP_MSG request as drivers send it: flag bits, then the command as a kind-0 section. */
export function opMsg(command: Document, requestId: number, flagBits = 0): Buffer {
  return frame(OP_MSG, requestId, Buffer.concat([uint32(flagBits), Buffer.from([0]), serialize(command)]));
}

/** An OP_MSG whose body carries `documents` as a kind-1 document sequence named `identifier`. */
export function opMsgWithSequence(command: Document, identifier: string, documents: Document[], requestId: number): Buffer {
  const sequence = Buffer.concat([Buffer.from(`${identifier}\0`), ...documents.map((document) => serialize(document))]);
  const section = Buffer.concat([Buffer.from([1]), int32(4 + sequence.length), sequence]);
  return frame(OP_MSG, requestId, Buffer.concat([uint32(0), Buffer.from([0]), serialize(command), section]));
}

/** A legacy OP_QUERY on `<db>.$cmd`, the way drivers open a connection. */
export function opQuery(database: string, command: Document, requestId: number): Buffer {
  const payload = Buffer.concat([uint32(0), Buffer.from(`${database}.$cmd\0`), int32(0), int32(-1), serialize(command)]);
  return frame(OP_QUERY, requestId, payload);
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value);
  return bytes;
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}

export interface Reply {
  responseTo: number;
  body: Document;
}

/**
 * A raw TCP connection to the server that decodes every reply it receives.
 * Bytes that do not decode as an OP_MSG or OP_REPLY with a BSON body count as malformed.
 */
export class RawConnection {
  readonly replies: Reply[] = [];
  malformedReplies = 0;
  #closed = false;
  readonly #socket: Socket;
  readonly #changes = new EventEmitter();
  #received = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    // Writes may hit a connection the server has just closed; that is an expected outcome here.
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#decodeReplies();
      this.#changes.emit('change');
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#changes.emit('change');
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect({ port, host: '127.0.0.1' });
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(bytes: Buffer): void {
    if (!this.closed) this.#socket.write(bytes);
  }

  /** Tells the server we will send nothing more. */
  hangUp(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  /** Resolves with the first `count` replies, or rejects if they do not arrive within `timeoutMs`. */
  async waitForReplies(count: number, timeoutMs: number): Promise<Reply[]> {
    await this.#waitUntil(() => this.replies.length >= count || this.closed, timeoutMs);
    if (this.replies.length < count) throw new Error(`connection closed after ${this.replies.length} of ${count} replies`);
    return this.replies.slice(0, count);
  }

  /** Whether the server closed the connection within `timeoutMs`. */
  async closesWithin(timeoutMs: number): Promise<boolean> {
    try {
      await this.#waitUntil(() => this.closed, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async #waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    while (!condition()) await once(this.#changes, 'change', { signal });
  }

  #decodeReplies(): void {
    while (this.#received.length >= HEADER_BYTES) {
      const length = this.#received.readInt32LE(0);
      if (length < HEADER_BYTES) {
        this.malformedReplies++;
        this.#received = Buffer.alloc(0);
        return;
      }
      if (this.#received.length < length) return;
      const message = this.#received.subarray(0, length);
      this.#received = this.#received.subarray(length);
      const reply = decodeReply(message);
      if (reply) this.replies.push(reply);
      else this.malformedReplies++;
    }
  }
}

function decodeReply(message: Buffer): Reply | undefined {
  const responseTo = message.readInt32LE(8);
  const opCode = message.readInt32LE(12);
  // OP_MSG: flag bits, section kind 0, body. OP_REPLY: flags, cursor id, start, count, body.
  const bodyAt = opCode === OP_MSG && message[HEADER_BYTES + 4] === 0 ? HEADER_BYTES + 5 : opCode === OP_REPLY ? HEADER_BYTES + 20 : -1;
  if (bodyAt < 0) return undefined;
  try {
    return { responseTo, body: deserialize(message.subarray(bodyAt)) };
  } catch {
    return undefined;
  }
}
