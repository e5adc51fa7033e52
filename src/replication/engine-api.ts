/**
 * The contract between a link's worker process (src/worker) and the replication engine
 * (src/replication). The worker owns the process, the config-store polling and the status file; the
 * engine owns every Kafka connection and the copy. The worker calls apply() whenever the stored link
 * or its mirrors change (and once at start); the engine converges on what it is given and reports
 * per-mirror status through report(). stop() closes every connection and resolves within 10 s.
 */
import type { ClusterRecord } from '../core/model/cluster.js';
import type { LinkRecord } from '../core/model/link.js';
import type { MirrorRecord, MirrorStatusReport } from '../core/model/mirror.js';
import type { SyncName, SyncStatus } from '../core/model/sync.js';

export interface EngineLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface LinkSnapshot {
  link: LinkRecord;
  destination: ClusterRecord;
  /** The link's mirrors (every desired state, STOPPED included). */
  mirrors: MirrorRecord[];
}

/**
 * What the engine tells the worker's metrics as it works (src/http keeps the counters). Every call is
 * cheap and synchronous; the engine never waits on it and works the same without it.
 */
export interface EngineMetrics {
  /** One Fetch request to a source broker answered (or failed) after `seconds`. */
  fetchRequest(seconds: number, failed: boolean): void;
  /** One Produce request to a destination broker answered (or failed) after `seconds`. */
  produceRequest(seconds: number, failed: boolean): void;
  /** An append to a mirror partition was acknowledged: `records` offsets, `bytes` batch bytes. */
  appended(mirrorTopic: string, partition: number, records: number, bytes: number): void;
}

export interface LinkEngineDeps {
  env: NodeJS.ProcessEnv;
  log: EngineLogger;
  /** Called whenever a mirror's observed status changes (and periodically with fresh offsets). */
  report(status: MirrorStatusReport): void;
  /** Link-level error (destination unreachable …) or undefined when healthy. */
  reportLinkError(error: string | undefined): void;
  /** The worker's state directory for this link's own files (the ACL sync's owned-ACL record). */
  stateDir?: string;
  /** Status of the link's periodic syncs (consumer offsets, ACLs). */
  reportSync?(name: SyncName, status: SyncStatus): void;
  /** The mirrors the worker created automatically (auto.create.mirror.topics.enable), whenever they change. */
  reportAutoMirrors?(mirrors: MirrorRecord[]): void;
  /** Counters for the worker's /metrics endpoint, when it serves one. */
  metrics?: EngineMetrics;
}

export interface LinkEngine {
  apply(snapshot: LinkSnapshot): Promise<void>;
  stop(): Promise<void>;
}

export type CreateLinkEngine = (deps: LinkEngineDeps) => LinkEngine;
