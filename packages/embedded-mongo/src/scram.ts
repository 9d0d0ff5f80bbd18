import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677), the mechanism MongoDB drivers use by
 * default. The payloads are RFC 5802's messages as they are; MongoDB only wraps them in
 * saslStart / saslContinue (db/authentication.ts). No channel binding: the server speaks plain TCP
 * on 127.0.0.1.
 */

export const MECHANISM = 'SCRAM-SHA-256';
/** MongoDB's default for SCRAM-SHA-256; the drivers refuse fewer than 4096. */
const ITERATIONS = 15_000;

export interface Credentials {
  user: string;
  password: string;
}

/** What the server needs to check a proof (RFC 5802 section 3), derived once at start. */
export interface ScramKeys {
  user: string;
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/**
 * Derives the keys. The password must be ASCII (ours is generated hex), which SASLprep, applied
 * by the drivers, leaves as it is.
 */
export function scramKeys({ user, password }: Credentials, iterations = ITERATIONS): ScramKeys {
  const salt = randomBytes(16);
  const saltedPassword = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = hmac(saltedPassword, 'Client Key');
  return { user, salt, iterations, storedKey: sha256(clientKey), serverKey: hmac(saltedPassword, 'Server Key') };
}

/** A client's answer that does not prove the password, or a message that is not SCRAM: authentication fails. */
export class ScramFailure extends Error {}

/** One authentication attempt: the client's first message, our challenge, its proof, our signature. */
export class ScramConversation {
  private readonly keys: ScramKeys;
  private readonly gs2Header: string;
  private readonly clientFirstBare: string;
  private readonly nonce: string;
  readonly serverFirst: string;

  private constructor(
    keys: ScramKeys,
    gs2Header: string,
    clientFirstBare: string,
    nonce: string,
    serverFirst: string,
  ) {
    this.keys = keys;
    this.gs2Header = gs2Header;
    this.clientFirstBare = clientFirstBare;
    this.nonce = nonce;
    this.serverFirst = serverFirst;
  }

  /** Reads `n,,n=<user>,r=<client nonce>` and answers `r=<client nonce + ours>,s=<salt>,i=<iterations>`. */
  static start(keys: ScramKeys, clientFirst: string): ScramConversation {
    // gs2 header: "n" (no channel binding) or "y" (the client could but thinks we cannot), no authzid.
    const header = /^([ny]),,/.exec(clientFirst);
    if (!header) throw new ScramFailure('SCRAM: channel binding and authorization identities are not supported');
    const bare = clientFirst.slice(header[0].length);
    const fields = attributes(bare);
    if (fields.get('n') === undefined || !fields.get('r')) throw new ScramFailure('SCRAM: the first message needs n= and r=');
    if (decodeName(fields.get('n')!) !== keys.user) throw new ScramFailure('Authentication failed.');
    const nonce = fields.get('r')! + randomBytes(24).toString('base64');
    const serverFirst = `r=${nonce},s=${keys.salt.toString('base64')},i=${keys.iterations}`;
    return new ScramConversation(keys, header[0], bare, nonce, serverFirst);
  }

  /** Checks `c=<gs2 header>,r=<nonce>,p=<proof>`; returns `v=<server signature>` for the client to check us. */
  finish(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramFailure('SCRAM: the final message has no proof');
    const withoutProof = clientFinal.slice(0, proofAt);
    const fields = attributes(withoutProof);
    if (fields.get('c') !== Buffer.from(this.gs2Header).toString('base64') || fields.get('r') !== this.nonce) {
      throw new ScramFailure('Authentication failed.');
    }
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const clientSignature = hmac(this.keys.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw new ScramFailure('Authentication failed.');
    // ClientKey = proof XOR ClientSignature; it is right when its hash is the StoredKey.
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ clientSignature[i]!));
    if (!timingSafeEqual(sha256(clientKey), this.keys.storedKey)) throw new ScramFailure('Authentication failed.');
    return `v=${hmac(this.keys.serverKey, authMessage).toString('base64')}`;
  }
}

/** `a=1,b=2` as a map; values may hold '=' (base64), never ','. */
function attributes(message: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of message.split(',')) {
    const match = /^([a-zA-Z])=(.*)$/s.exec(part);
    if (!match) throw new ScramFailure(`SCRAM: malformed attribute '${part.slice(0, 20)}'`);
    if (!fields.has(match[1]!)) fields.set(match[1]!, match[2]!);
  }
  return fields;
}

/** RFC 5802 escapes ',' as =2C and '=' as =3D in names. */
function decodeName(name: string): string {
  return name.replace(/=2C|=3D/g, (escape) => (escape === '=2C' ? ',' : '='));
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
