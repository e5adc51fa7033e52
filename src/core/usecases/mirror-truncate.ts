/**
 * `mirror truncate-and-restore` (failback after an unplanned failover, bidirectional links): the old
 * source topic may hold records the failed-over mirror never got, while new records were written to
 * the mirror. Plain Kafka cannot cut the tail of a log, so per topic: find where the two histories
 * part (mirror-history.ts); copy the old source's records after that point into a new "set aside"
 * topic on the same cluster; recreate the old source topic empty; and make it a mirror of the
 * failed-over topic from the earliest offset, so every offset lines up again.
 * Invariants: nothing is deleted before every set-aside record is acknowledged and counted on the
 * set-aside topic; the set-aside topic keeps records forever (retention -1, delete policy, CreateTime)
 * so nothing is lost; only data records are set aside (transaction markers, aborted records and gap
 * fillers were never visible); a dry run compares and counts and changes nothing; a topic that fails
 * is reported in its own row and the others go on.
 */
import { ClinkError, ConflictError, ErrorCode, NotFoundError } from '../errors.js';
import { isGapFiller } from './mirror-verify-compare.js';
import { waitFor } from '../../util/wait-for.js';
import { mirrorEnds, type MirrorEnds } from '../link-direction.js';
import type { LinkRecord } from '../model/link.js';
import { mirrorKey, type MirrorRecord } from '../model/mirror.js';
import { transition } from '../model/mirror-state.js';
import { requireLink } from './link-query.js';
import { adoptAutoMirrors } from './mirror-auto.js';
import { compareHistories, diverged, type PartitionHistory } from './mirror-history.js';
import type { MirrorDeps } from './mirror-ports.js';
import type { StoreData } from '../ports.js';
import { effectiveStatus, mirrorNotFound, STATUS_FRESH_MS } from './mirror-query.js';
import { requireBidirectional } from './mirror-reverse.js';
import type { RecordReaderPort } from './record-reader-port.js';
import type { RecordToWrite, RecordWriterPort } from './record-writer-port.js';
import { attemptTransition } from './mirror-transition-errors.js';

export interface TruncateDeps extends MirrorDeps {
  records: RecordReaderPort;
  writer: RecordWriterPort;
}

export interface PartitionTruncation {
  partition: number;
  /** Offsets of the old source topic past the divergence point. */
  messagesTruncated: number;
  /** The divergence point: the rebuilt topic equals the new source up to here. null when nothing is truncated. */
  offsetTruncatedTo: number | null;
  /** Data records copied to the set-aside topic (markers and aborted records are not). */
  recordsSetAside: number;
}

export interface TopicTruncation {
  mirrorTopic: string;
  /** '' when nothing had to be set aside (or on error). */
  setAsideTopic: string;
  partitions: PartitionTruncation[];
  error?: ClinkError;
}

export interface TruncateResult {
  topics: TopicTruncation[];
  failures: ClinkError[];
}

/** A name for the set-aside topic: `<topic>.set-aside.<UTC time>`. */
export function setAsideTopicName(topic: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${topic}.set-aside.${stamp}`;
}

const MAX_TOPIC_NAME = 249;
const READ_CHUNK = 2000;

function plan(rows: PartitionHistory[]): PartitionTruncation[] {
  return rows.map((r) => {
    const cut = r.olderEnd - r.divergenceOffset;
    return { partition: r.partition, messagesTruncated: cut, offsetTruncatedTo: cut > 0 ? r.divergenceOffset : null, recordsSetAside: 0 };
  });
}

/**
 * Copies older's data records from each divergence point to its end into the set-aside topic and
 * returns the counts per partition; with `target` undefined (a dry run) only counts them.
 */
async function setAside(ends: MirrorEnds, olderTopic: string, target: string | undefined, cuts: PartitionHistory[], deps: TruncateDeps): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const [reader, writer] = await Promise.all([deps.records.open(ends.source), target === undefined ? undefined : deps.writer.open(ends.source)]);
  try {
    for (const cut of cuts) {
      let written = 0;
      let batch: RecordToWrite[] = [];
      for await (const chunk of reader.read(olderTopic, cut.partition, BigInt(cut.divergenceOffset), BigInt(cut.olderEnd), { markAborted: true })) {
        for (const entry of chunk) {
          if (entry.kind === 'corrupt') throw new ClinkError(ErrorCode.FAILURE, `cannot set aside ${olderTopic}-${cut.partition}: the batch at offset ${entry.offset} is corrupt (${entry.reason})`);
          if (entry.kind !== 'record' || entry.aborted || isGapFiller(entry)) continue;
          batch.push({ key: entry.key, value: entry.value, headers: entry.headers, timestamp: entry.timestamp });
          if (batch.length >= READ_CHUNK) {
            if (writer) await writer.append(target!, cut.partition, batch);
            written += batch.length;
            batch = [];
          }
        }
      }
      if (batch.length > 0 && writer) await writer.append(target!, cut.partition, batch);
      counts.set(cut.partition, written + batch.length);
    }
  } finally {
    await Promise.all([reader.close().catch(() => undefined), writer?.close().catch(() => undefined)]);
  }
  if (target === undefined) return counts;
  // Every record must be on the set-aside topic before anything is deleted.
  const offsets = (await deps.topics.partitionOffsets(ends.source, [target])).get(target) ?? [];
  for (const [partition, count] of counts) {
    const end = offsets.find((o) => o.partition === partition)?.highWatermark ?? -1;
    if (end !== count) {
      throw new ClinkError(ErrorCode.FAILURE, `set-aside topic "${target}" partition ${partition} holds ${end} records, expected ${count}; nothing was deleted`, {
        suggestion: `Check "${target}" on the ${ends.source.label} and run the command again (it sets the records aside into a new topic).`,
      });
    }
  }
  return counts;
}

/** Deletes and recreates the old source topic empty, shaped like the topic it will mirror. */
async function recreateEmpty(ends: MirrorEnds, topic: string, like: { partitions: number; configs: Record<string, string> }, deps: TruncateDeps): Promise<void> {
  if (await deps.topics.describeTopic(ends.source, topic)) await deps.topics.deleteTopic(ends.source, topic);
  await waitFor(async () => ((await deps.topics.describeTopic(ends.source, topic)) === undefined) || undefined, { timeoutMs: 60_000, intervalMs: 200, message: `topic "${topic}" was not deleted on the ${ends.source.label} in time` });
  await waitFor(
    async () => {
      await deps.topics.createTopic(ends.source, { name: topic, partitions: like.partitions, replicationFactor: -1, configs: like.configs }).catch(() => undefined);
      const offsets = (await deps.topics.partitionOffsets(ends.source, [topic])).get(topic) ?? [];
      return (offsets.length === like.partitions && offsets.every((o) => o.highWatermark === 0)) || undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500, message: `topic "${topic}" could not be created again on the ${ends.source.label}` },
  );
}

async function truncateOne(data: StoreData, link: LinkRecord, mirror: MirrorRecord, options: { dryRun: boolean }, deps: TruncateDeps): Promise<TopicTruncation> {
  const ends = mirrorEnds(data, link, mirror);
  const newer = await deps.topics.describeTopic(ends.destination, mirror.mirrorTopic);
  if (!newer) {
    throw new NotFoundError(`topic "${mirror.mirrorTopic}" does not exist on the ${ends.destination.label}`, {
      suggestion: 'truncate-and-restore makes the old source a mirror of the failed-over topic, which must exist.',
    });
  }
  const older = await deps.topics.describeTopic(ends.source, mirror.sourceTopic);
  const rows = older ? await compareHistories({ older: { endpoint: ends.source, topic: mirror.sourceTopic }, newer: { endpoint: ends.destination, topic: mirror.mirrorTopic } }, deps) : [];
  const partitions = plan(rows);
  const cuts = diverged(rows);
  const target = cuts.length > 0 ? setAsideTopicName(mirror.sourceTopic, deps.now()) : '';
  if (target.length > MAX_TOPIC_NAME) {
    throw new ConflictError(`the set-aside topic name for "${mirror.sourceTopic}" would be longer than ${MAX_TOPIC_NAME} characters`, { suggestion: 'Set the records aside by hand (for example with kcat), then delete the topic and run the command again.' });
  }
  if (options.dryRun) {
    const counts = cuts.length > 0 ? await setAside(ends, mirror.sourceTopic, undefined, cuts, deps) : new Map<number, number>();
    for (const p of partitions) p.recordsSetAside = counts.get(p.partition) ?? 0;
    return { mirrorTopic: mirror.mirrorTopic, setAsideTopic: target, partitions };
  }

  if (cuts.length > 0) {
    await deps.topics.createTopic(ends.source, {
      name: target,
      partitions: older!.partitions,
      replicationFactor: -1,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1', 'message.timestamp.type': 'CreateTime', ...(older!.configs['max.message.bytes'] ? { 'max.message.bytes': older!.configs['max.message.bytes'] } : {}) },
    });
    const counts = await setAside(ends, mirror.sourceTopic, target, cuts, deps);
    for (const p of partitions) p.recordsSetAside = counts.get(p.partition) ?? 0;
  }
  await recreateEmpty(ends, mirror.sourceTopic, { partitions: newer.partitions, configs: newer.configs }, deps);
  const now = deps.now();
  await deps.store.update((d) => {
    const stored = d.mirrors[mirrorKey(link.name, mirror.mirrorTopic)];
    if (!stored || stored.desiredState !== 'STOPPED') throw new ConflictError(`mirror topic "${mirror.mirrorTopic}" changed while it was being restored`, { suggestion: 'Run the command again.' });
    Object.assign(stored, { reversed: !stored.reversed, desiredState: 'ACTIVE', partitions: newer.partitions, createdAt: now.toISOString(), stateChangedAtMs: now.getTime() });
  });
  return { mirrorTopic: mirror.mirrorTopic, setAsideTopic: target, partitions };
}

export async function truncateAndRestore(topics: string[], linkName: string, options: { dryRun: boolean }, deps: TruncateDeps): Promise<TruncateResult> {
  const unique = [...new Set(topics)];
  const first = await deps.store.read();
  const link = requireLink(first, linkName);
  requireBidirectional(link, 'truncate-and-restore');
  if (!options.dryRun) await adoptAutoMirrors(linkName, unique, deps);
  const data = await deps.store.read();
  const status = await deps.workers.readStatus(link.name);
  const fresh = status && deps.now().getTime() - status.updatedAtMs <= STATUS_FRESH_MS ? status : undefined;
  const results: TopicTruncation[] = [];
  for (const topic of unique) {
    try {
      const mirror = data.mirrors[mirrorKey(link.name, topic)];
      if (!mirror) throw mirrorNotFound(topic, link.name);
      transition(topic, effectiveStatus(mirror, link, fresh?.mirrors[topic]), 'truncate-and-restore');
      const run = () => truncateOne(data, link, mirror, options, deps);
      results.push(await (options.dryRun ? run() : attemptTransition(deps, link.name, 'truncate-and-restore', [mirror], run)));
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      results.push({ mirrorTopic: topic, setAsideTopic: '', partitions: [], error });
    }
  }
  if (!options.dryRun && results.some((r) => !r.error)) await deps.workers.ensureRunning(link.name);
  results.sort((a, b) => (a.mirrorTopic < b.mirrorTopic ? -1 : a.mirrorTopic > b.mirrorTopic ? 1 : 0));
  return { topics: results, failures: results.flatMap((r) => (r.error ? [r.error] : [])) };
}
