/**
 * Wire-level unit tests for raw Fetch/Produce across the negotiated version range, against a fake
 * kafkajs broker: the request body is decoded field by field and hand-built responses of each layout
 * (Fetch v4/v5/v11, Produce v5/v8) are decoded. Real brokers (v11/v8) are covered by the integration test.
 */
import { describe, expect, it } from 'vitest';
import { RawBroker } from './broker.js';
import { KafkaProtocolError } from './errors.js';
import { fetchFromBroker } from './fetch.js';
import type { KBroker, ProtocolRequest, ProtocolResponse } from './kafkajs-internals.js';
import { produceToBroker } from './produce.js';
import { computeBatchCrc, decodeBatchHeader, type RawBatch } from './record-batch.js';
import { WireReader, WireWriter } from './wire.js';

/** A broker advertising Fetch/Produce up to `max`, answering every request with `reply(version)`. */
function fakeBroker(max: { fetch: number; produce: number }, reply: (version: number) => Buffer) {
  const sent: { apiKey: number; apiVersion: number; body: Buffer }[] = [];
  const connection = { isConnected: () => true, connect: async () => true };
  const k = {
    nodeId: 1,
    versions: { 0: { minVersion: 0, maxVersion: max.produce }, 1: { minVersion: 0, maxVersion: max.fetch } },
    connectionPool: {
      pool: [connection, connection], host: 'fake', port: 9092, connectionTimeout: 1000, destroy: async () => {},
      async send<T>({ request, response }: { request: ProtocolRequest; response: ProtocolResponse<T> }) {
        sent.push({ apiKey: request.apiKey, apiVersion: request.apiVersion, body: Buffer.from((await request.encode()).buffer) });
        return response.parse(await response.decode(reply(request.apiVersion)));
      },
    },
  } as unknown as KBroker;
  return { broker: new RawBroker(k, 1000), sent };
}

function batchAt(baseOffset: bigint): RawBatch {
  const bytes = Buffer.alloc(70);
  bytes.writeBigInt64BE(baseOffset, 0);
  bytes.writeInt32BE(58, 8);
  bytes.writeInt8(2, 16);
  bytes.writeInt32BE(1, 57);
  bytes.writeUInt32BE(computeBatchCrc(bytes), 17);
  return decodeBatchHeader(bytes);
}

function fetchResponse(version: number, records: Buffer): Buffer {
  const w = new WireWriter().int32(0);
  if (version >= 7) w.int16(0).int32(0);
  w.int32(1).string('t').int32(2);
  for (const [partition, code] of [[1, 0], [0, 1]] as const) {
    w.int32(partition).int16(code).int64(10n).int64(9n);
    if (version >= 5) w.int64(3n);
    w.int32(1).int64(77n).int64(4n);
    if (version >= 11) w.int32(-1);
    w.bytes(code === 0 ? records : null);
  }
  return Buffer.from(w.buffer);
}

describe('fetchFromBroker', () => {
  it.each([[4, 4], [5, 5], [8, 8], [11, 11], [13, 11]])('broker max v%i → sends and decodes v%i', async (max, expected) => {
    const records = Buffer.concat([batchAt(5n).bytes, batchAt(6n).bytes.subarray(0, 30)]);
    const { broker, sent } = fakeBroker({ fetch: max, produce: 8 }, (v) => fetchResponse(v, records));
    const specs = [{ topic: 't', partition: 0, offset: 12n, maxBytes: 100 }, { topic: 't', partition: 1, offset: 5n, maxBytes: 200 }];
    const [p0, p1] = await fetchFromBroker(broker, specs, { maxWaitMs: 50, isolation: 'read_committed' });
    expect(sent[0]?.apiVersion).toBe(expected);
    const r = new WireReader(sent[0]?.body as Buffer);
    expect([r.int32(), r.int32(), r.int32(), r.int32(), r.int8()]).toEqual([-1, 50, 1, 300, 1]);
    if (expected >= 7) expect([r.int32(), r.int32()]).toEqual([0, -1]);
    expect([r.int32(), r.string(), r.int32(), r.int32()]).toEqual([1, 't', 2, 0]);
    if (expected >= 9) expect(r.int32()).toBe(-1);
    expect(r.int64()).toBe(12n);
    if (expected >= 5) expect(r.int64()).toBe(-1n);
    expect(r.int32()).toBe(100);
    expect(p0).toMatchObject({ partition: 0, errorName: 'OFFSET_OUT_OF_RANGE', fetchOffset: 12n, batches: [] });
    expect(p1).toMatchObject({
      partition: 1, errorCode: 0, highWatermark: 10n, lastStableOffset: 9n, logStartOffset: expected >= 5 ? 3n : -1n,
      abortedTransactions: [{ producerId: 77n, firstOffset: 4n }], partialBytes: 30,
    });
    expect(p1?.batches.map((b) => b.baseOffset)).toEqual([5n]);
  });

  it('fails on a top-level error and refuses brokers below v4', async () => {
    const failing = fakeBroker({ fetch: 11, produce: 8 }, () => Buffer.from(new WireWriter().int32(0).int16(70).int32(0).int32(0).buffer));
    const spec = [{ topic: 't', partition: 0, offset: 0n, maxBytes: 1 }];
    await expect(fetchFromBroker(failing.broker, spec, { maxWaitMs: 1, isolation: 'read_uncommitted' })).rejects.toBeInstanceOf(KafkaProtocolError);
    const old = fakeBroker({ fetch: 3, produce: 2 }, () => Buffer.alloc(0));
    await expect(fetchFromBroker(old.broker, spec, { maxWaitMs: 1, isolation: 'read_uncommitted' })).rejects.toThrow(/no Fetch version/);
  });
});

describe('produceToBroker', () => {
  const produceResponse = (version: number) => {
    const w = new WireWriter().int32(1).string('t').int32(2);
    for (const [partition, code, base] of [[0, 0, 40n], [1, 87, -1n]] as const) {
      w.int32(partition).int16(code).int64(base).int64(-1n);
      if (version >= 5) w.int64(2n);
      if (version >= 8 && code === 0) w.int32(0).string(null);
      if (version >= 8 && code !== 0) w.int32(1).int32(0).string('bad').string('why');
    }
    return Buffer.from(w.int32(0).buffer);
  };

  it.each([[5, 5], [8, 8], [12, 8]])('broker max v%i → sends and decodes v%i, one batch per partition', async (max, expected) => {
    const { broker, sent } = fakeBroker({ fetch: 11, produce: max }, produceResponse);
    const specs = [{ topic: 't', partition: 0, batch: batchAt(0n) }, { topic: 't', partition: 1, batch: batchAt(0n) }];
    const [ok, bad] = await produceToBroker(broker, specs, { acks: -1, timeoutMs: 1234 });
    expect(sent[0]?.apiVersion).toBe(expected);
    const r = new WireReader(sent[0]?.body as Buffer);
    expect([r.string(), r.int16(), r.int32(), r.int32(), r.string(), r.int32(), r.int32()]).toEqual([null, -1, 1234, 1, 't', 2, 0]);
    expect(r.bytes()?.equals(specs[0]?.batch.bytes as Buffer)).toBe(true);
    expect(ok).toMatchObject({ partition: 0, errorName: 'NONE', baseOffset: 40n, logStartOffset: expected >= 5 ? 2n : -1n });
    expect(bad).toMatchObject({ partition: 1, errorName: 'INVALID_RECORD', baseOffset: -1n });
    if (expected >= 8) expect(bad).toMatchObject({ recordErrors: [{ batchIndex: 0, message: 'bad' }], errorMessage: 'why' });
  });

  it('refuses two batches for one partition and zstd below v7', async () => {
    const { broker } = fakeBroker({ fetch: 11, produce: 6 }, produceResponse);
    const twice = [{ topic: 't', partition: 0, batch: batchAt(0n) }, { topic: 't', partition: 0, batch: batchAt(1n) }];
    await expect(produceToBroker(broker, twice, { timeoutMs: 1 })).rejects.toThrow(/one batch per partition/);
    const zstd = { ...batchAt(0n), codec: 'zstd' as const };
    await expect(produceToBroker(broker, [{ topic: 't', partition: 0, batch: zstd }], { timeoutMs: 1 })).rejects.toThrow(/zstd/);
  });
});
