/**
 * Minimal big-endian writer/reader for the non-flexible Kafka request and response bodies the raw
 * layer builds itself (Fetch v4-v11, Produce v3-v8), plus the compact types and empty tag buffers of the
 * flexible-version transaction requests (DescribeTransactions, DescribeProducers).
 * Invariants: the writer's `buffer` is exactly the bytes written; the reader never reads past its buffer
 * (a short response throws RecordBatchFormatError instead of returning garbage) and `bytes()` returns
 * views, never copies.
 */
import { RecordBatchFormatError } from './errors.js';
import type { EncodedBody } from './kafkajs-internals.js';

export class WireWriter implements EncodedBody {
  buf: Buffer;
  private offset = 0;

  constructor(sizeHint = 256) {
    this.buf = Buffer.allocUnsafe(sizeHint);
  }

  /** The bytes written so far (a view). */
  get buffer(): Buffer {
    return this.buf.subarray(0, this.offset);
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.offset + n));
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.offset = this.buf.writeInt8(v, this.offset);
    return this;
  }

  int16(v: number): this {
    this.ensure(2);
    this.offset = this.buf.writeInt16BE(v, this.offset);
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.offset = this.buf.writeInt32BE(v, this.offset);
    return this;
  }

  int64(v: bigint): this {
    this.ensure(8);
    this.offset = this.buf.writeBigInt64BE(v, this.offset);
    return this;
  }

  /** Nullable int16-length string. */
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const len = Buffer.byteLength(v, 'utf8');
    this.int16(len);
    this.ensure(len);
    this.offset += this.buf.write(v, this.offset, len, 'utf8');
    return this;
  }

  /** Nullable int32-length bytes. */
  bytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    this.ensure(v.length);
    this.offset += v.copy(this.buf, this.offset);
    return this;
  }

  /** int32 count followed by each item. */
  array<T>(items: readonly T[], each: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) each(item);
    return this;
  }

  /** Unsigned varint (flexible versions: lengths, counts, tag buffers). */
  uvarint(v: number): this {
    let n = v;
    while (n >= 0x80) {
      this.ensure(1);
      this.buf[this.offset++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.ensure(1);
    this.buf[this.offset++] = n;
    return this;
  }

  /** Nullable compact string (flexible versions). */
  compactString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const len = Buffer.byteLength(v, 'utf8');
    this.uvarint(len + 1);
    this.ensure(len);
    this.offset += this.buf.write(v, this.offset, len, 'utf8');
    return this;
  }

  /** Compact array: uvarint count + 1, then each item. */
  compactArray<T>(items: readonly T[], each: (item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) each(item);
    return this;
  }

  /** An empty tagged-fields section. */
  noTags(): this {
    return this.uvarint(0);
  }
}

export class WireReader {
  pos = 0;

  constructor(private readonly buf: Buffer) {}

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) {
      throw new RecordBatchFormatError(`truncated response: need ${n} bytes at ${at} of ${this.buf.length}`);
    }
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }

  string(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  /** Nullable int32-length bytes as a view into the response. */
  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  /** int32-count array; a count of -1 (null) reads as an empty array. */
  array<T>(each: () => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each());
    return out;
  }

  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.buf.readUInt8(this.need(1));
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 0x80;
    }
    throw new RecordBatchFormatError(`malformed unsigned varint at ${this.pos}`);
  }

  compactString(): string | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  /** Compact array; a null array reads as empty. */
  compactArray<T>(each: () => T): T[] {
    const n = this.uvarint() - 1;
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each());
    return out;
  }

  /** Skips a tagged-fields section. */
  skipTags(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.need(this.uvarint());
    }
  }
}
