import type { Document } from 'bson';
import { MongoError, toMongoError } from '../errors.ts';
import { cloneDocument, isPlainObject } from '../documents.ts';
import { projectDocuments, sortDocuments } from '../query.ts';
import { applyUpdate, isReplacement, upsertDocument, type UpdateSpec } from '../update.ts';
import type { Collection } from '../collection.ts';
import { collectionName, documentArray, optionalDocument, type CommandTable } from './context.ts';

/**
 * Runs one write per statement and reports failures as `writeErrors` (the command itself succeeds).
 * Ordered writes stop at the first failure, unordered ones carry on.
 */
function eachStatement<T>(statements: T[], ordered: boolean, write: (statement: T, index: number) => void): Document[] {
  const writeErrors: Document[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      write(statement, index);
    } catch (error) {
      const { code, message, extra } = toMongoError(error);
      writeErrors.push({ index, code, errmsg: message, ...extra });
      if (ordered) break;
    }
  }
  return writeErrors;
}

function writeReply(fields: Document, writeErrors: Document[]): Document {
  return { ...fields, ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
}

function updateSpec(value: unknown, where: string): UpdateSpec {
  if (isPlainObject(value) || (Array.isArray(value) && value.every(isPlainObject))) return value;
  throw new MongoError(14, `${where} must be an update document or pipeline`);
}

function arrayFiltersOf(statement: Document): Document[] | undefined {
  const { arrayFilters } = statement;
  if (arrayFilters === undefined) return undefined;
  if (!Array.isArray(arrayFilters) || !arrayFilters.every(isPlainObject)) throw new MongoError(14, 'arrayFilters must be an array of documents');
  return arrayFilters;
}

/** Applies an update to one stored document; returns the new version (the old one if nothing changed). */
function updateStored(collection: Collection, current: Document, update: UpdateSpec, filter: Document, arrayFilters: Document[] | undefined) {
  const { doc, changed } = applyUpdate(current, update, { filter, arrayFilters, inserting: false });
  if (changed) collection.replace(current, doc);
  return { doc: changed ? doc : current, changed };
}

export const writeCommands: CommandTable = {
  insert: (body, { engine, db }) => {
    const collection = engine.ensureCollection(db, collectionName(body, 'insert'));
    let n = 0;
    // The documents were just decoded from this request: nobody else holds them, no copy needed.
    const writeErrors = eachStatement(documentArray(body, 'documents', 'insert'), body.ordered !== false, (doc) => {
      collection.insert(doc);
      n++;
    });
    return writeReply({ n }, writeErrors);
  },

  update: (body, { engine, db }) => {
    const collection = engine.ensureCollection(db, collectionName(body, 'update'));
    let n = 0;
    let nModified = 0;
    const upserted: Document[] = [];
    const writeErrors = eachStatement(documentArray(body, 'updates', 'update'), body.ordered !== false, (statement, index) => {
      const filter = optionalDocument(statement, 'q', 'update.updates') ?? {};
      const update = updateSpec(statement.u, 'update.updates.u');
      const arrayFilters = arrayFiltersOf(statement);
      if (statement.multi === true && isReplacement(update)) {
        throw new MongoError(9, 'multi update is not supported for replacement-style update');
      }
      const matched = collection.find(filter, statement.multi === true ? Infinity : 1);
      if (matched.length === 0 && statement.upsert === true) {
        const inserted = collection.insert(upsertDocument(filter, update, arrayFilters));
        upserted.push({ index, _id: inserted._id });
        n++;
        return;
      }
      for (const current of matched) {
        if (updateStored(collection, current, update, filter, arrayFilters).changed) nModified++;
        n++;
      }
    });
    return writeReply({ n, nModified, ...(upserted.length > 0 ? { upserted } : {}) }, writeErrors);
  },

  delete: (body, { engine, db }) => {
    const collection = engine.getCollection(db, collectionName(body, 'delete'));
    let n = 0;
    const writeErrors = eachStatement(documentArray(body, 'deletes', 'delete'), body.ordered !== false, (statement) => {
      const filter = optionalDocument(statement, 'q', 'delete.deletes') ?? {};
      if (statement.limit !== 0 && statement.limit !== 1) throw new MongoError(9, `delete limit must be 0 (all) or 1, got ${JSON.stringify(statement.limit)}`);
      for (const doc of collection?.find(filter, statement.limit === 1 ? 1 : Infinity) ?? []) {
        collection!.remove(doc);
        n++;
      }
    });
    return writeReply({ n }, writeErrors);
  },

  findAndModify: (body, { engine, db }) => {
    const name = collectionName(body, 'findAndModify');
    const filter = optionalDocument(body, 'query', 'findAndModify') ?? {};
    const fields = optionalDocument(body, 'fields', 'findAndModify');
    const remove = body.remove === true;
    if (remove && body.update !== undefined) throw new MongoError(9, 'Cannot specify both an update and remove=true');
    if (!remove && body.update === undefined) throw new MongoError(9, 'Either an update or remove=true must be specified');
    const upsert = body.upsert === true;
    const shape = (doc: Document | undefined | null) => (doc ? projectDocuments([cloneDocument(doc)], fields)[0] : null);

    const collection = upsert ? engine.ensureCollection(db, name) : engine.getCollection(db, name);
    const sort = optionalDocument(body, 'sort', 'findAndModify');
    const [current] = sortDocuments(collection?.find(filter, sort ? Infinity : 1) ?? [], sort);
    if (remove) {
      if (current) collection!.remove(current);
      return { lastErrorObject: { n: current ? 1 : 0 }, value: shape(current), ok: 1 };
    }
    const update = updateSpec(body.update, 'findAndModify.update');
    const arrayFilters = arrayFiltersOf(body);
    if (current) {
      const { doc } = updateStored(collection!, current, update, filter, arrayFilters);
      return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(body.new === true ? doc : current), ok: 1 };
    }
    if (!collection || !upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const inserted = collection.insert(upsertDocument(filter, update, arrayFilters));
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id },
      value: body.new === true ? shape(inserted) : null,
      ok: 1,
    };
  },
};
