/**
 * Mirror topics: what the CLI stores (the desired state a user asked for) and what a worker reports
 * (the observed state per partition). The CLI writes MirrorRecord into the config store; the link's
 * worker alone writes MirrorStatus into its status file. Status names are Confluent's.
 */
import type { LinkSyncStatuses } from './sync.js';

/** Confluent's mirror_status values that clink has. */
export const MIRROR_STATUSES = [
  'ACTIVE',
  'PAUSED',
  'PENDING_STOPPED',
  'STOPPED',
  'FAILED',
  'SOURCE_UNAVAILABLE',
  'LINK_FAILED',
  'LINK_PAUSED',
  'PENDING_MIRROR',
] as const;
export type MirrorStatus = (typeof MIRROR_STATUSES)[number];

/** What the user asked for; the worker converges on it. */
export type DesiredMirrorState = 'ACTIVE' | 'PAUSED' | 'STOPPED';

export interface MirrorRecord {
  link: string;
  /** Topic name on the destination (source name plus the link's prefix, if any). */
  mirrorTopic: string;
  sourceTopic: string;
  desiredState: DesiredMirrorState;
  /** Partition count when the mirror was created (the worker grows the topic when the source grows). */
  partitions: number;
  /** Topic configs set on the mirror with `mirror create --config` (never-synced configs only). */
  configOverrides: Record<string, string>;
  createdAt: string;
  /** When desiredState last changed (epoch ms), shown as Status Time (ms) until the worker reports. */
  stateChangedAtMs: number;
  /**
   * True when the mirror runs against the link's direction: the topic on the link's source (remote)
   * cluster mirrors the topic of the same name on the destination cluster. Only on BIDIRECTIONAL
   * links, after `mirror reverse-and-start|reverse-and-pause` or `mirror truncate-and-restore`.
   */
  reversed?: boolean;
}

export function mirrorKey(link: string, mirrorTopic: string): string {
  return `${link}/${mirrorTopic}`;
}

/** Per-partition progress as the worker observed it. */
export interface PartitionStatus {
  partition: number;
  status: MirrorStatus;
  /** Next source offset the worker will fetch (= destination log end when in sync). */
  lastSourceFetchOffset: number;
  /** Source high watermark at the last fetch. */
  sourceHighWatermark: number;
  /** Destination log end offset after the last append. */
  destinationLogEnd: number;
  error?: string;
  /** How the copier mirrors source transactions now (mirror.transactions, after any fallback). */
  transactions?: 'exact' | 'fillers';
  /** Why exact transactions are not used on this partition although mirror.transactions=exact. */
  transactionsFallback?: string;
  updatedAtMs: number;
  /** Batch timestamp (epoch ms) of the oldest fetched source record not yet on the destination. */
  oldestPendingTimestampMs?: number;
  /** Epoch ms when the destination was last seen holding everything the source had (lag 0). */
  caughtUpAtMs?: number;
}

export interface MirrorStatusReport {
  mirrorTopic: string;
  sourceTopic: string;
  status: MirrorStatus;
  /** Epoch ms of the last status change. */
  statusTimeMs: number;
  error?: string;
  partitions: PartitionStatus[];
}

/** The whole status file of one link's worker (written atomically by the worker, read by the CLI). */
export interface WorkerStatusFile {
  link: string;
  pid: number;
  startedAtMs: number;
  updatedAtMs: number;
  /** True once the worker has loaded its config and connected. */
  ready: boolean;
  /** Link-level problem (e.g. destination unreachable), if any. */
  error?: string;
  mirrors: Record<string, MirrorStatusReport>;
  /** The link's periodic syncs (consumer offset sync, ACL sync), when they run. */
  syncs?: LinkSyncStatuses;
  /** The mirrors the worker created itself (auto.create.mirror.topics.enable); a stored mirror of the same topic wins. */
  autoMirrors?: MirrorRecord[];
  /** Where the worker serves /metrics, REST and /healthz (host:port), when it does. */
  httpAddress?: string;
}
