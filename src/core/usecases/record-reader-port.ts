/**
 * What `mirror verify` needs to read a partition's log record by record, on either cluster.
 * Invariants: a stream yields entries in strictly increasing offset order, only offsets in [from, to),
 * each offset at most once (offsets nobody can read, such as compaction holes, are simply absent); it
 * reads read_uncommitted, so transactional data and control records both appear; it holds at most one
 * fetch response in memory at a time.
 */
import type { ClusterEndpoint } from '../ports.js';

export type TimestampKind = 'CreateTime' | 'LogAppendTime';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DataEntry {
  kind: 'record';
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
  /** In stored order, repeated keys included. */
  headers: RecordHeader[];
  timestamp: bigint;
  timestampType: TimestampKind;
  /** Part of a transaction that was aborted (only known when the stream was asked to mark them). */
  aborted: boolean;
}

export interface ControlEntry {
  kind: 'control';
  offset: bigint;
  marker: 'COMMIT' | 'ABORT' | 'OTHER';
}

/** A batch whose bytes fail their CRC or cannot be decoded: its offsets cannot be compared. */
export interface CorruptEntry {
  kind: 'corrupt';
  offset: bigint;
  reason: string;
}

export type LogEntry = DataEntry | ControlEntry | CorruptEntry;

export interface ReadOptions {
  /** Mark records of aborted transactions (costs one read_committed fetch per chunk holding transactional data). */
  markAborted?: boolean;
}

export interface PartitionLogReader {
  /** Entries at offsets in [from, to), chunk by chunk; ends early where the partition's log ends. */
  read(topic: string, partition: number, from: bigint, to: bigint, options?: ReadOptions): AsyncIterable<LogEntry[]>;
  close(): Promise<void>;
}

export interface RecordReaderPort {
  /** Connects to a cluster; throws ClinkErrors (unreachable, authentication, …). */
  open(endpoint: ClusterEndpoint): Promise<PartitionLogReader>;
}
