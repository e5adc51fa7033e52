/**
 * Mirrors a link's worker created itself (auto.create.mirror.topics.enable). The worker may not write
 * the config store, so it reports them in its status file (`autoMirrors`); the CLI shows them next to
 * the stored mirrors, and adopts one (stores its MirrorRecord) the first time a user changes its
 * state. Invariant: a stored mirror of the same link and topic always wins over the reported one.
 */
import { mirrorKey, type MirrorRecord, type WorkerStatusFile } from '../model/mirror.js';
import type { StoreData } from '../ports.js';
import type { MirrorDeps } from './mirror-ports.js';

/** The auto-created mirrors of the link that no stored mirror replaces. */
export function autoMirrors(data: StoreData, link: string, status: WorkerStatusFile | undefined): MirrorRecord[] {
  return (status?.autoMirrors ?? []).filter((m) => m.link === link && !data.mirrors[mirrorKey(link, m.mirrorTopic)]);
}

/** The stored mirrors of the link plus its auto-created ones. */
export function linkMirrors(data: StoreData, link: string, status: WorkerStatusFile | undefined): MirrorRecord[] {
  return [...Object.values(data.mirrors).filter((m) => m.link === link), ...autoMirrors(data, link, status)];
}

/** The stored mirror of the topic, else the auto-created one. */
export function findMirror(data: StoreData, link: string, topic: string, status: WorkerStatusFile | undefined): MirrorRecord | undefined {
  return data.mirrors[mirrorKey(link, topic)] ?? autoMirrors(data, link, status).find((m) => m.mirrorTopic === topic);
}

/** Stores the records of those topics that are auto-created mirrors not stored yet (no-op otherwise). */
export async function adoptAutoMirrors(link: string, topics: readonly string[], deps: Pick<MirrorDeps, 'store' | 'workers'>): Promise<void> {
  const status = await deps.workers.readStatus(link);
  const wanted = new Set(topics);
  const candidates = (status?.autoMirrors ?? []).filter((m) => m.link === link && wanted.has(m.mirrorTopic));
  if (candidates.length === 0) return;
  await deps.store.update((d) => {
    if (!d.links[link]) return;
    for (const m of candidates) {
      const key = mirrorKey(link, m.mirrorTopic);
      if (!d.mirrors[key]) d.mirrors[key] = { ...m, configOverrides: { ...m.configOverrides } };
    }
  });
}
