import type { Document } from 'bson';
import { MongoError, toMongoError } from '../errors.ts';
import { canonicalKey, isPlainObject } from '../documents.ts';
import { validateDatabaseName } from '../engine.ts';
import { aggregateCommands } from './aggregate.ts';
import { collectionCommands } from './collections.ts';
import type { CommandContext, CommandTable } from './context.ts';
import { handshakeCommands } from './handshake.ts';
import { indexCommands } from './indexes.ts';
import { readCommands } from './read.ts';
import { checkNesting } from '../nesting.ts';
import { withTimeLimit } from '../time-limit.ts';
import { writeCommands } from './write.ts';

export type { CommandContext, ServerState } from './context.ts';

const commands: CommandTable = {
  ...handshakeCommands,
  ...collectionCommands,
  ...indexCommands,
  ...readCommands,
  ...writeCommands,
  ...aggregateCommands,
};

/** Whether this server has the command: mongod answers CommandNotFound (59) for an unknown one even before authentication. */
export function isCommand(name: string): boolean {
  return Object.hasOwn(commands, name);
}

/** Runs one command and always returns a reply document: failures become `{ok: 0, ...}`. */
export function runCommand(body: Document, context: Omit<CommandContext, 'db' | 'client'>): Document {
  try {
    const [name] = Object.keys(body);
    if (name === undefined) throw new MongoError(59, 'no such command: empty command document');
    const handler = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!handler) throw new MongoError(59, `no such command: '${name}'`);
    const db = validateDatabaseName(body.$db);
    // Drivers send the same implicit session for a cursor's getMore, whichever pooled connection carries it.
    const client = isPlainObject(body.lsid) ? `session ${canonicalKey(body.lsid.id)}` : `connection ${context.connectionId}`;
    checkNesting(body);
    return withTimeLimit(body.maxTimeMS, () => handler(body, { ...context, db, client }));
  } catch (error) {
    return toMongoError(error).toReply();
  }
}
