/**
 * The codecs kafkajs lacks: each round-trips through kafkajs's own registry, and each decodes a record
 * batch written by Kafka's Java producer (test/fixtures/codecs/java-<codec>.batch: 100 records from
 * `ProducerPerformance --payload-file` with the 8 payloads below, Kafka 4.1.1, one batch per codec).
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { compress, decompress, lz4Codec, registerCodecs, snappyCodec, zstdCodec, type KafkaJsCodec } from './codecs.js';
import { decodeBatch } from './record-reader.js';
import { decodeBatchHeader, recordsSectionOf, verifyBatchCrc, type CompressionCodec } from './raw/index.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;
const registry = CompressionCodecs as unknown as Record<number, () => KafkaJsCodec>;
const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

const text = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `line ${i % 977} of a fairly repetitive log\n`).join('').slice(0, n));
const INPUTS: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from([7])],
  ['12 bytes', Buffer.from('hello kafka!')],
  ['random 100 KiB (incompressible)', randomBytes(100 * 1024)],
  ['text 300 KiB (several blocks)', text(300 * 1024)],
  ['zeros 1 MiB', Buffer.alloc(1 << 20)],
  ['65536 repeated bytes (a full LZ4 block)', Buffer.alloc(65536, 0x61)],
];

describe('round trip', () => {
  for (const codec of CODECS) {
    it.each(INPUTS)(`${codec}: %s`, async (_name, input) => {
      const packed = await compress(codec, input);
      if (input.length >= 1 << 20) expect(packed.length).toBeLessThan(input.length / 20);
      expect((await decompress(codec, packed)).equals(input)).toBe(true);
    });
  }

  it('goes through kafkajs’s CompressionCodecs, which stays the same after registering again', async () => {
    const before = [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD].map((t) => registry[t]?.());
    expect(before).toEqual([snappyCodec, lz4Codec, zstdCodec]);
    registerCodecs();
    registerCodecs();
    expect([CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD].map((t) => registry[t]?.())).toEqual(before);
    const input = text(5000);
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
      const codec = registry[type]?.() as KafkaJsCodec;
      expect((await codec.decompress(await codec.compress({ buffer: input }))).equals(input)).toBe(true);
    }
  });

  it('writes the framings Java reads: xerial snappy, LZ4 frames of independent blocks, zstd frames', async () => {
    const input = text(200 * 1024);
    const snappy = await compress('snappy', input);
    expect(snappy.subarray(0, 16).toString('hex')).toBe('82534e415050590000000001' + '00000001');
    const lz4 = await compress('lz4', input);
    expect(lz4.readUInt32LE(0)).toBe(0x184d2204);
    expect(lz4[4]).toBe(0x60); // version 01, independent blocks, no checksums, no content size
    expect(lz4[5]).toBe(0x40); // 64 KiB maximum block size
    expect(lz4[6]).toBe(0x82); // header checksum: (xxh32(60 40) >> 8) & 0xff, as Kafka computes it
    expect(lz4.subarray(-4).readUInt32LE(0)).toBe(0); // end mark
    const zstd = await compress('zstd', input);
    expect(zstd.readUInt32LE(0)).toBe(0xfd2fb528);
  });

  it('reads raw (unframed) snappy, as librdkafka writes it', async () => {
    const { createRequire } = await import('node:module');
    const snappyjs = createRequire(import.meta.url)('snappyjs') as { compress(b: Buffer): Buffer };
    const input = text(10_000);
    expect((await decompress('snappy', snappyjs.compress(input))).equals(input)).toBe(true);
  });

  it('rejects corrupt input with a RecordBatchFormatError', async () => {
    await expect(decompress('lz4', Buffer.from('not an lz4 frame'))).rejects.toThrow(/corrupt lz4 data/);
    const framed = await compress('snappy', text(1000));
    await expect(decompress('snappy', framed.subarray(0, framed.length - 3))).rejects.toThrow(/corrupt snappy data/);
    await expect(decompress('zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]))).rejects.toThrow(/corrupt zstd data/);
  });
});

describe('batches written by Kafka’s Java producer', () => {
  const payloads = Array.from({ length: 8 }, (_, i) => `payload-${i}-` + 'abcdefghij'.repeat(100 + i * 7));

  it.each(['snappy', 'lz4', 'zstd'] as const)('%s', async (codec: CompressionCodec) => {
    const bytes = readFileSync(new URL(`../../test/fixtures/codecs/java-${codec}.batch`, import.meta.url));
    const batch = decodeBatchHeader(bytes);
    expect(batch.codec).toBe(codec);
    expect(verifyBatchCrc(batch)).toBe(true);
    expect(batch.recordCount).toBe(100);
    const raw = await decompress(codec, recordsSectionOf(batch));
    expect(raw.length).toBeGreaterThan(100_000); // several LZ4 blocks, several xerial chunks
    const entries = await decodeBatch(batch);
    expect(entries).toHaveLength(100);
    entries.forEach((entry, i) => {
      expect(entry.kind).toBe('record');
      if (entry.kind !== 'record') return;
      expect(entry.offset).toBe(BigInt(i));
      expect(entry.key).toBeNull();
      expect(entry.headers).toEqual([]);
      expect(payloads).toContain(entry.value?.toString());
      expect(entry.timestamp >= batch.baseTimestamp && entry.timestamp <= batch.maxTimestamp).toBe(true);
    });
  });
});
