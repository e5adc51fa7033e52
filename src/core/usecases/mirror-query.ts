/**
 * `mirror list` and `mirror describe`: the stored mirrors joined with what their worker reports and
 * with live offsets from both clusters. Lag is always source high watermark − destination log end,
 * read now; when a cluster cannot be read the worker's last report is used, and -1 means unknown.
 */
import { NotFoundError, UsageError } from '../errors.js';
import type { LinkRecord } from '../model/link.js';
import { MIRROR_STATUSES, type MirrorRecord, type MirrorStatus, type MirrorStatusReport, type WorkerStatusFile } from '../model/mirror.js';
import type { PartitionOffsets, StoreData } from '../ports.js';
import { requireLink } from './link-query.js';
import { mirrorEnds, mirrorsGoing } from '../link-direction.js';
import { findMirror, linkMirrors } from './mirror-auto.js';
import type { MirrorDeps } from './mirror-ports.js';
import { liveMirrorWriters, type MirrorWriter } from './mirror-writers.js';

/** A worker report older than this is not trusted for the status (the worker is gone or stuck). */
export const STATUS_FRESH_MS = 15_000;

export interface PartitionRow {
  linkName: string;
  mirrorTopic: string;
  sourceTopic: string;
  status: MirrorStatus;
  mirrorTopicError: string;
  statusTimeMs: number;
  partition: number;
  lag: number;
  lastSourceFetchOffset: number;
  sourceHighWatermark: number;
  destinationLogEnd: number;
  /** exact or fillers as the worker last reported, '' when unknown (mirror.transactions). */
  transactions: string;
  /** Why this partition mirrors transactions as fillers although mirror.transactions=exact, '' if it does not. */
  transactionsFallback: string;
  /** Principals other than the link's that destination ACLs let write to this ACTIVE/PAUSED mirror (describe only). */
  writers: MirrorWriter[];
}

export interface MirrorRow {
  linkName: string;
  mirrorTopic: string;
  sourceTopic: string;
  status: MirrorStatus;
  statusTimeMs: number;
  numPartitions: number;
  maxLag: number;
  partitions: PartitionRow[];
}

export function parseMirrorStatusFilter(value: string | undefined): MirrorStatus | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!(MIRROR_STATUSES as readonly string[]).includes(upper)) {
    throw new UsageError(`invalid mirror status "${value}"`, { suggestion: `Use one of ${MIRROR_STATUSES.map((s) => s.toLowerCase()).join(', ')}.` });
  }
  return upper as MirrorStatus;
}

function freshReport(status: WorkerStatusFile | undefined, topic: string, nowMs: number): MirrorStatusReport | undefined {
  if (!status || nowMs - status.updatedAtMs > STATUS_FRESH_MS) return undefined;
  return status.mirrors[topic];
}

/** The status a person should see: what they asked for wins over what the worker last did. */
export function effectiveStatus(mirror: MirrorRecord, link: LinkRecord, report: MirrorStatusReport | undefined): MirrorStatus {
  if (mirror.desiredState === 'STOPPED') return report && report.status !== 'STOPPED' ? 'PENDING_STOPPED' : 'STOPPED';
  if (link.configs['cluster.link.paused'] === 'true') return 'LINK_PAUSED';
  if (mirror.desiredState === 'PAUSED') return 'PAUSED';
  // A STOPPED report for a mirror wanted ACTIVE is from before it was reversed or restored.
  if (report?.status === 'STOPPED') return 'PENDING_MIRROR';
  return report?.status ?? 'PENDING_MIRROR';
}

/** Offsets, or undefined when the cluster cannot be read (in time, when a deadline is given). */
async function offsetsOrUndefined(load: () => Promise<Map<string, PartitionOffsets[]>>, deadlineMs?: number): Promise<Map<string, PartitionOffsets[]> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const work = load().catch(() => undefined);
  if (deadlineMs === undefined) return work;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deadlineMs);
    timer.unref();
  });
  const result = await Promise.race([work, deadline]);
  clearTimeout(timer);
  return result;
}

export interface RowOptions {
  /** Give up on the source after this long and use the worker's last report (default 5 s; failover uses less). */
  sourceDeadlineMs?: number;
}

/** A mirror listing never waits longer than this on a source that does not answer. */
export const DEFAULT_SOURCE_DEADLINE_MS = 5_000;

export async function rowsForLink(data: StoreData, link: LinkRecord, mirrors: MirrorRecord[], deps: MirrorDeps, options: RowOptions = {}): Promise<MirrorRow[]> {
  if (mirrors.length === 0) return [];
  // Offsets per direction: a reversed mirror (bidirectional links) reads the destination cluster.
  const offsetsGoing = (reversed: boolean) => {
    const going = mirrorsGoing(mirrors, reversed);
    if (going.length === 0) return Promise.resolve([undefined, undefined] as const);
    const ends = mirrorEnds(data, link, { reversed });
    return Promise.all([
      offsetsOrUndefined(() => deps.topics.partitionOffsets(ends.source, going.map((m) => m.sourceTopic)), options.sourceDeadlineMs ?? DEFAULT_SOURCE_DEADLINE_MS),
      offsetsOrUndefined(() => deps.topics.partitionOffsets(ends.destination, going.map((m) => m.mirrorTopic))),
    ] as const);
  };
  const [status, forward, reversed] = await Promise.all([deps.workers.readStatus(link.name), offsetsGoing(false), offsetsGoing(true)]);
  const nowMs = deps.now().getTime();
  return mirrors.map((mirror) => {
    const report = freshReport(status, mirror.mirrorTopic, nowMs);
    const stateReport = status?.mirrors[mirror.mirrorTopic];
    const mirrorStatus = effectiveStatus(mirror, link, report);
    const statusTimeMs = Math.max(mirror.stateChangedAtMs, report?.statusTimeMs ?? 0);
    const [sourceOffsets, destinationOffsets] = mirror.reversed ? reversed : forward;
    const source = sourceOffsets?.get(mirror.sourceTopic);
    const destination = destinationOffsets?.get(mirror.mirrorTopic);
    const count = Math.max(destination?.length ?? 0, source?.length ?? 0, mirror.partitions);
    const partitions: PartitionRow[] = [];
    for (let p = 0; p < count; p++) {
      const reported = stateReport?.partitions.find((x) => x.partition === p);
      const sourceHw = source?.[p]?.highWatermark ?? reported?.sourceHighWatermark ?? -1;
      const destinationEnd = destination?.[p]?.highWatermark ?? reported?.destinationLogEnd ?? -1;
      const lag = sourceHw >= 0 && destinationEnd >= 0 ? Math.max(0, sourceHw - destinationEnd) : -1;
      partitions.push({
        linkName: link.name,
        mirrorTopic: mirror.mirrorTopic,
        sourceTopic: mirror.sourceTopic,
        status: mirrorStatus,
        mirrorTopicError: reported?.error ?? report?.error ?? '',
        statusTimeMs,
        partition: p,
        lag,
        lastSourceFetchOffset: reported?.lastSourceFetchOffset ?? destinationEnd,
        sourceHighWatermark: sourceHw,
        destinationLogEnd: destinationEnd,
        transactions: reported?.transactions ?? '',
        transactionsFallback: reported?.transactionsFallback ?? '',
        writers: [],
      });
    }
    return {
      linkName: link.name,
      mirrorTopic: mirror.mirrorTopic,
      sourceTopic: mirror.sourceTopic,
      status: mirrorStatus,
      statusTimeMs,
      numPartitions: count,
      maxLag: partitions.reduce((max, p) => Math.max(max, p.lag), partitions.length ? -1 : 0),
      partitions,
    };
  });
}

export async function listMirrors(options: { link?: string; status?: MirrorStatus }, deps: MirrorDeps): Promise<MirrorRow[]> {
  const data = await deps.store.read();
  const links = options.link ? [requireLink(data, options.link)] : Object.values(data.links);
  const perLink = await Promise.all(
    links.map(async (link) => rowsForLink(data, link, linkMirrors(data, link.name, await deps.workers.readStatus(link.name)), deps)),
  );
  return perLink
    .flat()
    .filter((row) => !options.status || row.status === options.status)
    .sort((a, b) => (a.linkName + '\0' + a.mirrorTopic < b.linkName + '\0' + b.mirrorTopic ? -1 : 1));
}

export function mirrorNotFound(topic: string, link: string): NotFoundError {
  return new NotFoundError(`mirror topic "${topic}" not found on cluster link "${link}"`, {
    suggestion: `List the mirror topics of the link with \`clink mirror list --link ${link}\`.`,
  });
}

export async function describeMirror(topic: string, linkName: string, deps: MirrorDeps): Promise<PartitionRow[]> {
  const data = await deps.store.read();
  const link = requireLink(data, linkName);
  const mirror = findMirror(data, linkName, topic, await deps.workers.readStatus(linkName));
  if (!mirror) throw mirrorNotFound(topic, linkName);
  const [[row], writers] = await Promise.all([rowsForLink(data, link, [mirror], deps), liveMirrorWriters(data, link, [mirror], deps.acls)]);
  const found = writers.get(mirror.mirrorTopic) ?? [];
  return (row?.partitions ?? []).map((p) => ({ ...p, writers: found }));
}
