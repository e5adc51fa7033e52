/** The partition comparison of `mirror verify` on hand-made log entries (no Kafka), and the filler format it recognises. */
import { describe, expect, it } from 'vitest';
import { FILLER_HEADER, FILLER_KEY, fillerBatch } from '../../replication/batch-codec.js';
import { decodeBatch } from '../../kafka/record-reader.js';
import { GAP_FILLER_HEADER, GAP_FILLER_KEY, compareLogs, isGapFiller } from './mirror-verify-compare.js';
import type { DataEntry, LogEntry } from './record-reader-port.js';

const rec = (offset: number, fields: Partial<DataEntry> = {}): DataEntry => ({
  kind: 'record', offset: BigInt(offset), key: Buffer.from(`k${offset}`), value: Buffer.from(`v${offset}`),
  headers: [{ key: 'h', value: Buffer.from('1') }], timestamp: 1_700_000_000_000n + BigInt(offset), timestampType: 'CreateTime', aborted: false, ...fields,
});
const filler = (offset: number): DataEntry =>
  rec(offset, { key: Buffer.from('__clink.gap'), value: null, headers: [{ key: 'clink.gap', value: Buffer.from('1') }], timestamp: 5n });
const marker = (offset: number, type: 'COMMIT' | 'ABORT' = 'COMMIT'): LogEntry => ({ kind: 'control', offset: BigInt(offset), marker: type });

/** A stream yielding the entries in chunks of `size`. */
async function* chunks(entries: LogEntry[], size = 2): AsyncIterable<LogEntry[]> {
  for (let i = 0; i < entries.length; i += size) yield entries.slice(i, i + size);
}
const compare = (source: LogEntry[], destination: LogEntry[], sourceEnd = 1000) => compareLogs(chunks(source, 3), chunks(destination, 2), BigInt(sourceEnd));
const range = (from: number, to: number, make = rec) => Array.from({ length: to - from }, (_, i) => make(from + i));

describe('compareLogs', () => {
  it('finds identical logs identical, null values and repeated headers included', async () => {
    const log = [...range(0, 5), rec(5, { value: null, key: null }), rec(6, { headers: [{ key: 'a', value: null }, { key: 'a', value: Buffer.from('x') }] })];
    expect(await compare(log, log.map((e) => ({ ...e })))).toEqual({ compared: 7, fillers: 0 });
  });

  it.each([
    ['value', { value: Buffer.from('other') }, 'value differs at offset 3'],
    ['null value', { value: null }, 'value differs at offset 3'],
    ['empty key vs. null key', { key: Buffer.alloc(0) }, 'key differs at offset 3'],
    ['header order', { headers: [{ key: 'h', value: Buffer.from('1') }, { key: 'g', value: null }] }, 'headers differ at offset 3'],
    ['timestamp', { timestamp: 1n }, 'timestamp differs at offset 3'],
    ['timestamp type', { timestampType: 'LogAppendTime' as const }, 'timestamp type differs at offset 3'],
    ['key and value', { key: Buffer.from('x'), value: Buffer.from('y') }, 'key, value differ at offset 3'],
  ])('stops at the first differing %s', async (_name, change, detail) => {
    const destination = range(0, 8).map((e) => (e.offset === 3n ? { ...e, ...change } : e));
    const destinationLater = destination.map((e) => (e.offset === 6n ? { ...e, value: Buffer.from('later') } : e));
    expect(await compare(range(0, 8), destinationLater)).toEqual({ compared: 3, fillers: 0, difference: { offset: 3n, detail } });
  });

  it('matches fillers to source holes, markers and aborted records, and counts them', async () => {
    const source = [rec(0), marker(2), rec(3, { aborted: true }), rec(4, { aborted: true }), marker(5, 'ABORT'), rec(6)];
    const destination = [rec(0), filler(1), filler(2), filler(3), filler(4), filler(5), rec(6)];
    expect(await compare(source, destination)).toEqual({ compared: 7, fillers: 5 });
  });

  it('accepts a compacted-away filler (nothing on either side, or nothing where the source has a marker)', async () => {
    expect(await compare([rec(0), marker(1), rec(3)], [rec(0), rec(3)])).toEqual({ compared: 3, fillers: 0 });
  });

  it('refuses a filler where the source has a committed record', async () => {
    expect(await compare(range(0, 3), [rec(0), filler(1), rec(2)])).toEqual({
      compared: 1, fillers: 0, difference: { offset: 1n, detail: 'destination has a gap filler at offset 1 where the source has a record' },
    });
  });

  it('reports records only one side has', async () => {
    expect((await compare(range(0, 3), [rec(0), rec(2)])).difference).toEqual({ offset: 1n, detail: 'destination has no record at offset 1' });
    expect((await compare([rec(0), rec(2)], range(0, 3))).difference).toEqual({ offset: 1n, detail: 'destination has a record at offset 1 that the source does not have' });
    expect((await compare(range(0, 3), range(0, 5), 3)).difference).toEqual({ offset: 3n, detail: 'destination has records past the source log end 3, from offset 3' });
  });

  it('compares control markers as control markers', async () => {
    expect(await compare([rec(0), marker(1)], [rec(0), marker(1)])).toEqual({ compared: 2, fillers: 0, markers: 1 });
    expect((await compare([marker(0, 'COMMIT')], [marker(0, 'ABORT')])).difference?.detail).toBe('control marker differs at offset 0 (COMMIT on the source, ABORT on the destination)');
    expect((await compare([marker(0)], [rec(0)])).difference?.detail).toBe('source has a COMMIT marker at offset 0 where the destination has a record');
  });

  it('compares the read_committed view: aborted data must be aborted on both sides', async () => {
    expect(await compare([rec(0, { aborted: true }), marker(1, 'ABORT')], [rec(0, { aborted: true }), marker(1, 'ABORT')])).toEqual({ compared: 2, fillers: 0, markers: 1 });
    expect((await compare([rec(0, { aborted: true })], [rec(0)])).difference?.detail).toBe('record at offset 0 is aborted on the source but visible to read_committed consumers on the destination');
    expect((await compare([rec(0)], [rec(0, { aborted: true })])).difference?.detail).toBe('record at offset 0 is committed on the source but aborted on the destination');
  });

  it('reports a corrupt batch on either side', async () => {
    const corrupt: LogEntry = { kind: 'corrupt', offset: 1n, reason: 'record batch fails its CRC' };
    expect((await compare(range(0, 3), [rec(0), corrupt])).difference?.detail).toBe('destination batch at offset 1 is corrupt: record batch fails its CRC');
  });

  it('treats empty logs as identical', async () => {
    expect(await compare([], [])).toEqual({ compared: 0, fillers: 0 });
  });
});

describe('gap fillers', () => {
  it('uses the replication engine’s filler key and header', () => {
    expect([GAP_FILLER_KEY, GAP_FILLER_HEADER]).toEqual([FILLER_KEY, FILLER_HEADER]);
  });

  it.each([3, 300])('recognises every record of an engine filler batch of %i records', async (count) => {
    const entries = await decodeBatch(fillerBatch(count, 1_700_000_000_000n));
    expect(entries).toHaveLength(count);
    expect(entries.every((e) => e.kind === 'record' && isGapFiller(e))).toBe(true);
    expect(isGapFiller(rec(0))).toBe(false);
    expect(isGapFiller(rec(0, { key: Buffer.from(GAP_FILLER_KEY), value: null, headers: [] }))).toBe(false);
  });
});
