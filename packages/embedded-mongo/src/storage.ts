export { DiskStorage } from './storage/disk-storage.ts';
export type { CollectionDump, IndexSpec, JournalEntry } from './storage/types.ts';
