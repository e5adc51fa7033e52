/**
 * Where two topics of the same name on the two clusters of a bidirectional link stop sharing one
 * history: `older` is the topic that is to become a mirror (the old source), `newer` the writable
 * topic it is to mirror. Per partition, older's records from the later of the two log starts up to
 * older's end are compared with newer's at the same offsets, by the rules of `mirror verify`
 * (mirror-verify-compare.ts). Invariants: `divergenceOffset` is the first offset where older holds
 * something newer does not (or older's end when older is a prefix of newer); nothing is written;
 * both logs are streamed, so memory does not grow with the topics.
 */
import type { ClusterEndpoint, PartitionOffsets, TopicAdminPort } from '../ports.js';
import { compareLogs } from './mirror-verify-compare.js';
import { openBoth } from './mirror-verify.js';
import type { PartitionLogReader, RecordReaderPort } from './record-reader-port.js';

export interface PartitionHistory {
  partition: number;
  /** First offset compared (the later of the two log starts). */
  fromOffset: number;
  /** Older's log end: the offsets [divergenceOffset, olderEnd) are older's alone. */
  olderEnd: number;
  newerEnd: number;
  divergenceOffset: number;
  /** Offsets found identical. */
  recordsCompared: number;
  /** Why the histories part at divergenceOffset ('' when older is a prefix of newer). */
  detail: string;
}

export interface HistoryInput {
  older: { endpoint: ClusterEndpoint; topic: string };
  newer: { endpoint: ClusterEndpoint; topic: string };
}

export interface HistoryDeps {
  topics: TopicAdminPort;
  records: RecordReaderPort;
}

/** Partitions compared at the same time (each streams both sides). */
const PARALLEL_PARTITIONS = 2;

async function onePartition(partition: number, older: PartitionOffsets | undefined, newer: PartitionOffsets | undefined, input: HistoryInput, readers: [PartitionLogReader, PartitionLogReader]): Promise<PartitionHistory> {
  const olderEnd = older?.highWatermark ?? 0;
  const newerEnd = newer?.highWatermark ?? 0;
  const from = Math.max(older?.logStartOffset ?? 0, newer?.logStartOffset ?? 0);
  const row = { partition, fromOffset: from, olderEnd, newerEnd };
  if (olderEnd <= from) return { ...row, divergenceOffset: olderEnd, recordsCompared: 0, detail: '' };
  if (newer === undefined) return { ...row, divergenceOffset: from, recordsCompared: 0, detail: `${input.newer.topic} has no partition ${partition}` };
  const comparison = await compareLogs(
    readers[0].read(input.older.topic, partition, BigInt(from), BigInt(olderEnd), { markAborted: true }),
    readers[1].read(input.newer.topic, partition, BigInt(from), BigInt(olderEnd)),
    BigInt(olderEnd),
  );
  if (!comparison.difference) return { ...row, divergenceOffset: olderEnd, recordsCompared: comparison.compared, detail: '' };
  return { ...row, divergenceOffset: Number(comparison.difference.offset), recordsCompared: comparison.compared, detail: comparison.difference.detail };
}

/** One row per partition of older (a missing older topic has none), in partition order. */
export async function compareHistories(input: HistoryInput, deps: HistoryDeps): Promise<PartitionHistory[]> {
  const [olderOffsets, newerOffsets] = await Promise.all([
    deps.topics.partitionOffsets(input.older.endpoint, [input.older.topic]),
    deps.topics.partitionOffsets(input.newer.endpoint, [input.newer.topic]),
  ]);
  const olderParts = [...(olderOffsets.get(input.older.topic) ?? [])].sort((a, b) => a.partition - b.partition);
  const newerParts = newerOffsets.get(input.newer.topic) ?? [];
  if (olderParts.length === 0) return [];
  const readers = await openBoth(deps, [input.older.endpoint, input.newer.endpoint]);
  try {
    const rows: PartitionHistory[] = new Array(olderParts.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < olderParts.length; i = next++) {
        const older = olderParts[i]!;
        rows[i] = await onePartition(older.partition, older, newerParts.find((n) => n.partition === older.partition), input, readers as [PartitionLogReader, PartitionLogReader]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTITIONS, olderParts.length) }, worker));
    return rows;
  } finally {
    await Promise.all(readers.map((r) => r.close().catch(() => undefined)));
  }
}

/** Partitions where older holds records newer does not. */
export function diverged(rows: readonly PartitionHistory[]): PartitionHistory[] {
  return rows.filter((r) => r.divergenceOffset < r.olderEnd);
}
