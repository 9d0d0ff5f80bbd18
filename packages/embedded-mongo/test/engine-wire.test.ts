import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/index.ts';
import { authenticate, credentialsIn } from './support/scram-client.ts';

// These tests speak raw bytes to the embedded server: what a real mongod does with garbage is not the point,
// only that our server answers or drops that one connection and keeps serving everyone else.

const OP_MSG = 2013;

function frame(opCode: number, payload: Buffer, requestId = 7): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

function opMsg(command: Document, flags = 0, requestId = 7): Buffer {
  const flagBits = Buffer.alloc(4);
  flagBits.writeUInt32LE(flags, 0);
  return frame(OP_MSG, Buffer.concat([flagBits, Buffer.from([0]), BSON.serialize(command)]), requestId);
}

/** Collects whole replies from a raw socket. */
class RawClient {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  readonly socket: Socket;
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
    this.socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    this.socket.on('error', () => {});
  }

  async reply(): Promise<{ responseTo: number; body: Document }> {
    while (this.buffered.length < 4 || this.buffered.length < this.buffered.readInt32LE(0)) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const length = this.buffered.readInt32LE(0);
    const message = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return { responseTo: message.readInt32LE(8), body: BSON.deserialize(message.subarray(21)) };
  }
}

describe('embedded server wire robustness', () => {
  let server: EmbeddedMongo;
  let bystander: MongoClient;

  before(async () => {
    server = await startEmbeddedMongo({ port: 0 });
    bystander = await new MongoClient(`${server.uri}wire`).connect();
    await bystander.db().collection('things').insertOne({ name: 'kept' });
  });

  after(async () => {
    await bystander?.close();
    await server?.stop();
  });

  async function assertOthersStillServed() {
    assert.equal(await bystander.db().collection('things').countDocuments(), 1);
  }

  it('when a command arrives one byte at a time and two arrive in one chunk, then each gets its reply', async () => {
    const client = new RawClient(server.port);
    for (const byte of opMsg({ ping: 1, $db: 'admin' }, 0, 1)) client.socket.write(Buffer.from([byte]));
    assert.deepEqual(await client.reply(), { responseTo: 1, body: { ok: 1 } });
    client.socket.write(Buffer.concat([opMsg({ ping: 1, $db: 'admin' }, 0, 2), opMsg({ ping: 1, $db: 'admin' }, 0, 3)]));
    assert.equal((await client.reply()).responseTo, 2);
    assert.equal((await client.reply()).responseTo, 3);
    client.socket.destroy();
  });

  it('when a message declares a length above 48 MB, then that connection is closed and others are served', async () => {
    const client = new RawClient(server.port);
    const header = Buffer.alloc(16);
    header.writeInt32LE(48_000_001, 0);
    client.socket.write(header);
    await client.closed;
    await assertOthersStillServed();
  });

  it('when a message has an unknown opcode, then that connection is closed and others are served', async () => {
    const client = new RawClient(server.port);
    client.socket.write(frame(9999, Buffer.alloc(8)));
    await client.closed;
    await assertOthersStillServed();
  });

  it('when an OP_MSG holds truncated BSON, then it gets an InvalidBSON error and the connection keeps working', async () => {
    const client = new RawClient(server.port);
    const good = BSON.serialize({ ping: 1, $db: 'admin' });
    const truncated = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), good.subarray(0, good.length - 3)]);
    truncated.writeInt32LE(good.length + 10, 5); // the document claims more bytes than the message has
    client.socket.write(frame(OP_MSG, truncated, 11));
    const { responseTo, body } = await client.reply();
    assert.equal(responseTo, 11);
    assert.equal(body.ok, 0);
    assert.equal(body.code, 22);
    client.socket.write(opMsg({ ping: 1, $db: 'admin' }, 0, 12));
    assert.deepEqual(await client.reply(), { responseTo: 12, body: { ok: 1 } });
    client.socket.destroy();
  });

  it('when a request sets moreToCome, then no reply is sent but the command runs', async () => {
    const client = new RawClient(server.port);
    let requestId = 100;
    const authenticated = await authenticate(async (command) => {
      client.socket.write(opMsg(command, 0, ++requestId));
      return (await client.reply()).body;
    }, credentialsIn(server.uri));
    assert.equal(authenticated.ok, 1);
    const moreToCome = 1 << 1;
    client.socket.write(opMsg({ insert: 'things', documents: [{ name: 'silent' }], $db: 'wire' }, moreToCome, 20));
    client.socket.write(opMsg({ count: 'things', query: { name: 'silent' }, $db: 'wire' }, 0, 21));
    assert.deepEqual(await client.reply(), { responseTo: 21, body: { n: 1, ok: 1 } });
    await bystander.db().collection('things').deleteOne({ name: 'silent' });
    client.socket.destroy();
  });

  it('when random bytes are sent on many connections, then the server stays up and answers a driver', async () => {
    const clients = Array.from({ length: 50 }, (_, i) => {
      const client = new RawClient(server.port);
      const noise = Buffer.from(Array.from({ length: 16 + i * 7 }, () => Math.floor(Math.random() * 256)));
      if (i % 2 === 0) noise.writeInt32LE(noise.length, 0); // half of them well framed, with a garbage body
      client.socket.end(noise);
      return client;
    });
    await Promise.all(clients.map((client) => client.closed));
    await assertOthersStillServed();
  });
});
