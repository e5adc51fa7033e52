/**
 * Reads a partition's log record by record over the raw layer: raw Fetch (read_uncommitted), the
 * batch CRC checked, the records section decompressed through kafkajs's codec registry (codecs.ts),
 * and the v2 record format decoded here, so headers keep their stored order (kafkajs's own decoder
 * folds them into an object).
 * Invariants: the PartitionLogReader contract (record-reader-port.ts): strictly increasing offsets
 * within [from, to), one fetch response in memory at a time; a batch that fails its CRC or cannot be
 * decoded becomes one `corrupt` entry at its first offset in range, never an exception.
 */
import type { ClusterEndpoint } from '../core/ports.js';
import type { LogEntry, PartitionLogReader, ReadOptions, RecordHeader, RecordReaderPort } from '../core/usecases/record-reader-port.js';
import { ClinkError, ErrorCode } from '../core/errors.js';
import { toKafkaJsConfig } from './client-config.js';
import { decompress } from './codecs.js';
import {
  KafkaProtocolError, RawCluster, decodeControlMarker, fetchRaw, lastOffsetOf, nextOffsetOf, recordsSectionOf,
  verifyBatchCrc, type AbortedTransaction, type FetchPartitionResult, type RawBatch, type RawKafkaConfig,
} from './raw/index.js';

export const DEFAULT_READ_BYTES = 4 * 1024 * 1024;

/** Bounds-checked reader of the v2 record encoding (zig-zag varints, length-prefixed bytes). */
class RecordCursor {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  varint(): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new Error('record runs past the batch');
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      scale *= 128;
    }
    throw new Error('invalid varint');
  }

  /** A zig-zag varlong, exact over the whole 64-bit range. */
  varlong(): bigint {
    const start = this.pos;
    const fast = this.varint();
    if (this.pos - start <= 7) return BigInt(fast);
    let raw = 0n;
    for (let i = start, shift = 0n; i < this.pos; i++, shift += 7n) raw |= BigInt((this.buf[i] as number) & 0x7f) << shift;
    return raw & 1n ? -((raw + 1n) >> 1n) : raw >> 1n;
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    if (this.pos + length > this.buf.length) throw new Error('record field runs past the batch');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

/** Every entry of one batch (records of a compressed batch are decompressed first). */
export async function decodeBatch(batch: RawBatch, aborted = false): Promise<LogEntry[]> {
  try {
    if (!verifyBatchCrc(batch)) return [{ kind: 'corrupt', offset: batch.baseOffset, reason: 'record batch fails its CRC' }];
    if (batch.isControl) return [{ kind: 'control', offset: batch.baseOffset, marker: decodeControlMarker(batch).type }];
    const cursor = new RecordCursor(await decompress(batch.codec, recordsSectionOf(batch)));
    const logAppend = batch.timestampType === 'LogAppendTime';
    const entries: LogEntry[] = [];
    for (let i = 0; i < batch.recordCount; i++) {
      const length = cursor.varint();
      const end = cursor.pos + length;
      cursor.pos += 1; // record attributes (unused)
      const timestampDelta = cursor.varlong();
      const offset = batch.baseOffset + BigInt(cursor.varint());
      const key = cursor.bytes();
      const value = cursor.bytes();
      const headers: RecordHeader[] = [];
      for (let h = cursor.varint(); h > 0; h--) {
        const headerKey = cursor.bytes();
        headers.push({ key: headerKey === null ? '' : headerKey.toString('utf8'), value: cursor.bytes() });
      }
      if (cursor.pos !== end) throw new Error(`record at offset ${offset} has ${end - cursor.pos} unread bytes`);
      const timestamp = logAppend ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta;
      entries.push({ kind: 'record', offset, key, value, headers, timestamp, timestampType: batch.timestampType, aborted });
    }
    return entries;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ kind: 'corrupt', offset: batch.baseOffset, reason: `record batch cannot be decoded: ${reason}` }];
  }
}

/**
 * Kafka's read_committed rule: a producer's transactional data is aborted from its aborted
 * transaction's first offset up to that producer's ABORT marker.
 */
class AbortTracker {
  private readonly pending: AbortedTransaction[] = [];
  private readonly seen = new Set<string>();
  private readonly active = new Set<bigint>();

  add(list: readonly AbortedTransaction[]): void {
    for (const txn of list) {
      const key = `${txn.producerId}:${txn.firstOffset}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.pending.push(txn);
    }
    this.pending.sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  }

  /** Whether `batch`'s data is aborted; call for every batch in log order. */
  visit(batch: RawBatch): boolean {
    const last = lastOffsetOf(batch);
    while (this.pending.length > 0 && (this.pending[0] as AbortedTransaction).firstOffset <= last) {
      this.active.add((this.pending.shift() as AbortedTransaction).producerId);
    }
    if (!batch.isControl) return batch.isTransactional && this.active.has(batch.producerId);
    if (verifyBatchCrc(batch) && batch.codec === 'none' && decodeControlMarker(batch).type === 'ABORT') this.active.delete(batch.producerId);
    return false;
  }
}

class RawLogReader implements PartitionLogReader {
  constructor(
    private readonly cluster: RawCluster,
    private readonly maxBytes: number,
  ) {}

  private async fetch(topic: string, partition: number, offset: bigint, isolation: 'read_uncommitted' | 'read_committed'): Promise<FetchPartitionResult> {
    const result = await fetchRaw(this.cluster, { topic, partition, offset, maxBytes: this.maxBytes, maxWaitMs: 0, isolation });
    if (result.errorCode !== 0) {
      throw new KafkaProtocolError(result.errorCode, `cannot read ${topic}-${partition} at offset ${offset}: ${result.errorName.toLowerCase()}`, {
        context: { topic, partition, offset: offset.toString() },
      });
    }
    return result;
  }

  async *read(topic: string, partition: number, from: bigint, to: bigint, options: ReadOptions = {}): AsyncIterable<LogEntry[]> {
    const aborts = new AbortTracker();
    let offset = from;
    while (offset < to) {
      const result = await this.fetch(topic, partition, offset, 'read_uncommitted');
      const last = result.batches.at(-1);
      if (last === undefined) {
        if (result.highWatermark <= offset) return;
        throw new ClinkError(ErrorCode.FAILURE, `${topic}-${partition} returned no records at offset ${offset}, below its high watermark ${result.highWatermark}`);
      }
      if (options.markAborted && result.batches.some((b) => b.isTransactional && !b.isControl)) {
        aborts.add((await this.fetch(topic, partition, offset, 'read_committed')).abortedTransactions);
      }
      for (const batch of result.batches) {
        const aborted = options.markAborted === true && aborts.visit(batch);
        if (lastOffsetOf(batch) < offset || batch.baseOffset >= to) continue;
        const entries: LogEntry[] = [];
        for (const entry of await decodeBatch(batch, aborted)) {
          if (entry.kind === 'corrupt') entries.push({ ...entry, offset: entry.offset < offset ? offset : entry.offset });
          else if (entry.offset >= offset && entry.offset < to) entries.push(entry);
        }
        if (entries.length > 0) yield entries; // one batch at a time: at most one decompressed batch is held
      }
      offset = nextOffsetOf(last);
      if (offset >= result.highWatermark) return;
    }
  }

  async close(): Promise<void> {
    await this.cluster.close();
  }
}

/** Opens raw connections to a cluster endpoint (its TLS and SASL client properties included). */
export class KafkaRecordReader implements RecordReaderPort {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly maxBytes = DEFAULT_READ_BYTES,
  ) {}

  async open(endpoint: ClusterEndpoint): Promise<PartitionLogReader> {
    const config = await toKafkaJsConfig({ ...endpoint.clientConfig, 'bootstrap.servers': endpoint.bootstrapServers }, { clientId: 'clink-verify', env: this.env });
    const cluster = new RawCluster({
      brokers: config.brokers,
      clientId: config.clientId,
      ...(config.ssl ? { ssl: config.ssl } : {}),
      ...(config.sasl ? { sasl: config.sasl as unknown as RawKafkaConfig['sasl'] } : {}),
      requestTimeout: config.requestTimeout ?? 30_000,
      connectionTimeout: config.connectionTimeout ?? 5000,
    });
    try {
      await cluster.connect();
    } catch (error) {
      await cluster.close();
      if (error instanceof ClinkError) {
        throw new ClinkError(error.code, `${endpoint.label} at ${endpoint.bootstrapServers}: ${error.message}`, {
          cause: error, retriable: error.retriable, ...(error.suggestion ? { suggestion: error.suggestion } : {}),
        });
      }
      throw error;
    }
    return new RawLogReader(cluster, this.maxBytes);
  }
}
