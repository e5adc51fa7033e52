/**
 * Raw batch layer against real brokers: source batches of every codec are fetched raw, sanitised and
 * produced raw into a fresh destination topic; offsets, codec and record bytes must come out identical.
 * Also pins the broker behaviours the replication engine relies on (offset mismatch detection,
 * OFFSET_OUT_OF_RANGE, transactions, what the destination does with foreign codecs and producer state).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, type IHeaders, type Kafka, type Message } from 'kafkajs';
import { ErrorCode } from '../../src/core/errors.js';
import {
  RawCluster, decodeControlMarker, fetchRaw, nextOffsetOf, produceRaw, recordsSectionOf, sanitiseForProduce,
  verifyBatchCrc, type CompressionCodec, type RawBatch,
} from '../../src/kafka/raw/index.js';
import { waitFor } from '../../src/util/wait-for.js';
import { FAST_CONSUMER, getClusters, kafkaFor, uniqueName, withAdmin, type ClusterSide } from '../helpers/kafka.js';

const LIBS = new URL('../../kafka/libs-4.1.1/*', import.meta.url).pathname;
const clusters = getClusters();
const SOURCE = clusters.source.bootstrap;
const kSource = kafkaFor('source');
const kDest = kafkaFor('destination');
let source: RawCluster;
let dest: RawCluster;

const createTopic = (side: ClusterSide, topic: string, configs: Record<string, string> = {}) =>
  withAdmin(side, async (admin) => {
    const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries }], waitForLeaders: true });
  });

const BASE_TS = Date.now() - 60_000;
const message = (i: number): Message => ({
  key: `key-${i}`, value: `value-${i}-${'x'.repeat(i * 7)}`, timestamp: String(BASE_TS + i),
  headers: { h1: `a${i}`, h2: [`b${i}`, `c${i}`] },
});

/** 3 batches of 5 records with kafkajs (none, gzip). */
async function produceWithKafkajs(topic: string, compression: CompressionTypes): Promise<void> {
  const producer = kSource.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let b = 0; b < 3; b++) {
    await producer.send({ topic, compression, messages: [0, 1, 2, 3, 4].map((i) => message(b * 5 + i)) });
  }
  await producer.disconnect();
}

/** 15 records with Kafka's own ConsoleProducer (snappy, lz4, zstd; idempotent, so producer ids are set). */
async function produceWithJava(topic: string, codec: CompressionCodec): Promise<void> {
  const args = [
    '-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', LIBS, 'org.apache.kafka.tools.ConsoleProducer',
    '--bootstrap-server', SOURCE, '--topic', topic, '--compression-codec', codec,
    '--producer-property', 'linger.ms=200', '--property', 'parse.key=true', '--property', 'parse.headers=true',
  ];
  const lines = Array.from({ length: 15 }, (_, i) => `h1:a${i},h2:b${i}\tkey-${i}\tvalue-${i}-${'y'.repeat(i * 11)}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ConsoleProducer exited ${code}: ${stderr}`))));
    child.stdin.end(lines.join('\n') + '\n');
  });
}

/** Every batch of partition 0 up to its high watermark. */
async function fetchAll(cluster: RawCluster, topic: string, isolation: 'read_committed' | 'read_uncommitted' = 'read_uncommitted') {
  const batches: RawBatch[] = [];
  let offset = 0n;
  for (;;) {
    const r = await fetchRaw(cluster, { topic, partition: 0, offset, maxBytes: 1 << 20, maxWaitMs: 100, isolation });
    expect(r.errorName).toBe('NONE');
    for (const b of r.batches) if (nextOffsetOf(b) > offset) batches.push(b);
    const last = r.batches.at(-1);
    if (last === undefined || nextOffsetOf(last) >= r.highWatermark) return { batches, last: r };
    offset = nextOffsetOf(last);
  }
}

/** Copies every non-control batch, asserting destination offset == source offset each time. */
async function copyAll(batches: RawBatch[], topic: string): Promise<void> {
  for (const batch of batches) {
    const result = await produceRaw(dest, { topic, partition: 0, batch: sanitiseForProduce(batch), acks: -1, timeoutMs: 10_000 });
    expect(result.errorName).toBe('NONE');
    expect(result.baseOffset).toBe(batch.baseOffset);
  }
}

async function consumeAll(kafka: Kafka, topic: string, count: number) {
  const consumer = kafka.consumer({ groupId: uniqueName('raw-it'), ...FAST_CONSUMER });
  const seen: { offset: string; key: string; value: string; timestamp: string; headers: IHeaders }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message: m }) => {
        seen.push({ offset: m.offset, key: String(m.key), value: String(m.value), timestamp: m.timestamp, headers: m.headers ?? {} });
        if (seen.length === count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

beforeAll(async () => {
  source = new RawCluster({ brokers: [SOURCE], clientId: 'raw-it' });
  dest = new RawCluster({ brokers: [clusters.destination.bootstrap], clientId: 'raw-it' });
  await Promise.all([source.connect(), dest.connect()]);
});
afterAll(async () => {
  await Promise.all([source?.close(), dest?.close()]);
});

describe('raw copy preserves offsets and bytes', () => {
  const codecs: [CompressionCodec, CompressionTypes | null][] = [
    ['none', CompressionTypes.None], ['gzip', CompressionTypes.GZIP], ['snappy', null], ['lz4', null], ['zstd', null],
  ];
  it.each(codecs)('%s', async (codec, kafkajsType) => {
    const srcTopic = uniqueName(`raw-src-${codec}`);
    const dstTopic = uniqueName(`raw-dst-${codec}`);
    await Promise.all([createTopic('source', srcTopic), createTopic('destination', dstTopic)]);
    if (kafkajsType === null) await produceWithJava(srcTopic, codec);
    else await produceWithKafkajs(srcTopic, kafkajsType);

    const { batches: src } = await fetchAll(source, srcTopic);
    expect(src.length).toBeGreaterThanOrEqual(1);
    expect(src.every((b) => b.codec === codec && verifyBatchCrc(b))).toBe(true);
    if (kafkajsType === null) expect(src[0]?.producerId).toBeGreaterThanOrEqual(0n); // idempotent Java producer
    await copyAll(src, dstTopic);

    const { batches: dst } = await fetchAll(dest, dstTopic);
    expect(dst.map((b) => [b.baseOffset, b.recordCount, b.codec])).toEqual(src.map((b) => [b.baseOffset, b.recordCount, b.codec]));
    dst.forEach((b, i) => {
      expect(recordsSectionOf(b).equals(recordsSectionOf(src[i] as RawBatch))).toBe(true);
      expect(b.maxTimestamp).toBe(src[i]?.maxTimestamp);
      expect([b.producerId, b.baseSequence, b.isTransactional, b.partitionLeaderEpoch]).toEqual([-1n, -1, false, 0]);
      expect(verifyBatchCrc(b)).toBe(true);
    });
    if (kafkajsType !== null) {
      const [a, b] = await Promise.all([consumeAll(kSource, srcTopic, 15), consumeAll(kDest, dstTopic, 15)]);
      expect(b).toEqual(a);
      expect(a[7]).toMatchObject({ offset: '7', key: 'key-7', timestamp: String(BASE_TS + 7) });
    }
  });
});

describe('broker answers the engine relies on', () => {
  it('a produce onto a destination whose end differs from the source offset returns a detectable base offset', async () => {
    const srcTopic = uniqueName('raw-src-mismatch');
    const dstTopic = uniqueName('raw-dst-mismatch');
    await Promise.all([createTopic('source', srcTopic), createTopic('destination', dstTopic)]);
    await produceWithKafkajs(srcTopic, CompressionTypes.None);
    const extra = kDest.producer();
    await extra.connect();
    await extra.send({ topic: dstTopic, messages: [{ value: 'stray-1' }, { value: 'stray-2' }] });
    await extra.disconnect();
    const { batches } = await fetchAll(source, srcTopic);
    const first = batches[0] as RawBatch;
    const result = await produceRaw(dest, { topic: dstTopic, partition: 0, batch: sanitiseForProduce(first), timeoutMs: 10_000 });
    expect(result.errorName).toBe('NONE');
    expect(first.baseOffset).toBe(0n);
    expect(result.baseOffset).toBe(2n);
  });

  it('fetching beyond the log end reports OFFSET_OUT_OF_RANGE', async () => {
    const topic = uniqueName('raw-oor');
    await createTopic('source', topic);
    await produceWithKafkajs(topic, CompressionTypes.None);
    const r = await fetchRaw(source, { topic, partition: 0, offset: 10_000n, maxBytes: 1 << 16, maxWaitMs: 10, isolation: 'read_uncommitted' });
    expect(r.errorName).toBe('OFFSET_OUT_OF_RANGE');
    expect(r.errorCode).toBe(1);
    expect(r.batches).toEqual([]);
    expect(r.highWatermark).toBe(-1n); // the broker leaves offsets unset (-1) on partition errors
    expect(r.logStartOffset).toBe(-1n);
  });

  it('shows transactional batches, COMMIT/ABORT markers and the aborted-transaction list', async () => {
    const topic = uniqueName('raw-txn');
    await createTopic('source', topic);
    const producer = kSource.producer({ transactionalId: uniqueName('raw-txn'), maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    for (const outcome of ['commit', 'abort', 'commit'] as const) {
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ value: `${outcome}-1` }, { value: `${outcome}-2` }] });
      await (outcome === 'commit' ? txn.commit() : txn.abort());
    }
    await producer.disconnect();

    // The broker writes a transaction's marker after EndTxn returns: wait until the last one is in.
    const { batches, last } = await waitFor(async () => {
      const all = await fetchAll(source, topic, 'read_uncommitted');
      return all.last.lastStableOffset === 9n && all.batches.length === 6 ? all : undefined;
    }, { timeoutMs: 10_000, message: 'the last COMMIT marker never appeared' });
    const shape = batches.map((b) => [b.baseOffset, b.isControl, b.isControl ? decodeControlMarker(b).type : b.recordCount]);
    expect(shape).toEqual([[0n, false, 2], [2n, true, 'COMMIT'], [3n, false, 2], [5n, true, 'ABORT'], [6n, false, 2], [8n, true, 'COMMIT']]);
    expect(batches.every((b) => b.isTransactional && b.producerId >= 0n)).toBe(true);
    expect(last.abortedTransactions).toEqual([]); // only sent under read_committed
    expect(last.lastStableOffset).toBe(9n);

    const committed = await fetchRaw(source, { topic, partition: 0, offset: 0n, maxBytes: 1 << 20, maxWaitMs: 10, isolation: 'read_committed' });
    expect(committed.abortedTransactions).toEqual([{ producerId: batches[3]?.producerId, firstOffset: 3n }]);
    expect(committed.batches).toHaveLength(6); // the broker does not filter aborted data; the client must

    // Clients cannot write markers or (without a transactional id) transactional batches.
    const dstTopic = uniqueName('raw-dst-txn');
    await createTopic('destination', dstTopic);
    const raw = await produceRaw(dest, { topic: dstTopic, partition: 0, batch: batches[0] as RawBatch, timeoutMs: 10_000 });
    expect(raw.errorName).toBe('TRANSACTIONAL_ID_AUTHORIZATION_FAILED');
    const marker = await produceRaw(dest, { topic: dstTopic, partition: 0, batch: batches[1] as RawBatch, timeoutMs: 10_000 });
    expect(marker.errorName).toBe('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'); // a marker with the bit cleared: INVALID_RECORD
    await copyAll([batches[0] as RawBatch], dstTopic);
  });

  it('recompresses a batch whose codec differs from compression.type, but keeps offsets', async () => {
    const srcTopic = uniqueName('raw-src-recompress');
    const dstTopic = uniqueName('raw-dst-recompress');
    await Promise.all([createTopic('source', srcTopic), createTopic('destination', dstTopic, { 'compression.type': 'lz4' })]);
    await produceWithKafkajs(srcTopic, CompressionTypes.GZIP);
    const { batches: src } = await fetchAll(source, srcTopic);
    await copyAll(src, dstTopic);
    const { batches: dst } = await fetchAll(dest, dstTopic);
    expect(dst.map((b) => [b.baseOffset, b.recordCount, b.codec])).toEqual(src.map((b) => [b.baseOffset, b.recordCount, 'lz4']));
  });
});

describe('producer state and authentication', () => {
  it('a batch that keeps its source producer id is de-duplicated on replay: acked with the first offset', async () => {
    const srcTopic = uniqueName('raw-src-pid');
    const dstTopic = uniqueName('raw-dst-pid');
    await Promise.all([createTopic('source', srcTopic), createTopic('destination', dstTopic)]);
    const producer = kSource.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: srcTopic, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    const { batches } = await fetchAll(source, srcTopic);
    const batch = batches[0] as RawBatch;
    expect(batch.producerId).toBeGreaterThanOrEqual(0n);
    const send = () => produceRaw(dest, { topic: dstTopic, partition: 0, batch, timeoutMs: 10_000 });
    expect((await send()).baseOffset).toBe(0n);
    const replay = await send();
    expect([replay.errorName, replay.baseOffset]).toEqual(['NONE', 0n]); // silently dropped as a duplicate
    const after = await fetchRaw(dest, { topic: dstTopic, partition: 0, offset: 0n, maxBytes: 1 << 16, maxWaitMs: 10, isolation: 'read_uncommitted' });
    expect(after.highWatermark).toBe(2n);
  });

  it('works over SASL/PLAIN and maps auth failures to typed errors', async () => {
    const { saslBootstrap, users } = clusters.source;
    if (saslBootstrap === undefined || users === undefined) throw new Error('the test clusters have no SASL listener');
    const topic = uniqueName('raw-sasl');
    await createTopic('source', topic);
    await produceWithKafkajs(topic, CompressionTypes.GZIP);
    const sasl = (u: { username: string; password: string }) =>
      new RawCluster({ brokers: [saslBootstrap], sasl: { mechanism: 'plain', username: u.username, password: u.password } });
    const admin = sasl(users.admin);
    const alice = sasl(users.alice);
    const wrong = sasl({ username: users.alice.username, password: 'not-the-password' });
    try {
      const r = await fetchRaw(admin, { topic, partition: 0, offset: 0n, maxBytes: 1 << 20, maxWaitMs: 10, isolation: 'read_uncommitted' });
      expect(r.batches.map((b) => b.codec)).toEqual(['gzip', 'gzip', 'gzip']);
      const denied = fetchRaw(alice, { topic, partition: 0, offset: 0n, maxBytes: 1 << 20, maxWaitMs: 10, isolation: 'read_uncommitted' });
      await expect(denied).rejects.toMatchObject({ code: ErrorCode.AUTHORIZATION_FAILED });
      await expect(wrong.connect()).rejects.toMatchObject({ code: ErrorCode.AUTHENTICATION_FAILED });
    } finally {
      await Promise.all([admin.close(), alice.close(), wrong.close()]);
    }
  });
});

describe('connections and metadata', () => {
  it('keeps pipelined produces in order, serves dedicated connections and survives a deleted topic', async () => {
    const [gone, kept, dstTopic] = [uniqueName('raw-gone'), uniqueName('raw-kept'), uniqueName('raw-dst-pipe')];
    await Promise.all([createTopic('source', gone), createTopic('source', kept), createTopic('destination', dstTopic)]);
    await Promise.all([produceWithKafkajs(gone, CompressionTypes.None), produceWithKafkajs(kept, CompressionTypes.GZIP)]);
    const spec = { partition: 0, offset: 0n, maxBytes: 1 << 20, maxWaitMs: 10, isolation: 'read_uncommitted' } as const;
    const batches = (await fetchRaw(source, { ...spec, topic: kept })).batches;
    const copies = [...batches, ...batches, ...batches].map((b) => sanitiseForProduce(b));
    const acks = await Promise.all(copies.map((batch) => produceRaw(dest, { topic: dstTopic, partition: 0, batch, timeoutMs: 10_000 })));
    expect(acks.map((a) => a.baseOffset)).toEqual([0n, 5n, 10n, 15n, 20n, 25n, 30n, 35n, 40n]);

    const dedicated = await source.openDedicated(await source.leaderIdFor(kept, 0));
    expect(dedicated.dedicated).toBe(true);
    const viaDedicated = await fetchRaw(source, { ...spec, topic: kept, broker: dedicated });
    expect(viaDedicated.batches.map((b) => b.bytes)).toEqual(batches.map((b) => b.bytes));
    await dedicated.close();

    await fetchRaw(source, { ...spec, topic: gone });
    await withAdmin('source', (admin) => admin.deleteTopics({ topics: [gone] }));
    await expect(source.refreshMetadata()).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect((await fetchRaw(source, { ...spec, topic: kept })).batches).toHaveLength(3);
    await expect(fetchRaw(source, { ...spec, topic: gone })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});
