/**
 * Snappy, LZ4 and Zstandard for kafkajs, which only knows gzip: registerCodecs() puts them into
 * kafkajs's process-global CompressionCodecs, so kafkajs producers and consumers (and clink's record
 * reader) handle every codec Kafka defines, with the framings Kafka's Java clients use.
 * Invariants: registering is idempotent (the same codec objects every time); decompress() accepts what
 * Kafka's Java producer writes (xerial-framed or raw snappy, LZ4 frames with linked or independent
 * blocks, zstd frames with or without a content size); compress() writes what Kafka's Java consumer
 * reads (xerial snappy in 32 KiB chunks, LZ4 frames of independent blocks under 64 KiB, zstd frames).
 * Pure JavaScript or WebAssembly only: snappyjs, lz4js, fzstd (decode), @bokuweb/zstd-wasm (encode).
 */
import kafkajs from 'kafkajs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { decompress as zstdDecode } from 'fzstd';
import { RecordBatchFormatError, type CompressionCodec } from './raw/index.js';

const load = createRequire(import.meta.url);
type Bytes = Uint8Array;
const snappy = load('snappyjs') as { compress(input: Buffer): Buffer; uncompress(input: Buffer): Buffer };
const lz4 = load('lz4js') as {
  compressBound(n: number): number;
  compressBlock(src: Bytes, dst: Bytes, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  decompressBlock(src: Bytes, dst: Bytes, sIndex: number, sLength: number, dIndex: number): number;
};
const xxh32 = load('lz4js/xxh32.js') as { hash(seed: number, src: Bytes, index: number, length: number): number };
const zstdWasm = load('@bokuweb/zstd-wasm') as { init(): Promise<void>; compress(input: Bytes, level?: number): Bytes };

/** A kafkajs codec: `compress` gets kafkajs's Encoder, `decompress` the compressed records section. */
export interface KafkaJsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const asBuffer = (bytes: Bytes): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const corrupt = (codec: string, what: string) => new RecordBatchFormatError(`corrupt ${codec} data: ${what}`);

// ---- snappy (xerial framing, as Kafka's Java client writes it; raw snappy is read too) ----------
const XERIAL_HEADER = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
const XERIAL_CHUNK = 32 * 1024;

function snappyDecompress(data: Buffer): Buffer {
  if (data.length < 16 || !data.subarray(0, 8).equals(XERIAL_HEADER.subarray(0, 8))) return snappy.uncompress(data);
  const chunks: Buffer[] = [];
  for (let pos = 16; pos < data.length; ) {
    if (pos + 4 > data.length) throw corrupt('snappy', 'truncated xerial chunk header');
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || pos + length > data.length) throw corrupt('snappy', 'truncated xerial chunk');
    chunks.push(snappy.uncompress(data.subarray(pos, pos + length)));
    pos += length;
  }
  return Buffer.concat(chunks);
}

function snappyCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [XERIAL_HEADER];
  for (let pos = 0; pos < data.length; pos += XERIAL_CHUNK) {
    const block = snappy.compress(data.subarray(pos, pos + XERIAL_CHUNK));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

// ---- LZ4 frame format (Kafka's magic-2 batches use correct header checksums) -------------------
const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK_SIZES: Record<number, number> = { 4: 0x10000, 5: 0x40000, 6: 0x100000, 7: 0x400000 };
const FLG_VERSION = 0x40;
const FLG_INDEPENDENT = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const UNCOMPRESSED_BIT = 0x80000000;
/**
 * Input per written block. Less than the declared 64 KiB maximum: lz4js may start its last match 10
 * bytes before the block end, which decoders (lz4-java, liblz4) accept only when the block ends at
 * least 2 bytes before their 64 KiB output buffer does.
 */
const LZ4_WRITE_BLOCK = 0x10000 - 64;

interface Lz4Block {
  at: number;
  size: number;
  raw: boolean;
}

function lz4Decompress(data: Buffer): Buffer {
  const blocks: Lz4Block[] = [];
  let bound = 0;
  let pos = 0;
  while (pos < data.length) {
    if (pos + 7 > data.length) throw corrupt('lz4', 'truncated frame header');
    const magic = data.readUInt32LE(pos);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      pos += 8 + data.readUInt32LE(pos + 4); // skippable frame
      continue;
    }
    if (magic !== LZ4_MAGIC) throw corrupt('lz4', `bad frame magic 0x${magic.toString(16)}`);
    const flg = data[pos + 4] as number;
    const maxBlock = LZ4_BLOCK_SIZES[((data[pos + 5] as number) >> 4) & 7];
    if ((flg & 0xc0) !== FLG_VERSION || maxBlock === undefined) throw corrupt('lz4', 'unsupported frame descriptor');
    pos += 6 + (flg & FLG_CONTENT_SIZE ? 8 : 0) + (flg & FLG_DICT_ID ? 4 : 0) + 1;
    for (;;) {
      if (pos + 4 > data.length) throw corrupt('lz4', 'truncated block header');
      const word = data.readUInt32LE(pos);
      pos += 4;
      if (word === 0) break;
      const size = word & ~UNCOMPRESSED_BIT;
      const raw = (word & UNCOMPRESSED_BIT) !== 0;
      if (pos + size > data.length || size > maxBlock) throw corrupt('lz4', 'truncated block');
      blocks.push({ at: pos, size, raw });
      bound += raw ? size : maxBlock;
      pos += size + (flg & FLG_BLOCK_CHECKSUM ? 4 : 0);
    }
    pos += flg & FLG_CONTENT_CHECKSUM ? 4 : 0;
  }
  const out = Buffer.allocUnsafe(bound);
  let written = 0;
  for (const block of blocks) {
    if (block.raw) written += data.copy(out, written, block.at, block.at + block.size);
    else written = lz4.decompressBlock(data, out, block.at, block.size, written);
    if (written > bound) throw corrupt('lz4', 'block decodes past its bound');
  }
  return out.subarray(0, written);
}

function lz4Compress(data: Buffer): Buffer {
  const header = Buffer.from([0x04, 0x22, 0x4d, 0x18, FLG_VERSION | FLG_INDEPENDENT, 4 << 4, 0]);
  header[6] = (xxh32.hash(0, header, 4, 2) >> 8) & 0xff;
  const parts: Buffer[] = [header];
  const scratch = Buffer.allocUnsafe(lz4.compressBound(LZ4_WRITE_BLOCK));
  for (let pos = 0; pos < data.length; pos += LZ4_WRITE_BLOCK) {
    const block = data.subarray(pos, pos + LZ4_WRITE_BLOCK);
    const size = lz4.compressBlock(block, scratch, 0, block.length, new Uint32Array(1 << 16));
    const word = Buffer.alloc(4);
    if (size === 0 || size >= block.length) {
      word.writeUInt32LE((UNCOMPRESSED_BIT | block.length) >>> 0);
      parts.push(word, Buffer.from(block));
    } else {
      word.writeUInt32LE(size);
      parts.push(word, Buffer.from(scratch.subarray(0, size)));
    }
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

// ---- zstd -------------------------------------------------------------------------------------
let zstdReady: Promise<void> | undefined;

async function zstdCompress(data: Buffer): Promise<Buffer> {
  zstdReady ??= zstdWasm.init();
  await zstdReady;
  return asBuffer(zstdWasm.compress(data, 3));
}

function zstdDecompress(data: Buffer): Buffer {
  try {
    return asBuffer(zstdDecode(data));
  } catch (error) {
    throw corrupt('zstd', error instanceof Error ? error.message : String(error));
  }
}

// ---- registry ---------------------------------------------------------------------------------
const gzipAsync = promisify(gzip);

const sync = (compress: (b: Buffer) => Buffer, decompress: (b: Buffer) => Buffer): KafkaJsCodec => ({
  compress: async (encoder) => compress(encoder.buffer),
  decompress: async (buffer) => decompress(buffer),
});

export const snappyCodec: KafkaJsCodec = sync(snappyCompress, snappyDecompress);
export const lz4Codec: KafkaJsCodec = sync(lz4Compress, lz4Decompress);
export const zstdCodec: KafkaJsCodec = {
  compress: (encoder) => zstdCompress(encoder.buffer),
  decompress: async (buffer) => zstdDecompress(buffer),
};

const { CompressionCodecs, CompressionTypes } = kafkajs;
const registry = CompressionCodecs as unknown as Record<number, () => KafkaJsCodec>;
const CODEC_IDS: Record<Exclude<CompressionCodec, 'none'>, number> = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** Makes kafkajs (every client in this process) speak snappy, lz4 and zstd. Safe to call any number of times. */
export function registerCodecs(): void {
  registry[CompressionTypes.Snappy] = () => snappyCodec;
  registry[CompressionTypes.LZ4] = () => lz4Codec;
  registry[CompressionTypes.ZSTD] = () => zstdCodec;
}

registerCodecs();

/** The records section of a batch with `codec`, decompressed through kafkajs's codec registry. */
export async function decompress(codec: CompressionCodec, data: Buffer): Promise<Buffer> {
  if (codec === 'none') return data;
  if (codec === 'gzip') return gunzipSync(data); // zlib's async API costs ~1 ms per call, 6x the inflate itself
  const lookup = registry[CODEC_IDS[codec]];
  if (lookup === undefined) throw new RecordBatchFormatError(`no ${codec} codec registered`);
  return lookup().decompress(data);
}

/** `data` compressed with `codec` the way Kafka's Java producer frames it. */
export async function compress(codec: CompressionCodec, data: Buffer): Promise<Buffer> {
  if (codec === 'none') return data;
  if (codec === 'gzip') return gzipAsync(data);
  const lookup = registry[CODEC_IDS[codec]];
  if (lookup === undefined) throw new RecordBatchFormatError(`no ${codec} codec registered`);
  return lookup().compress({ buffer: data });
}
