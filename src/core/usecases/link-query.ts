/**
 * `link list` and `link describe`: what is stored plus a live availability check of both ends
 * (bounded, concurrent), reported with Confluent's link states and error names.
 */
import type { ClinkError } from '../errors.js';
import { ErrorCode } from '../errors.js';
import type { LinkRecord } from '../model/link.js';
import type { ClusterRecord } from '../model/cluster.js';
import type { StoreData } from '../ports.js';
import { NotFoundError } from '../errors.js';
import type { LinkSyncStatuses } from '../model/sync.js';
import type { LinkDeps } from './link-ports.js';
import { linkMirrors } from './mirror-auto.js';
import { linkTasks, workerStartCommand, type LinkTask } from '../model/link-tasks.js';
import type { WorkerStatusFile } from '../model/mirror.js';
import { liveMirrorWriters, type MirrorWriter } from './mirror-writers.js';

/** How the link mirrors source transactions: its mirror.transactions and where it fell back to fillers. */
export interface LinkTransactions {
  mode: 'exact' | 'fillers';
  fallbacks: Array<{ mirrorTopic: string; partition: number; reason: string }>;
}

export type LinkState = 'ACTIVE' | 'PAUSED' | 'UNAVAILABLE';

export interface LinkStatus {
  name: string;
  linkId: string;
  topicName?: string;
  sourceClusterId: string;
  sourceBootstrapServers: string;
  destination: string;
  destinationClusterId: string;
  linkMode: string;
  state: LinkState;
  error: string;
  errorMessage: string;
  /** What the link's worker last reported about its syncs (describe only). */
  syncs?: LinkSyncStatuses;
  workerRunning?: boolean;
  /** The link's enabled tasks with their state (describe only). */
  tasks?: LinkTask[];
  /** When tasks are enabled but the worker is not running: the command that starts it (describe only). */
  workerStartCommand?: string;
  /** mirror.transactions and the worker's fallbacks (describe only). */
  transactions?: LinkTransactions;
  /** Live mirror topics other principals may write to on the destination (describe only). */
  mirrorWriters?: Array<{ mirrorTopic: string; writers: MirrorWriter[] }>;
}

export function linkNotFound(names: string[]): NotFoundError {
  const quoted = names.map((n) => `"${n}"`);
  const list = quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
  return new NotFoundError(`cluster link${names.length > 1 ? 's' : ''} ${list} not found`, {
    suggestion: 'List available cluster links with `clink link list`.',
  });
}

export function requireLink(data: StoreData, name: string): LinkRecord {
  const link = data.links[name];
  if (!link) throw linkNotFound([name]);
  return link;
}

/** Confluent's link_error names for what the probe reports. */
function linkErrorName(error: ClinkError): string {
  switch (error.code) {
    case ErrorCode.AUTHENTICATION_FAILED:
      return 'AUTHENTICATION_ERROR';
    case ErrorCode.TIMEOUT:
      return 'TIMEOUT_ERROR';
    case ErrorCode.CLUSTER_UNREACHABLE:
      return /ENOTFOUND|EAI_AGAIN/.test(error.message) ? 'UNRESOLVABLE_BOOTSTRAP_ERROR' : 'BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR';
    default:
      return 'UNKNOWN';
  }
}

async function availability(link: LinkRecord, destination: ClusterRecord | undefined, deps: LinkDeps) {
  if (link.configs['cluster.link.paused'] === 'true') return { state: 'PAUSED' as const, error: '', errorMessage: '' };
  const checks: Array<Promise<unknown>> = [
    deps.probe.describe({ bootstrapServers: link.sourceBootstrapServers, clientConfig: link.sourceClientConfig, label: 'source cluster' }),
  ];
  if (destination) {
    checks.push(deps.probe.describe({ bootstrapServers: destination.bootstrapServers, clientConfig: destination.clientConfig, label: `destination cluster "${destination.name}"` }));
  }
  const results = await Promise.allSettled(checks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return { state: 'ACTIVE' as const, error: '', errorMessage: '' };
  const error = failed.reason as ClinkError;
  return { state: 'UNAVAILABLE' as const, error: linkErrorName(error), errorMessage: error.message ?? String(error) };
}

async function statusOf(link: LinkRecord, data: StoreData, deps: LinkDeps): Promise<LinkStatus> {
  const destination = data.clusters[link.destination];
  const live = await availability(link, destination, deps);
  return {
    name: link.name,
    linkId: link.linkId,
    sourceClusterId: link.sourceClusterId ?? '',
    sourceBootstrapServers: link.sourceBootstrapServers,
    destination: link.destination,
    destinationClusterId: destination?.clusterId ?? link.destinationClusterId ?? '',
    linkMode: link.configs['link.mode'] ?? 'DESTINATION',
    ...live,
  };
}

export async function listLinks(options: { includeTopics: boolean }, deps: LinkDeps): Promise<LinkStatus[]> {
  const data = await deps.store.read();
  const links = Object.values(data.links).sort((a, b) => (a.name < b.name ? -1 : 1));
  const statuses = await Promise.all(links.map((l) => statusOf(l, data, deps)));
  if (!options.includeTopics) return statuses;
  // One row per (link, mirror topic), auto-created mirrors included; a link without mirrors still shows once.
  const workerStatuses = new Map(await Promise.all(statuses.map(async (s) => [s.name, await deps.workers?.readStatus(s.name)] as const)));
  return statuses.flatMap((s) => {
    const topics = linkMirrors(data, s.name, workerStatuses.get(s.name)).map((m) => m.mirrorTopic).sort();
    return topics.length === 0 ? [{ ...s, topicName: '' }] : topics.map((topicName) => ({ ...s, topicName }));
  });
}

/** The fallbacks a running worker reports (partition by partition, in topic order). */
export function linkTransactions(configs: Record<string, string>, worker: WorkerStatusFile | undefined, running: boolean): LinkTransactions {
  const mode = configs['mirror.transactions'] === 'fillers' ? 'fillers' : 'exact';
  const fallbacks: LinkTransactions['fallbacks'] = [];
  if (mode === 'exact' && running && worker) {
    for (const mirror of Object.values(worker.mirrors).sort((a, b) => (a.mirrorTopic < b.mirrorTopic ? -1 : 1))) {
      for (const p of mirror.partitions) if (p.transactionsFallback) fallbacks.push({ mirrorTopic: mirror.mirrorTopic, partition: p.partition, reason: p.transactionsFallback });
    }
  }
  return { mode, fallbacks };
}

export async function describeLink(name: string, deps: LinkDeps): Promise<LinkStatus> {
  const data = await deps.store.read();
  const link = requireLink(data, name);
  const status = await statusOf(link, data, deps);
  if (!deps.workers) return status;
  const [running, worker] = await Promise.all([deps.workers.isRunning(name), deps.workers.readStatus(name)]);
  const mirrors = linkMirrors(data, name, worker);
  const tasks = linkTasks({ link, mirrorCount: mirrors.length, workerRunning: running, status: worker }).filter((t) => t.state !== 'NOT_CONFIGURED');
  const writers = await liveMirrorWriters(data, link, mirrors, deps.acls);
  return {
    ...status,
    transactions: linkTransactions(link.configs, worker, running),
    mirrorWriters: [...writers].sort(([a], [b]) => (a < b ? -1 : 1)).map(([mirrorTopic, w]) => ({ mirrorTopic, writers: w })),
    workerRunning: running,
    ...(worker?.syncs ? { syncs: worker.syncs } : {}),
    tasks,
    ...(!running && tasks.length > 0 ? { workerStartCommand: workerStartCommand(name) } : {}),
  };
}
