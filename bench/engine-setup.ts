/**
 * What both engine child processes of the bench (engine-child.ts, engine-live.ts) share: creating the
 * mirror topic like `mirror create` would, the one-mirror link snapshot a worker would apply, a quiet
 * logger, and this process's memory figures. Invariant: the mirror topic gets exactly the source
 * topic's partition count, and the snapshot names nothing but that one mirror.
 */
import { readFileSync } from 'node:fs';
import type { SeekEntry } from 'kafkajs';
import { admin } from './kafka-admin.js';
import type { EngineLogger, LinkSnapshot } from '../src/replication/engine-api.js';

/** A /proc/self/status field in kB (VmRSS, VmHWM). */
export function vmKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Creates the mirror topic with the source topic's partitions; returns the source's offsets. */
export async function createMirrorTopic(source: string, dest: string, topic: string, mirror: string): Promise<Array<SeekEntry & { high: string; low: string }>> {
  const ends = await admin(source, (a) => a.fetchTopicOffsets(topic));
  await admin(dest, (a) => a.createTopics({ topics: [{ topic: mirror, numPartitions: ends.length }], waitForLeaders: true }));
  return ends;
}

export const quietLog: EngineLogger = { info: () => undefined, debug: () => undefined, warn: (m) => console.error(`WARN ${m}`), error: (m) => console.error(`ERROR ${m}`) };

/** The snapshot of a link "bench" with one ACTIVE mirror of `topic` into `mirror`. */
export function oneMirrorSnapshot(source: string, dest: string, topic: string, mirror: string, partitions: number): LinkSnapshot {
  const now = new Date().toISOString();
  return {
    link: { name: 'bench', linkId: 'bench', destination: 'dest', sourceBootstrapServers: source, sourceClientConfig: {}, configs: {}, createdAt: now, updatedAt: now },
    destination: { name: 'dest', bootstrapServers: dest, clientConfig: {}, createdAt: now },
    mirrors: [{ link: 'bench', mirrorTopic: mirror, sourceTopic: topic, desiredState: 'ACTIVE', partitions, configOverrides: {}, createdAt: now, stateChangedAtMs: Date.now() }],
  };
}
