/**
 * `mirror verify`: proves, partition by partition, that a mirror topic holds the same records at the
 * same offsets as its source, over the destination's whole readable range [log start, end).
 * Invariants: a partition is `identical` only when every offset of that range was compared and
 * matched (compare.ts says what matching means); otherwise the result names the first offset that
 * could not be shown identical and why. Nothing is written to either cluster; both logs are streamed
 * (a few partitions at a time, one fetch response per side each), so memory does not grow with the topic.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { ConfigStorePort, PartitionOffsets, TopicAdminPort } from '../ports.js';
import { mirrorEnds } from '../link-direction.js';
import { requireLink } from './link-query.js';
import { compareLogs, type Comparison } from './mirror-verify-compare.js';
import { mirrorNotFound } from './mirror-query.js';
import type { PartitionLogReader, RecordReaderPort } from './record-reader-port.js';

export type VerifyResult = 'identical' | 'differs' | 'source_truncated';

export interface PartitionVerification {
  mirrorTopic: string;
  sourceTopic: string;
  partition: number;
  result: VerifyResult;
  /** Offsets compared and found matching (up to the first difference). */
  recordsCompared: number;
  /** The destination's log start and end when verification began: the range that had to match. */
  fromOffset: number;
  toOffset: number;
  /** null when the partition is identical. */
  firstDifferingOffset: number | null;
  /** Gap fillers on the destination that matched a gap in the source. */
  gapFillers: number;
  detail: string;
}

export interface MirrorVerifyDeps {
  store: ConfigStorePort;
  topics: TopicAdminPort;
  records: RecordReaderPort;
}

/** Partitions verified at the same time (each streams both sides). */
const PARALLEL_PARTITIONS = 2;

interface Job {
  partition: number;
  source: PartitionOffsets | undefined;
  destination: PartitionOffsets;
}

const range = (from: number, to: number): string => (to - from === 1 ? `offset ${from}` : `offsets ${from}-${to - 1}`);

function fillerNote(fillers: number, markers = 0): string {
  const markerNote = markers === 0 ? '' : `, ${markers} transaction marker${markers === 1 ? '' : 's'} matched`;
  return (fillers === 0 ? '' : `, ${fillers} gap filler${fillers === 1 ? '' : 's'} matched source gaps`) + markerNote;
}

async function verifyPartition(job: Job, topics: { mirror: string; source: string }, readers: { source: PartitionLogReader; destination: PartitionLogReader }): Promise<PartitionVerification> {
  const { partition, source, destination } = job;
  const start = destination.logStartOffset;
  const end = destination.highWatermark;
  const row = { mirrorTopic: topics.mirror, sourceTopic: topics.source, partition, fromOffset: start, toOffset: end };
  if (end <= start) {
    return { ...row, result: 'identical', recordsCompared: 0, firstDifferingOffset: null, gapFillers: 0, detail: 'destination partition is empty' };
  }
  if (source === undefined) {
    return { ...row, result: 'differs', recordsCompared: 0, firstDifferingOffset: start, gapFillers: 0, detail: `source topic has no partition ${partition}` };
  }
  const from = Math.max(start, source.logStartOffset);
  let comparison: Comparison = { compared: 0, fillers: 0 };
  if (from < end) {
    comparison = await compareLogs(
      readers.source.read(topics.source, partition, BigInt(from), BigInt(end), { markAborted: true }),
      readers.destination.read(topics.mirror, partition, BigInt(from), BigInt(end), { markAborted: true }),
      BigInt(source.highWatermark),
    );
  }
  const counts = { recordsCompared: comparison.compared, gapFillers: comparison.fillers };
  if (comparison.difference) {
    return { ...row, ...counts, result: 'differs', firstDifferingOffset: Number(comparison.difference.offset), detail: comparison.difference.detail };
  }
  if (from > start) {
    const lost = `destination has records the source no longer has: ${range(start, Math.min(from, end))} (source log start ${source.logStartOffset})`;
    const rest = from < end ? `; ${range(from, end)} identical${fillerNote(comparison.fillers, comparison.markers)}` : '';
    return { ...row, ...counts, result: 'source_truncated', firstDifferingOffset: start, detail: lost + rest };
  }
  return { ...row, ...counts, result: 'identical', firstDifferingOffset: null, detail: `${range(start, end)} identical${fillerNote(comparison.fillers, comparison.markers)}` };
}

/** Opens a reader on each endpoint; if one fails, closes those that opened and rethrows. */
export async function openBoth(deps: Pick<MirrorVerifyDeps, 'records'>, endpoints: Parameters<RecordReaderPort['open']>[0][]): Promise<PartitionLogReader[]> {
  const opened = await Promise.allSettled(endpoints.map((e) => deps.records.open(e)));
  const failure = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  const readers = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  if (failure) {
    await Promise.all(readers.map((r) => r.close().catch(() => undefined)));
    throw failure.reason;
  }
  return readers;
}

/** One row per partition of the mirror topic, in partition order. */
export async function verifyMirror(topic: string, linkName: string, deps: MirrorVerifyDeps): Promise<PartitionVerification[]> {
  const data = await deps.store.read();
  const link = requireLink(data, linkName);
  const mirror = data.mirrors[`${linkName}/${topic}`];
  if (!mirror) throw mirrorNotFound(topic, linkName);
  const ends = mirrorEnds(data, link, mirror);
  const endpoints = [ends.source, ends.destination] as const;
  const [sourceOffsets, destinationOffsets] = await Promise.all([
    deps.topics.partitionOffsets(endpoints[0], [mirror.sourceTopic]),
    deps.topics.partitionOffsets(endpoints[1], [mirror.mirrorTopic]),
  ]);
  const sourceParts = sourceOffsets.get(mirror.sourceTopic) ?? [];
  const destinationParts = destinationOffsets.get(mirror.mirrorTopic) ?? [];
  if (destinationParts.length === 0) {
    throw new NotFoundError(`mirror topic "${topic}" does not exist on the ${endpoints[1].label}`, {
      suggestion: `Create it again with \`clink mirror create ${topic} --link ${linkName}\`.`,
    });
  }
  if (sourceParts.length === 0) {
    throw new NotFoundError(`source topic "${mirror.sourceTopic}" of mirror topic "${topic}" not found on the ${endpoints[0].label}`);
  }
  const jobs: Job[] = [...destinationParts]
    .sort((a, b) => a.partition - b.partition)
    .map((destination) => ({ partition: destination.partition, destination, source: sourceParts.find((s) => s.partition === destination.partition) }));

  const [source, destination] = (await openBoth(deps, [...endpoints])) as [PartitionLogReader, PartitionLogReader];
  try {
    const rows: PartitionVerification[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < jobs.length; i = next++) {
        rows[i] = await verifyPartition(jobs[i] as Job, { mirror: mirror.mirrorTopic, source: mirror.sourceTopic }, { source, destination });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTITIONS, jobs.length) }, worker));
    return rows;
  } finally {
    await Promise.all([source.close(), destination.close()]);
  }
}

/** The error `mirror verify` exits with when any partition is not identical (after the table is printed). */
export function verifyFailure(topic: string, rows: readonly PartitionVerification[]): ConflictError | undefined {
  const differing = rows.filter((r) => r.result !== 'identical').length;
  if (differing === 0) return undefined;
  return new ConflictError(`mirror topic "${topic}" differs from its source in ${differing} partition${differing === 1 ? '' : 's'}`, {
    suggestion: 'The Detail column names, per partition, the first offset that differs and what differs there.',
  });
}
