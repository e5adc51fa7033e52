/**
 * How a worker follows the config store without ever writing it: a cheap fingerprint of the store
 * file (inode, mtime, size; the CLI replaces the file atomically, so every write changes it), then
 * a read and a hash of this link's snapshot only. Invariants: never writes the store; the hash
 * depends only on the link, its destination cluster and its mirrors (key order ignored), so changes
 * to other links never cause an apply; no part of a snapshot is ever logged (it holds secrets).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { NotFoundError } from '../core/errors.js';
import type { StoreData } from '../core/ports.js';
import type { LinkSnapshot } from '../replication/engine-api.js';

export interface ReadOnlyStore {
  readonly filePath: string;
  read(): Promise<StoreData>;
}

export type StoreCheck =
  | { state: 'unchanged' }
  | { state: 'link-deleted' }
  | { state: 'invalid'; error: Error }
  | { state: 'snapshot'; snapshot: LinkSnapshot; hash: string };

/** The link's snapshot, or undefined when the link is gone; throws NotFoundError when its destination is. */
export function snapshotOf(data: StoreData, linkName: string): LinkSnapshot | undefined {
  const link = data.links[linkName];
  if (!link) return undefined;
  const destination = data.clusters[link.destination];
  if (!destination) {
    throw new NotFoundError(`destination cluster "${link.destination}" of cluster link "${linkName}" not found`, {
      suggestion: `Register it again with \`clink cluster add ${link.destination} --bootstrap-server <host:port>\`.`,
    });
  }
  const mirrors = Object.values(data.mirrors ?? {})
    .filter((m) => m.link === linkName)
    .sort((a, b) => (a.mirrorTopic < b.mirrorTopic ? -1 : a.mirrorTopic > b.mirrorTopic ? 1 : 0));
  return { link, destination, mirrors };
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
  );
}

/** A short, stable hash of a snapshot (safe to log: it reveals nothing about the content). */
export function snapshotHash(snapshot: LinkSnapshot): string {
  return createHash('sha256').update(JSON.stringify(stable(snapshot))).digest('hex').slice(0, 16);
}

function fingerprint(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false, bigint: true });
  return stat ? `${stat.ino}:${stat.mtimeNs}:${stat.size}` : 'missing';
}

export interface StoreWatcher {
  /** Reads the store when its file changed since the last check (or when forced). */
  check(force?: boolean): Promise<StoreCheck>;
}

export function createStoreWatcher(store: ReadOnlyStore, linkName: string): StoreWatcher {
  let last: string | undefined;
  return {
    async check(force = false) {
      const current = fingerprint(store.filePath);
      if (!force && current === last) return { state: 'unchanged' };
      last = current;
      try {
        const snapshot = snapshotOf(await store.read(), linkName);
        if (!snapshot) return { state: 'link-deleted' };
        return { state: 'snapshot', snapshot, hash: snapshotHash(snapshot) };
      } catch (error) {
        last = undefined; // read again at the next check
        return { state: 'invalid', error: error instanceof Error ? error : new Error(String(error)) };
      }
    },
  };
}
