/**
 * Kafka RecordBatch (magic 2) framing without decompression.
 * Invariant: a RawBatch's `bytes` is exactly one whole batch (12 + batchLength bytes) and every header
 * field equals what is encoded in those bytes; the records section (offset 61 onwards) is never
 * decoded, altered or re-encoded here, except that an uncompressed control record's key/value can be read.
 */
import { crc32c } from './kafkajs-internals.js';
import { RecordBatchFormatError } from './errors.js';

export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export type TimestampType = 'CreateTime' | 'LogAppendTime';

const CODECS: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Byte positions of the v2 batch header. */
export const BatchLayout = {
  BASE_OFFSET: 0,
  BATCH_LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORD_COUNT: 57,
  RECORDS: 61,
  /** baseOffset + batchLength: the part of the header not counted in batchLength. */
  LOG_OVERHEAD: 12,
} as const;

export const Attr = {
  CODEC_MASK: 0x07,
  TIMESTAMP_TYPE: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
  DELETE_HORIZON: 0x40,
} as const;

export interface RawBatch {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** CRC-32C stored in the batch (unsigned). */
  crc: number;
  attributes: number;
  codec: CompressionCodec;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  /** KIP-534: baseTimestamp holds the delete horizon of a compacted batch. */
  hasDeleteHorizon: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  /** The whole batch, header included; a view into the fetched buffer unless produced by sanitiseForProduce. */
  bytes: Buffer;
}

export interface ParsedRecords {
  batches: RawBatch[];
  /** Bytes of a trailing partial batch the broker cut at maxBytes (dropped; fetch again from its offset). */
  partialBytes: number;
}

/** Decodes the header of the batch that fills `bytes` exactly. */
export function decodeBatchHeader(bytes: Buffer): RawBatch {
  if (bytes.length <= BatchLayout.MAGIC) {
    throw new RecordBatchFormatError(`record batch too short: ${bytes.length} bytes`);
  }
  const magic = bytes.readInt8(BatchLayout.MAGIC);
  const baseOffset = bytes.readBigInt64BE(BatchLayout.BASE_OFFSET);
  if (magic !== 2) {
    throw new RecordBatchFormatError(`unsupported record batch magic ${magic} at offset ${baseOffset}`, {
      suggestion: 'only message format v2 (Kafka 0.11+) can be copied; old-format data must be rewritten first',
      context: { magic, baseOffset: baseOffset.toString() },
    });
  }
  if (bytes.length < BatchLayout.RECORDS) {
    throw new RecordBatchFormatError(`record batch too short: ${bytes.length} bytes at offset ${baseOffset}`);
  }
  const batchLength = bytes.readInt32BE(BatchLayout.BATCH_LENGTH);
  if (batchLength + BatchLayout.LOG_OVERHEAD !== bytes.length) {
    throw new RecordBatchFormatError(`record batch length ${batchLength} does not match ${bytes.length} bytes`);
  }
  const attributes = bytes.readInt16BE(BatchLayout.ATTRIBUTES);
  const codec = CODECS[attributes & Attr.CODEC_MASK];
  if (codec === undefined) {
    throw new RecordBatchFormatError(`invalid compression codec ${attributes & Attr.CODEC_MASK} at offset ${baseOffset}`);
  }
  return {
    baseOffset,
    batchLength,
    partitionLeaderEpoch: bytes.readInt32BE(BatchLayout.PARTITION_LEADER_EPOCH),
    magic,
    crc: bytes.readUInt32BE(BatchLayout.CRC),
    attributes,
    codec,
    timestampType: attributes & Attr.TIMESTAMP_TYPE ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & Attr.TRANSACTIONAL) !== 0,
    isControl: (attributes & Attr.CONTROL) !== 0,
    hasDeleteHorizon: (attributes & Attr.DELETE_HORIZON) !== 0,
    lastOffsetDelta: bytes.readInt32BE(BatchLayout.LAST_OFFSET_DELTA),
    baseTimestamp: bytes.readBigInt64BE(BatchLayout.BASE_TIMESTAMP),
    maxTimestamp: bytes.readBigInt64BE(BatchLayout.MAX_TIMESTAMP),
    producerId: bytes.readBigInt64BE(BatchLayout.PRODUCER_ID),
    producerEpoch: bytes.readInt16BE(BatchLayout.PRODUCER_EPOCH),
    baseSequence: bytes.readInt32BE(BatchLayout.BASE_SEQUENCE),
    recordCount: bytes.readInt32BE(BatchLayout.RECORD_COUNT),
    bytes,
  };
}

/**
 * Splits a Fetch `records` blob into whole batches (views, no copy). A trailing partial batch is dropped
 * and reported in `partialBytes`; a complete batch with magic != 2 throws RecordBatchFormatError.
 */
export function parseRecordBatches(records: Buffer | null): ParsedRecords {
  const batches: RawBatch[] = [];
  if (records === null) return { batches, partialBytes: 0 };
  let pos = 0;
  while (pos < records.length) {
    const remaining = records.length - pos;
    if (remaining < BatchLayout.LOG_OVERHEAD) break;
    const size = records.readInt32BE(pos + BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD;
    if (size > remaining) break;
    if (size <= BatchLayout.MAGIC) {
      throw new RecordBatchFormatError(`corrupt record batch: length ${size - BatchLayout.LOG_OVERHEAD} at byte ${pos}`);
    }
    batches.push(decodeBatchHeader(records.subarray(pos, pos + size)));
    pos += size;
  }
  return { batches, partialBytes: records.length - pos };
}

/** CRC-32C over bytes [attributes, end), the range the stored CRC covers. */
export function computeBatchCrc(bytes: Buffer): number {
  return crc32c(bytes.subarray(BatchLayout.ATTRIBUTES));
}

export function verifyBatchCrc(batch: RawBatch): boolean {
  return computeBatchCrc(batch.bytes) === batch.crc;
}

/** Offset of the last record (including records compaction removed from inside the batch). */
export function lastOffsetOf(batch: RawBatch): bigint {
  return batch.baseOffset + BigInt(batch.lastOffsetDelta);
}

/** Offset right after this batch: where the next fetch of the partition resumes. */
export function nextOffsetOf(batch: RawBatch): bigint {
  return lastOffsetOf(batch) + 1n;
}

/** The records section (after the 61-byte header), still compressed if the batch is. */
export function recordsSectionOf(batch: RawBatch): Buffer {
  return batch.bytes.subarray(BatchLayout.RECORDS);
}

/**
 * A copy of `batch` that any client may produce: transactional bit cleared, producerId/epoch/baseSequence
 * -1, partitionLeaderEpoch -1, baseOffset 0, CRC recomputed. Records and codec are untouched.
 * Control batches cannot be produced by clients and are rejected.
 */
export function sanitiseForProduce(batch: RawBatch): RawBatch {
  if (batch.isControl) {
    throw new RecordBatchFormatError(`control batch at offset ${batch.baseOffset} cannot be produced by a client`);
  }
  const out = Buffer.allocUnsafe(batch.bytes.length);
  batch.bytes.copy(out);
  out.writeBigInt64BE(0n, BatchLayout.BASE_OFFSET);
  out.writeInt32BE(-1, BatchLayout.PARTITION_LEADER_EPOCH);
  out.writeInt16BE(batch.attributes & ~Attr.TRANSACTIONAL, BatchLayout.ATTRIBUTES);
  out.writeBigInt64BE(-1n, BatchLayout.PRODUCER_ID);
  out.writeInt16BE(-1, BatchLayout.PRODUCER_EPOCH);
  out.writeInt32BE(-1, BatchLayout.BASE_SEQUENCE);
  out.writeUInt32BE(computeBatchCrc(out), BatchLayout.CRC);
  return decodeBatchHeader(out);
}

export type ControlType = 'ABORT' | 'COMMIT' | 'OTHER';

export interface ControlMarker {
  type: ControlType;
  /** Raw control type id: 0 ABORT, 1 COMMIT, others are KRaft-internal. */
  typeId: number;
  version: number;
  /** Transaction coordinator epoch from the marker value; -1 when the value is absent. */
  coordinatorEpoch: number;
}

/** Reads the single control record of an (always uncompressed) control batch. */
export function decodeControlMarker(batch: RawBatch): ControlMarker {
  if (!batch.isControl) throw new RecordBatchFormatError(`batch at offset ${batch.baseOffset} is not a control batch`);
  if (batch.codec !== 'none') throw new RecordBatchFormatError(`control batch at offset ${batch.baseOffset} is compressed`);
  const reader = new VarReader(batch.bytes, BatchLayout.RECORDS);
  reader.varint(); // record length
  reader.skip(1); // record attributes
  reader.varint(); // timestamp delta (varlong; only skipped)
  reader.varint(); // offset delta
  const keyLength = reader.varint();
  if (keyLength < 4) throw new RecordBatchFormatError(`control record at offset ${batch.baseOffset} has a short key`);
  const version = batch.bytes.readInt16BE(reader.pos);
  const typeId = batch.bytes.readInt16BE(reader.pos + 2);
  reader.skip(keyLength);
  const valueLength = reader.varint();
  const coordinatorEpoch = valueLength >= 6 ? batch.bytes.readInt32BE(reader.pos + 2) : -1;
  const type: ControlType = typeId === 0 ? 'ABORT' : typeId === 1 ? 'COMMIT' : 'OTHER';
  return { type, typeId, version, coordinatorEpoch };
}

/** Zig-zag varint reader bounded by the batch; tolerant of 64-bit varlongs (value then imprecise). */
class VarReader {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
  ) {}

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.buf.length) throw new RecordBatchFormatError('control record runs past the batch');
  }

  varint(): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new RecordBatchFormatError('control record runs past the batch');
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      scale *= 128;
    }
    throw new RecordBatchFormatError('invalid varint in control record');
  }
}
