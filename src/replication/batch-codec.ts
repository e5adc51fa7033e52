/**
 * Batch bytes the copier writes that are not a plain forward of a source batch: the producer-stamped
 * copy of a source batch, gap-filler batches, and batches rebuilt from part of a source batch.
 * Invariants: a stamped batch (rewritten in place, CRC patched) differs from its source only in baseOffset, partitionLeaderEpoch, the
 * transactional and LogAppendTime bits, producerId/epoch/baseSequence and the CRC (the records section is untouched); a
 * filler batch holds exactly `count` records at offset deltas 0..count-1, each keyed FILLER_KEY with a
 * null value and the header FILLER_HEADER=1; a rebuilt batch holds the source records at and after a
 * given offset, byte-identical except for their offset delta, at dense offsets.
 */
import { gzipSync } from 'node:zlib';
import { compress, decompress } from '../kafka/codecs.js';
import { Attr, BatchLayout, computeBatchCrc, decodeBatchHeader, type CompressionCodec, type RawBatch } from '../kafka/raw/index.js';
import { patchCrc } from './crc-patch.js';

export const FILLER_KEY = '__clink.gap';
export const FILLER_HEADER = 'clink.gap';
/** Fillers from this count on are gzip-compressed (about 18:1). */
const FILLER_GZIP_FROM = 256;
/** About 180 kB gzipped: far below any sane max.message.bytes. */
export const MAX_FILLER_RECORDS = 100_000;
const INT32_MAX = 0x7fffffff;

export interface Stamp {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
}

/** Kafka's sequence arithmetic: sequences wrap from Int32.MAX to 0. */
export function nextSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}


/**
 * `batch` made producible as an idempotent, non-transactional batch of `stamp`, rewritten in place
 * (the batch is a view into a fetch response the copier owns). The CRC is patched, not recomputed.
 */
export function stampBatch(batch: RawBatch, stamp: Stamp): RawBatch {
  // Brokers refuse client batches marked LogAppendTime ("Producer should not set timestamp type").
  return restampBatch(batch, stamp, batch.attributes & ~(Attr.TRANSACTIONAL | Attr.TIMESTAMP_TYPE));
}

/**
 * Rewrites `batch` in place with `stamp`'s producer fields and `attributes`: only baseOffset,
 * partitionLeaderEpoch, the attributes, the producer fields and the CRC change (the CRC is patched,
 * so a corrupted source batch stays corrupted).
 */
export function restampBatch(batch: RawBatch, stamp: Stamp, attributes: number): RawBatch {
  const out = batch.bytes;
  const before = Buffer.from(out.subarray(BatchLayout.ATTRIBUTES, BatchLayout.RECORD_COUNT));
  out.writeBigInt64BE(0n, BatchLayout.BASE_OFFSET);
  out.writeInt32BE(-1, BatchLayout.PARTITION_LEADER_EPOCH);
  out.writeInt16BE(attributes, BatchLayout.ATTRIBUTES);
  out.writeBigInt64BE(stamp.producerId, BatchLayout.PRODUCER_ID);
  out.writeInt16BE(stamp.producerEpoch, BatchLayout.PRODUCER_EPOCH);
  out.writeInt32BE(stamp.baseSequence, BatchLayout.BASE_SEQUENCE);
  const after = out.subarray(BatchLayout.ATTRIBUTES, BatchLayout.RECORD_COUNT);
  out.writeUInt32BE(patchCrc(batch.crc, before, after, out.length - BatchLayout.ATTRIBUTES), BatchLayout.CRC);
  return decodeBatchHeader(out);
}

function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Zig-zag varint (safe for |value| < 2^52). */
export function varint(value: number): Buffer {
  let n = zigzag(value);
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

interface BatchShape {
  codec: CompressionCodec;
  /** The records section, already compressed with `codec`. */
  body: Buffer;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  count: number;
}

const CODEC_IDS: Record<CompressionCodec, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

function buildBatch(shape: BatchShape): RawBatch {
  const { body } = shape;
  const out = Buffer.alloc(BatchLayout.RECORDS + body.length);
  out.writeBigInt64BE(0n, BatchLayout.BASE_OFFSET);
  out.writeInt32BE(out.length - BatchLayout.LOG_OVERHEAD, BatchLayout.BATCH_LENGTH);
  out.writeInt32BE(-1, BatchLayout.PARTITION_LEADER_EPOCH);
  out.writeInt8(2, BatchLayout.MAGIC);
  out.writeInt16BE(CODEC_IDS[shape.codec], BatchLayout.ATTRIBUTES);
  out.writeInt32BE(shape.count - 1, BatchLayout.LAST_OFFSET_DELTA);
  out.writeBigInt64BE(shape.baseTimestamp, BatchLayout.BASE_TIMESTAMP);
  out.writeBigInt64BE(shape.maxTimestamp, BatchLayout.MAX_TIMESTAMP);
  out.writeBigInt64BE(-1n, BatchLayout.PRODUCER_ID);
  out.writeInt16BE(-1, BatchLayout.PRODUCER_EPOCH);
  out.writeInt32BE(-1, BatchLayout.BASE_SEQUENCE);
  out.writeInt32BE(shape.count, BatchLayout.RECORD_COUNT);
  body.copy(out, BatchLayout.RECORDS);
  out.writeUInt32BE(computeBatchCrc(out), BatchLayout.CRC);
  return decodeBatchHeader(out);
}

const FILLER_TAIL = Buffer.concat([
  varint(FILLER_KEY.length), Buffer.from(FILLER_KEY), varint(-1), varint(1),
  varint(FILLER_HEADER.length), Buffer.from(FILLER_HEADER), varint(1), Buffer.from('1'),
]);

/** Writes the zig-zag varint of a non-negative `value` (< 2^28) at `at`; returns the next position. */
function putVarint(out: Buffer, at: number, value: number): number {
  let n = value * 2;
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[at++] = n;
  return at;
}

/** `count` (1..MAX_FILLER_RECORDS) filler records, all with timestamp `timestampMs` (CreateTime). */
export function fillerBatch(count: number, timestampMs: bigint): RawBatch {
  const records = Buffer.allocUnsafe(count * (FILLER_TAIL.length + 8));
  let at = 0;
  for (let i = 0; i < count; i++) {
    const deltaLength = i < 64 ? 1 : i < 8192 ? 2 : i < 1048576 ? 3 : 4;
    at = putVarint(records, at, 2 + deltaLength + FILLER_TAIL.length);
    records[at++] = 0; // attributes
    records[at++] = 0; // timestamp delta
    at = putVarint(records, at, i);
    at += FILLER_TAIL.copy(records, at);
  }
  const body = records.subarray(0, at);
  const gzip = count >= FILLER_GZIP_FROM;
  return buildBatch({ codec: gzip ? 'gzip' : 'none', body: gzip ? gzipSync(body, { level: 1 }) : body, baseTimestamp: timestampMs, maxTimestamp: timestampMs, count });
}

/** Thrown when a batch must be rebuilt but cannot be decoded. */
export class RebuildUnsupportedError extends Error {}

interface RecordSlice {
  offset: bigint;
  /** attributes + timestampDelta bytes. */
  head: Buffer;
  /** key, value and headers bytes. */
  tail: Buffer;
}

function readVarint(buf: Buffer, at: number): { value: number; next: number } {
  let raw = 0;
  let scale = 1;
  for (let pos = at; pos < buf.length && pos < at + 10; pos++) {
    const byte = buf[pos] as number;
    raw += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value: raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2, next: pos + 1 };
    scale *= 128;
  }
  throw new RebuildUnsupportedError('malformed varint in a record');
}

/** The records of a batch (decompressed with clink's codecs), each split around its offset delta. */
export async function recordSlices(batch: RawBatch): Promise<RecordSlice[]> {
  let records: Buffer;
  try {
    records = await decompress(batch.codec, batch.bytes.subarray(BatchLayout.RECORDS));
  } catch (error) {
    throw new RebuildUnsupportedError(`batch at offset ${batch.baseOffset} (${batch.codec}) cannot be decompressed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const out: RecordSlice[] = [];
  let pos = 0;
  while (pos < records.length && out.length < batch.recordCount) {
    const length = readVarint(records, pos);
    const start = length.next;
    const end = start + length.value;
    const ts = readVarint(records, start + 1);
    const delta = readVarint(records, ts.next);
    out.push({ offset: batch.baseOffset + BigInt(delta.value), head: records.subarray(start, ts.next), tail: records.subarray(delta.next, end) });
    pos = end;
  }
  return out;
}

/** One batch holding `slices` (dense offsets, the first at delta 0), in the source batch's codec. */
export async function rebuiltBatch(source: RawBatch, slices: readonly RecordSlice[]): Promise<RawBatch> {
  const first = slices[0];
  if (first === undefined) throw new RebuildUnsupportedError('nothing to rebuild');
  const parts: Buffer[] = [];
  slices.forEach((slice, i) => {
    if (slice.offset !== first.offset + BigInt(i)) throw new RebuildUnsupportedError('rebuilt records must be dense');
    const body = Buffer.concat([slice.head, varint(i), slice.tail]);
    parts.push(varint(body.length), body);
  });
  return buildBatch({
    codec: source.codec,
    body: await compress(source.codec, Buffer.concat(parts)),
    baseTimestamp: source.baseTimestamp,
    maxTimestamp: source.maxTimestamp,
    count: slices.length,
  });
}
