import { Binary, type Document } from 'bson';
import { isCommand } from './commands/index.ts';
import { MongoError, toMongoError } from './errors.ts';
import { MECHANISM, ScramConversation, ScramFailure, type ScramKeys } from './scram.ts';

/*
 * What a connection may do before it has authenticated is what MongoDB allows there (commands whose
 * requiresAuth() is false): the handshake, which monitoring connections use alone and never
 * authenticate, ping, buildInfo, and authentication itself. Every other command is refused with
 * 13 Unauthorized, as by mongod with authorization on (an unknown one still gets 59). The one user
 * is accepted whatever its authentication database (authSource): the server has no other users, and
 * appending a database name to the server's URI then just works.
 */
const OPEN_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo']);
const CONVERSATION_ID = 1;

export class ConnectionAuthentication {
  authenticated = false;
  private conversation: ScramConversation | undefined;
  /** Clients that do not ask to skip it send one more, empty, message after our signature. */
  private emptyExchange: 'skipped' | 'expected' | 'next' = 'skipped';

  private readonly keys: ScramKeys;

  constructor(keys: ScramKeys) {
    this.keys = keys;
  }

  /** Runs `command` through `run` if this connection may, or answers it here (authentication, refusals). */
  run(command: Document, run: (command: Document) => Document): Document {
    const [name = ''] = Object.keys(command);
    try {
      if (name === 'saslStart') return this.saslStart(command);
      if (name === 'saslContinue') return this.saslContinue(command);
      if (name === 'authenticate') throw new MongoError(334, `only ${MECHANISM} is supported`);
      if (!this.authenticated && !OPEN_COMMANDS.has(name) && isCommand(name)) throw new MongoError(13, `command ${name} requires authentication`);
    } catch (error) {
      return toMongoError(error).toReply();
    }
    const reply = run(command);
    return name === 'hello' || name.toLowerCase() === 'ismaster' ? this.answerHandshake(command, reply) : reply;
  }

  /** Drivers ask in the handshake which mechanisms the user has, and may start SCRAM there to save a round trip. */
  private answerHandshake(command: Document, reply: Document): Document {
    if (reply.ok !== 1) return reply;
    const extra: Document = {};
    const asked = command.saslSupportedMechs;
    if (typeof asked === 'string' && asked.slice(asked.indexOf('.') + 1) === this.keys.user) extra.saslSupportedMechs = [MECHANISM];
    const speculative = command.speculativeAuthenticate as Document | undefined;
    if (speculative && typeof speculative === 'object') {
      try {
        const conversation = this.saslStart(speculative);
        delete conversation.ok;
        extra.speculativeAuthenticate = conversation;
      } catch {
        // As mongod: a failed speculative attempt is left out of the reply; the driver then runs saslStart and gets the error.
      }
    }
    return { ...reply, ...extra };
  }

  private saslStart(command: Document): Document {
    this.conversation = undefined;
    if (command.mechanism !== MECHANISM) throw new MongoError(334, `Received authentication for mechanism ${String(command.mechanism)} which is not enabled; the embedded server supports ${MECHANISM} only`);
    const conversation = this.step(() => ScramConversation.start(this.keys, payloadText(command)));
    this.conversation = conversation;
    this.emptyExchange = (command.options as Document | undefined)?.skipEmptyExchange ? 'skipped' : 'expected';
    return { conversationId: CONVERSATION_ID, done: false, payload: Buffer.from(conversation.serverFirst), ok: 1 };
  }

  private saslContinue(command: Document): Document {
    const conversation = this.conversation;
    if (!conversation || command.conversationId !== CONVERSATION_ID) throw new MongoError(17, 'No SASL session state found');
    if (this.emptyExchange === 'next') {
      this.conversation = undefined;
      return { conversationId: CONVERSATION_ID, done: true, payload: Buffer.alloc(0), ok: 1 };
    }
    const signature = this.step(() => conversation.finish(payloadText(command)));
    this.authenticated = true;
    const done = this.emptyExchange === 'skipped';
    if (done) this.conversation = undefined;
    else this.emptyExchange = 'next';
    return { conversationId: CONVERSATION_ID, done, payload: Buffer.from(signature), ok: 1 };
  }

  /** A SCRAM failure ends the conversation with 18, without telling whether the user or the proof was wrong. */
  private step<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      this.conversation = undefined;
      if (error instanceof ScramFailure) throw new MongoError(18, 'Authentication failed.');
      throw error;
    }
  }
}

function payloadText(command: Document): string {
  const { payload } = command;
  if (payload instanceof Binary) return Buffer.from(payload.value()).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw new MongoError(14, "BSON field 'payload' is the wrong type, expected type 'binData'");
}
