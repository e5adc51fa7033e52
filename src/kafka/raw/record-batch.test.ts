/**
 * Unit tests for raw record-batch framing, built on batches encoded by kafkajs's own RecordBatch encoder
 * (so the header layout is checked against an independent implementation) or by hand for codec bits,
 * control batches and corrupt input.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { RecordBatchFormatError } from './errors.js';
import {
  Attr,
  BatchLayout,
  computeBatchCrc,
  decodeControlMarker,
  lastOffsetOf,
  nextOffsetOf,
  parseRecordBatches,
  recordsSectionOf,
  sanitiseForProduce,
  verifyBatchCrc,
  type RawBatch,
} from './record-batch.js';

const load = createRequire(import.meta.url);
interface KEncoder { buffer: Buffer }
interface BatchArgs {
  compression?: number; firstOffset?: bigint; firstTimestamp?: number; maxTimestamp?: number;
  partitionLeaderEpoch?: number; lastOffsetDelta?: number; transactional?: boolean;
  producerId?: bigint; producerEpoch?: number; firstSequence?: number; records: KEncoder[];
}
const { RecordBatch } = load('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (a: BatchArgs) => Promise<KEncoder> };
const Record = load('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (r: {
  offsetDelta?: number; timestampDelta?: number; key: Buffer | null; value: Buffer | null; headers?: Record<string, string>;
}) => KEncoder;
const Decoder = load('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
const decodeBatch = load('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (d: unknown) => Promise<{
  records: { key: Buffer; value: Buffer; offset: string; headers: Record<string, Buffer> }[];
}>;

const records = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    Record({ offsetDelta: i, timestampDelta: i * 10, key: Buffer.from(`k${i}`), value: Buffer.from(`value-${i}`), headers: { h: `v${i}` } }),
  );

async function kafkajsBatch(args: Partial<BatchArgs> & { count?: number } = {}): Promise<Buffer> {
  const count = args.count ?? 3;
  const encoded = await RecordBatch({
    firstOffset: 100n, firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_020, partitionLeaderEpoch: 7,
    lastOffsetDelta: count - 1, producerId: 4242n, producerEpoch: 3, firstSequence: 42, records: records(count), ...args,
  });
  return encoded.buffer;
}

/** Rewrites attribute bits (and the CRC) of a single-batch buffer. */
function withAttributes(bytes: Buffer, attributes: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeInt16BE(attributes, BatchLayout.ATTRIBUTES);
  copy.writeUInt32BE(computeBatchCrc(copy), BatchLayout.CRC);
  return copy;
}

const only = (buf: Buffer): RawBatch => {
  const { batches, partialBytes } = parseRecordBatches(buf);
  expect(partialBytes).toBe(0);
  expect(batches).toHaveLength(1);
  return batches[0] as RawBatch;
};

describe('parseRecordBatches', () => {
  it('decodes every header field of a kafkajs-encoded batch', async () => {
    const buf = await kafkajsBatch({ transactional: true });
    const b = only(buf);
    expect(b).toMatchObject({
      baseOffset: 100n, batchLength: buf.length - 12, partitionLeaderEpoch: 7, magic: 2, codec: 'none',
      timestampType: 'CreateTime', isTransactional: true, isControl: false, hasDeleteHorizon: false,
      lastOffsetDelta: 2, baseTimestamp: 1_700_000_000_000n, maxTimestamp: 1_700_000_000_020n,
      producerId: 4242n, producerEpoch: 3, baseSequence: 42, recordCount: 3,
    });
    expect(b.attributes).toBe(Attr.TRANSACTIONAL);
    expect(b.crc).toBe(buf.readUInt32BE(17));
    expect(b.bytes.equals(buf)).toBe(true);
    expect(b.bytes.buffer).toBe(buf.buffer); // a view, not a copy
    expect(lastOffsetOf(b)).toBe(102n);
    expect(nextOffsetOf(b)).toBe(103n);
    expect(recordsSectionOf(b).length).toBe(buf.length - 61);
  });

  it('reports gzip from a real gzip batch and every codec / flag bit', async () => {
    expect(only(await kafkajsBatch({ compression: 1 })).codec).toBe('gzip');
    const plain = await kafkajsBatch();
    const cases: [number, string][] = [[0, 'none'], [1, 'gzip'], [2, 'snappy'], [3, 'lz4'], [4, 'zstd']];
    for (const [bits, codec] of cases) expect(only(withAttributes(plain, bits)).codec).toBe(codec);
    const flagged = only(withAttributes(plain, 4 | Attr.TIMESTAMP_TYPE | Attr.CONTROL | Attr.DELETE_HORIZON));
    expect(flagged).toMatchObject({
      codec: 'zstd', timestampType: 'LogAppendTime', isControl: true, isTransactional: false, hasDeleteHorizon: true,
    });
    expect(() => parseRecordBatches(withAttributes(plain, 5))).toThrow(RecordBatchFormatError);
  });

  it('splits concatenated batches and drops a trailing partial batch', async () => {
    const a = await kafkajsBatch();
    const b = await kafkajsBatch({ firstOffset: 103n, count: 2 });
    const all = Buffer.concat([a, b]);
    expect(parseRecordBatches(all).batches.map((x) => x.baseOffset)).toEqual([100n, 103n]);
    for (const cut of [1, 11, 12, 20, 61, b.length - 1]) {
      const parsed = parseRecordBatches(all.subarray(0, a.length + cut));
      expect(parsed.batches.map((x) => x.baseOffset)).toEqual([100n]);
      expect(parsed.partialBytes).toBe(cut);
    }
    expect(parseRecordBatches(a.subarray(0, 30))).toEqual({ batches: [], partialBytes: 30 });
    expect(parseRecordBatches(null)).toEqual({ batches: [], partialBytes: 0 });
    expect(parseRecordBatches(Buffer.alloc(0))).toEqual({ batches: [], partialBytes: 0 });
  });

  it('rejects magic other than 2 and impossible lengths with a typed error', async () => {
    const buf = Buffer.from(await kafkajsBatch());
    buf.writeInt8(1, BatchLayout.MAGIC);
    expect(() => parseRecordBatches(buf)).toThrow(RecordBatchFormatError);
    expect(() => parseRecordBatches(buf)).toThrow(/magic 1/);
    const tiny = Buffer.from(await kafkajsBatch());
    tiny.writeInt32BE(2, BatchLayout.BATCH_LENGTH);
    expect(() => parseRecordBatches(tiny)).toThrow(RecordBatchFormatError);
  });
});

describe('CRC-32C', () => {
  it('accepts kafkajs CRCs and detects corruption inside, not outside, the covered range', async () => {
    const buf = await kafkajsBatch({ compression: 1 });
    expect(verifyBatchCrc(only(buf))).toBe(true);
    const corrupt = Buffer.from(buf);
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 3) ^ 0x01, corrupt.length - 3);
    expect(verifyBatchCrc(only(corrupt))).toBe(false);
    const header = Buffer.from(buf);
    header.writeInt32BE(99, BatchLayout.PARTITION_LEADER_EPOCH); // not covered by the CRC
    header.writeBigInt64BE(5n, BatchLayout.BASE_OFFSET);
    expect(verifyBatchCrc(only(header))).toBe(true);
  });
});

describe('sanitiseForProduce', () => {
  it('clears producer state and the transactional bit, keeps codec and records, recomputes the CRC', async () => {
    for (const compression of [0, 1]) {
      const buf = await kafkajsBatch({ compression, transactional: true });
      const original = Buffer.from(buf);
      const source = only(buf);
      const clean = sanitiseForProduce(source);
      expect(clean).toMatchObject({
        baseOffset: 0n, partitionLeaderEpoch: -1, isTransactional: false, producerId: -1n, producerEpoch: -1,
        baseSequence: -1, codec: source.codec, recordCount: 3, lastOffsetDelta: 2, batchLength: source.batchLength,
        baseTimestamp: source.baseTimestamp, maxTimestamp: source.maxTimestamp, timestampType: 'CreateTime',
      });
      expect(verifyBatchCrc(clean)).toBe(true);
      expect(clean.crc).not.toBe(source.crc);
      expect(recordsSectionOf(clean).equals(recordsSectionOf(source))).toBe(true);
      expect(buf.equals(original)).toBe(true); // source untouched
      const decoded = await decodeBatch(new Decoder(clean.bytes));
      expect(decoded.records.map((r) => r.value.toString())).toEqual(['value-0', 'value-1', 'value-2']);
      expect(decoded.records.map((r) => r.offset)).toEqual(['0', '1', '2']);
    }
  });

  it('refuses control batches', async () => {
    expect(() => sanitiseForProduce(controlBatch(1))).toThrow(RecordBatchFormatError);
  });
});

/** A control batch as a transaction coordinator writes it: one uncompressed record, key = version + type. */
function controlBatch(type: number, coordinatorEpoch = 17): RawBatch {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  const record = Record({ key, value }).buffer;
  const bytes = Buffer.alloc(BatchLayout.RECORDS + record.length);
  bytes.writeBigInt64BE(500n, 0);
  bytes.writeInt32BE(bytes.length - 12, BatchLayout.BATCH_LENGTH);
  bytes.writeInt8(2, BatchLayout.MAGIC);
  bytes.writeInt16BE(Attr.CONTROL | Attr.TRANSACTIONAL, BatchLayout.ATTRIBUTES);
  bytes.writeBigInt64BE(9n, BatchLayout.PRODUCER_ID);
  bytes.writeInt32BE(-1, BatchLayout.BASE_SEQUENCE);
  bytes.writeInt32BE(1, BatchLayout.RECORD_COUNT);
  record.copy(bytes, BatchLayout.RECORDS);
  bytes.writeUInt32BE(computeBatchCrc(bytes), BatchLayout.CRC);
  return only(bytes);
}

describe('decodeControlMarker', () => {
  it('reads COMMIT and ABORT markers and their coordinator epoch', () => {
    expect(decodeControlMarker(controlBatch(1))).toEqual({ type: 'COMMIT', typeId: 1, version: 0, coordinatorEpoch: 17 });
    expect(decodeControlMarker(controlBatch(0, 3))).toEqual({ type: 'ABORT', typeId: 0, version: 0, coordinatorEpoch: 3 });
    expect(decodeControlMarker(controlBatch(5)).type).toBe('OTHER');
    const marker = controlBatch(1);
    expect(marker).toMatchObject({ isControl: true, isTransactional: true, recordCount: 1, producerId: 9n });
    expect(verifyBatchCrc(marker)).toBe(true);
  });

  it('refuses data batches', async () => {
    const data = only(await kafkajsBatch());
    expect(() => decodeControlMarker(data)).toThrow(RecordBatchFormatError);
  });
});
