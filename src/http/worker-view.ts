/**
 * What the worker's HTTP endpoint reads: the link snapshot last applied and the worker's in-memory
 * status (the same object status.json is written from), and the mirror rows built from them.
 * Invariants: nothing here talks to Kafka (a scrape costs no round trip); lag is computed exactly as
 * `mirror describe` computes it (source high watermark − destination log end, 0 at least, -1 when
 * either end is unknown) from the offsets the engine last learnt; the status shown is describe's.
 */
import type { ClusterRecord } from '../core/model/cluster.js';
import type { LinkRecord } from '../core/model/link.js';
import type { MirrorRecord, MirrorStatus, PartitionStatus, WorkerStatusFile } from '../core/model/mirror.js';
import { effectiveStatus } from '../core/usecases/mirror-query.js';

export type WorkerPhase = 'starting' | 'running' | 'stopping';

export interface WorkerView {
  /** The link, its destination and stored mirrors as last applied (undefined before the first). */
  snapshot(): { link: LinkRecord; destination: ClusterRecord; mirrors: MirrorRecord[] } | undefined;
  /** The worker's status (mirror reports, syncs, errors), live. */
  status(): WorkerStatusFile;
  phase(): WorkerPhase;
}

export interface PartitionView {
  partition: number;
  lag: number;
  lastSourceFetchOffset: number;
  sourceHighWatermark: number;
  destinationLogEnd: number;
  /** Age of the oldest source record not yet on the destination; 0 when caught up; undefined if unknown. */
  lagSeconds: number | undefined;
  failed: boolean;
  error: string;
}

export interface MirrorView {
  mirrorTopic: string;
  sourceTopic: string;
  status: MirrorStatus;
  statusTimeMs: number;
  error: string;
  partitions: PartitionView[];
  /** Largest partition lag (-1 when one is unknown and none is known … as describe's Max Per Partition Mirror Lag). */
  maxLag: number;
}

function lagSeconds(p: PartitionStatus, lag: number, nowMs: number): number | undefined {
  if (lag === 0) return 0;
  if (lag < 0) return undefined;
  const since = p.oldestPendingTimestampMs ?? p.caughtUpAtMs;
  return since === undefined ? undefined : Math.max(0, (nowMs - since) / 1000);
}

/** The link's mirrors: stored ones, then those the worker created itself (a stored one wins). */
export function mirrorsOf(view: WorkerView): MirrorRecord[] {
  const stored = view.snapshot()?.mirrors ?? [];
  const names = new Set(stored.map((m) => m.mirrorTopic));
  return [...stored, ...(view.status().autoMirrors ?? []).filter((m) => !names.has(m.mirrorTopic))].sort((a, b) => (a.mirrorTopic < b.mirrorTopic ? -1 : 1));
}

export function mirrorViews(view: WorkerView, nowMs = Date.now()): MirrorView[] {
  const snapshot = view.snapshot();
  if (!snapshot) return [];
  const status = view.status();
  return mirrorsOf(view).map((mirror) => {
    const report = status.mirrors[mirror.mirrorTopic];
    const reported = report?.partitions ?? [];
    const count = Math.max(mirror.partitions, ...reported.map((p) => p.partition + 1));
    const partitions: PartitionView[] = [];
    for (let n = 0; n < count; n++) {
      const p = reported.find((x) => x.partition === n);
      const hw = p?.sourceHighWatermark ?? -1;
      const end = p?.destinationLogEnd ?? -1;
      const lag = hw >= 0 && end >= 0 ? Math.max(0, hw - end) : -1;
      partitions.push({
        partition: n,
        lag,
        lastSourceFetchOffset: p?.lastSourceFetchOffset ?? end,
        sourceHighWatermark: hw,
        destinationLogEnd: end,
        lagSeconds: p ? lagSeconds(p, lag, nowMs) : undefined,
        failed: p?.status === 'FAILED',
        error: p?.error ?? '',
      });
    }
    return {
      mirrorTopic: mirror.mirrorTopic,
      sourceTopic: mirror.sourceTopic,
      status: effectiveStatus(mirror, snapshot.link, report),
      statusTimeMs: Math.max(mirror.stateChangedAtMs, report?.statusTimeMs ?? 0),
      error: report?.error ?? '',
      partitions,
      maxLag: partitions.reduce((max, p) => Math.max(max, p.lag), partitions.length ? -1 : 0),
    };
  });
}

/** The destination cluster's id as REST paths name it (its name when no id was ever recorded). */
export function destinationClusterId(view: WorkerView): string | undefined {
  const snapshot = view.snapshot();
  if (!snapshot) return undefined;
  return snapshot.destination.clusterId ?? snapshot.link.destinationClusterId ?? snapshot.destination.name;
}
