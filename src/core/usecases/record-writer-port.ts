/**
 * What `mirror truncate-and-restore` needs to write records it sets aside: appends to one partition
 * of a topic, keeping each record's key, value, headers (in order) and timestamp. Invariant: append()
 * resolves only when every record is acknowledged by all in-sync replicas, in the order given.
 */
import type { ClusterEndpoint } from '../ports.js';
import type { RecordHeader } from './record-reader-port.js';

export interface RecordToWrite {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Epoch ms, written as the record's CreateTime. */
  timestamp: bigint;
}

export interface PartitionLogWriter {
  append(topic: string, partition: number, records: readonly RecordToWrite[]): Promise<void>;
  close(): Promise<void>;
}

export interface RecordWriterPort {
  open(endpoint: ClusterEndpoint): Promise<PartitionLogWriter>;
}
