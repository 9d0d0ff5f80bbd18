import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Binary, type Document } from 'bson';

/*
 * The client side of SCRAM-SHA-256, for tests that speak raw bytes and must authenticate first,
 * written from RFC 5802 like the driver's (node_modules/mongodb/lib/cmap/auth/scram.js), not from the server's.
 */

export interface UserPassword {
  user: string;
  password: string;
}

/** The user and password a `mongodb://user:password@host/` URI carries. */
export function credentialsIn(uri: string): UserPassword {
  const url = new URL(uri);
  return { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/** Sends one command, resolves with its reply. */
export type Exchange = (command: Document) => Promise<Document>;

export interface AuthenticateOptions {
  /** Sends a wrong proof. */
  mangleProof?: boolean;
  /** Asks for the final, empty round trip older clients make (RFC 5802's server-final, then done). */
  emptyExchange?: boolean;
}

/** saslStart + saslContinue; resolves with the final reply, rejects if the server's signature is wrong. */
export async function authenticate(exchange: Exchange, { user, password }: UserPassword, { mangleProof = false, emptyExchange = false }: AuthenticateOptions = {}): Promise<Document> {
  const clientNonce = randomBytes(24).toString('base64');
  const clientFirstBare = `n=${user},r=${clientNonce}`;
  const started = await exchange({
    saslStart: 1,
    mechanism: 'SCRAM-SHA-256',
    payload: new Binary(Buffer.from(`n,,${clientFirstBare}`)),
    options: { skipEmptyExchange: !emptyExchange },
    $db: 'admin',
  });
  if (started.ok !== 1) return started;
  const serverFirst = payloadOf(started);
  const fields = new Map(serverFirst.split(',').map((part) => [part[0], part.slice(2)] as const));
  const saltedPassword = salted(password, fields.get('s')!, Number(fields.get('i')));
  const clientKey = hmac(saltedPassword, 'Client Key');
  const withoutProof = `c=biws,r=${fields.get('r')}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
  if (mangleProof) proof[0] = proof[0]! ^ 1;
  const finished = await exchange({
    saslContinue: 1,
    conversationId: started.conversationId,
    payload: new Binary(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)),
    $db: 'admin',
  });
  if (finished.ok !== 1) return finished;
  const expected = `v=${hmac(hmac(saltedPassword, 'Server Key'), authMessage).toString('base64')}`;
  if (payloadOf(finished) !== expected) throw new Error('the server did not prove it knows the password');
  if (finished.done === true) return finished;
  return exchange({ saslContinue: 1, conversationId: finished.conversationId, payload: new Binary(Buffer.alloc(0)), $db: 'admin' });
}

// The salt is the server's for its whole run: as the driver does, derive the key once, not per connection.
const saltedPasswords = new Map<string, Buffer>();
function salted(password: string, salt: string, iterations: number): Buffer {
  const key = `${password}:${salt}:${iterations}`;
  let value = saltedPasswords.get(key);
  if (!value) saltedPasswords.set(key, (value = pbkdf2Sync(password, Buffer.from(salt, 'base64'), iterations, 32, 'sha256')));
  return value;
}

function payloadOf(reply: Document): string {
  return Buffer.from((reply.payload as Binary).value()).toString('utf8');
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}
