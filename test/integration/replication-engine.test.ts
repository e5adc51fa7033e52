/**
 * The replication engine against two real clusters: createLinkEngine driven in-process (and, for
 * crashes, in a child process that is killed), with real link, cluster and mirror records. Every
 * expectation is about what the destination cluster really holds, compared with the source offset by
 * offset. Behaviour per case is documented in docs/offset-fidelity.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { CompressionTypes, ConfigResourceTypes, type Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorRecord, MirrorStatusReport } from '../../src/core/model/mirror.js';
import { fetchRaw, nextOffsetOf, recordsSectionOf, type RawBatch, type RawCluster } from '../../src/kafka/raw/index.js';
import '../../src/kafka/codecs.js';
import { deleteRecordsBefore } from '../../src/replication/raw-admin.js';
import { waitFor } from '../../src/util/wait-for.js';
import { getClusters, kafkaFor, uniqueName, withAdmin, type ClusterSide } from '../helpers/kafka.js';
import {
  EngineRun, FILLER_KEY_HEX, compileChild, createMirrorPair, createTopic, highWatermarks, destinationRecord, linkRecord, mirrorRecord, produce, raw, readPartition, waitForCaughtUp,
} from './replication-engine.support.js';

let source: RawCluster;
let dest: RawCluster;
beforeAll(async () => {
  source = raw('source');
  dest = raw('destination');
  await Promise.all([source.connect(), dest.connect()]);
});
afterAll(async () => {
  await Promise.all([source?.close(), dest?.close()]);
});

const BASE_TS = Date.now() - 3_600_000;

function mixedMessages(count: number, salt: string): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const n = `${salt}-${i}`;
    const m: Message = { value: i % 17 === 0 ? null : `value-${n}-${'v'.repeat(i % 50)}`, timestamp: String(BASE_TS + i) };
    if (i % 5 !== 0) m.key = `key-${i % 97}`;
    if (i % 3 === 0) m.headers = { h: `h-${n}`, rep: [`a${i}`, `b${i}`] };
    m.partition = i % 6;
    return m;
  });
}

/** Record by record, from the destination's log start when `fromDestinationStart` (mirrors started late). */
async function expectIdentical(topic: string, partitions: number, fromDestinationStart = false): Promise<void> {
  for (let p = 0; p < partitions; p++) {
    const [all, d] = await Promise.all([readPartition(source, topic, p), readPartition(dest, topic, p)]);
    const s = fromDestinationStart ? all.filter((r) => r.offset >= (d[0]?.offset ?? Infinity)) : all;
    expect(d.length).toBe(s.length);
    expect(d).toEqual(s);
  }
}

describe('replication engine', () => {
  it('copies 100 000 records over 6 partitions with identical offsets, keys, values, headers and timestamps', async () => {
    const topic = uniqueName('eng-bulk');
    await createMirrorPair(topic, 6);
    const kafka = kafkaFor('source');
    const batches = Array.from({ length: 100 }, (_, b) => mixedMessages(1000, `b${b}`));
    await produce(kafka, topic, batches.slice(0, 50), { compression: CompressionTypes.GZIP });
    await produce(kafka, topic, batches.slice(50));
    const run = new EngineRun();
    const link = linkRecord(uniqueName('link'));
    await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 6)] });
    try {
      await waitForCaughtUp(topic, 120_000);
      const report = await run.waitFor(topic, 'all partitions reported caught up', (r) => caughtUp(r, 6));
      expect(report.status).toBe('ACTIVE');
      await expectIdentical(topic, 6);
    } finally {
      await run.engine.stop();
    }
  }, 180_000);

  it('forwards snappy, lz4 and zstd batches without recompressing them', async () => {
    const topic = uniqueName('eng-codecs');
    await createMirrorPair(topic, 3);
    const kafka = kafkaFor('source');
    const codecs = [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD];
    for (const [partition, compression] of codecs.entries()) {
      await produce(kafka, topic, Array.from({ length: 20 }, (_, b) => mixedMessages(50, `c${partition}-${b}`)), { compression, partition });
    }
    const link = linkRecord(uniqueName('link'));
    const run = new EngineRun();
    await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 3)] });
    try {
      await run.waitFor(topic, 'caught up', (r) => caughtUp(r, 3));
    } finally {
      await run.engine.stop();
    }
    await expectIdentical(topic, 3);
    for (const [partition, codec] of ['snappy', 'lz4', 'zstd'].entries()) {
      const [s, d] = await Promise.all([rawBatches(source, topic, partition), rawBatches(dest, topic, partition)]);
      expect(s.length).toBe(20);
      expect(d.map((b) => [b.baseOffset, b.codec, recordsSectionOf(b).toString('hex')])).toEqual(s.map((b) => [b.baseOffset, codec, recordsSectionOf(b).toString('hex')]));
    }
  }, 120_000);

  it('resumes exactly after a stop and three crashes (SIGKILL) while the source keeps growing', async () => {
    const topic = uniqueName('eng-crash');
    await createMirrorPair(topic, 6);
    const link = linkRecord(uniqueName('link'));
    const snapshot = { link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 6)] };
    const producing = keepProducing(topic);
    const child = await compileChild(new URL('./replication-engine.child.ts', import.meta.url).pathname);
    const copied = async () => (await highWatermarks('destination', topic)).reduce((sum, p) => sum + p.high, 0);
    try {
      // 1: an in-process engine, stopped properly.
      const first = new EngineRun();
      await first.engine.apply(snapshot);
      await waitFor(async () => (await copied()) > 5000, { timeoutMs: 60_000, message: 'first engine copied nothing' });
      await first.engine.stop();
      // 2, 3 and 4: engines in child processes, killed mid-copy.
      for (let crash = 0; crash < 3; crash++) {
        const before = await copied();
        const proc = spawn(process.execPath, [child], { env: { ...process.env, CLINK_ENGINE_CHILD_SNAPSHOT: JSON.stringify(snapshot) }, stdio: ['ignore', 'ignore', 'inherit'] });
        await waitFor(async () => (await copied()) > before + 5000, { timeoutMs: 60_000, message: `child engine ${crash} copied nothing` });
        await kill(proc);
        await stableDestination(topic);
      }
      // 5: a last engine finishes the copy.
      await producing.stop();
      const last = new EngineRun();
      await last.engine.apply(snapshot);
      try {
        await waitForCaughtUp(topic, 120_000);
        const report = await last.waitFor(topic, 'caught up', (r) => caughtUp(r, 6));
        expect(report.status).toBe('ACTIVE');
        expect(report.error).toBeUndefined();
      } finally {
        await last.engine.stop();
      }
      expect(producing.sent()).toBeGreaterThan(20_000);
      await expectIdentical(topic, 6);
    } finally {
      await producing.stop();
      rmSync(dirname(dirname(dirname(child))), { recursive: true, force: true });
    }
  }, 240_000);

  it('starts at latest, at a timestamp and after a deleted head with the source\'s log start and high watermark', async () => {
    const latest = uniqueName('eng-latest');
    const stamped = uniqueName('eng-timestamp');
    const deleted = uniqueName('eng-deleted-head');
    await Promise.all([createMirrorPair(latest, 3), createMirrorPair(stamped, 1), createMirrorPair(deleted, 2)]);
    const kafka = kafkaFor('source');
    const tenBy = (n: number, salt: string, partition: number) => Array.from({ length: n }, (_, b) => mixedMessages(10, `${salt}${b}`).map((m, i) => ({ ...m, partition, timestamp: String(BASE_TS + b * 10 + i) })));
    for (let p = 0; p < 3; p++) await produce(kafka, latest, tenBy(20, 'l', p));
    await produce(kafka, stamped, tenBy(50, 't', 0));
    await produce(kafka, deleted, tenBy(60, 'g', 0), { compression: CompressionTypes.GZIP });
    await produce(kafka, deleted, tenBy(60, 'd', 1));
    await deleteRecordsBefore(source, deleted, 0, 455n);
    await deleteRecordsBefore(source, deleted, 1, 200n);

    const runs: EngineRun[] = [];
    const start = async (topic: string, partitions: number, configs: Record<string, string>) => {
      const run = new EngineRun();
      runs.push(run);
      const link = linkRecord(uniqueName('link'), configs);
      await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, partitions)] });
      return run.waitFor(topic, 'ACTIVE with every partition at the source high watermark', (r) => r.status === 'ACTIVE' && caughtUp(r, partitions));
    };
    try {
      await Promise.all([
        start(latest, 3, { 'mirror.start.offset.spec': 'latest' }),
        start(stamped, 1, { 'mirror.start.offset.spec': new Date(BASE_TS + 300).toISOString() }),
        start(deleted, 2, {}),
      ]);
      expect(await highWatermarks('destination', latest)).toEqual([0, 1, 2].map((partition) => ({ partition, low: 200, high: 200 })));
      expect(await highWatermarks('destination', stamped)).toEqual([{ partition: 0, low: 300, high: 500 }]);
      expect(await highWatermarks('destination', deleted)).toEqual(await highWatermarks('source', deleted));
      expect((await highWatermarks('destination', deleted))[0]).toEqual({ partition: 0, low: 455, high: 600 });
      for (let p = 0; p < 3; p++) await produce(kafka, latest, tenBy(3, 'more', p));
      await waitForCaughtUp(latest);
      await Promise.all([expectIdentical(latest, 3, true), expectIdentical(stamped, 1, true), expectIdentical(deleted, 2)]);
    } finally {
      await Promise.all(runs.map((r) => r.engine.stop()));
    }
  }, 120_000);

  it('fails a partition a foreign producer wrote to, naming both offsets, and never appends to it again', async () => {
    const topic = uniqueName('eng-foreign');
    await createMirrorPair(topic, 2);
    const kafka = kafkaFor('source');
    await produce(kafka, topic, [mixedMessages(100, 'a').map((m, i) => ({ ...m, partition: i % 2 }))]);
    const link = linkRecord(uniqueName('link'));
    const snapshot = { link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2)] };
    const run = new EngineRun();
    await run.engine.apply(snapshot);
    try {
      await waitForCaughtUp(topic);
      await produce(kafkaFor('destination'), topic, [[{ key: 'intruder', value: 'not from the source' }]], { partition: 0 });
      await produce(kafka, topic, [mixedMessages(10, 'b')], { partition: 0 });
      const failed = await run.waitForStatus(topic, 'FAILED');
      const p0 = failed.partitions.find((p) => p.partition === 0);
      expect(p0?.status).toBe('FAILED');
      expect(p0?.error).toMatch(/source offset 50 was appended at destination offset 51/);
      expect(failed.error).toBe(p0?.error);
      expect(failed.partitions.find((p) => p.partition === 1)?.status).toBe('ACTIVE');
      await produce(kafka, topic, [mixedMessages(10, 'c')], { partition: 0 });
      await produce(kafka, topic, [mixedMessages(10, 'd')], { partition: 1 });
      await run.waitFor(topic, 'partition 1 copied on', (r) => r.partitions.find((p) => p.partition === 1)?.destinationLogEnd === 60);
    } finally {
      await run.engine.stop();
    }
    // A new engine (a restart of the worker) checks the tail and refuses to extend the misaligned partition.
    const again = new EngineRun();
    await again.engine.apply(snapshot);
    try {
      const failed = await again.waitForStatus(topic, 'FAILED');
      expect(failed.partitions.find((p) => p.partition === 0)?.error).toMatch(/cannot resume/);
      expect((await highWatermarks('destination', topic))[0]?.high).toBe(61);
    } finally {
      await again.engine.stop();
    }
  }, 120_000);

  it('mirrors topic configs and a partition added on the source within topic.config.sync.ms', async () => {
    const topic = uniqueName('eng-grow');
    await createMirrorPair(topic, 2, { 'max.message.bytes': '3000000', 'retention.ms': '86400000' });
    const kafka = kafkaFor('source');
    await produce(kafka, topic, [[{ key: 'big', value: 'x'.repeat(1_500_000), partition: 0 }]]);
    const link = linkRecord(uniqueName('link'), { 'topic.config.sync.ms': '500' });
    const run = new EngineRun();
    await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2)] });
    try {
      await waitForCaughtUp(topic);
      expect(await topicConfigs('destination', topic)).toMatchObject({ 'max.message.bytes': '3000000', 'retention.ms': '86400000' });
      await withAdmin('source', (admin) => admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '3000000' }, { name: 'retention.ms', value: '3600000' }] }] }));
      await withAdmin('source', (admin) => admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] }));
      const grown = Date.now();
      await waitFor(async () => (await highWatermarks('destination', topic)).length === 4, { timeoutMs: 10_000, intervalMs: 50, message: 'partitions not added' });
      expect(Date.now() - grown).toBeLessThan(4000);
      await produce(kafka, topic, [mixedMessages(40, 'grow').map((m, i) => ({ ...m, partition: i % 4 }))]);
      await waitForCaughtUp(topic);
      await waitFor(async () => (await topicConfigs('destination', topic))['retention.ms'] === '3600000', { timeoutMs: 5000, message: 'retention.ms not synced' });
      await run.waitFor(topic, 'four partitions reported', (r) => r.partitions.length === 4);
      await expectIdentical(topic, 4);
    } finally {
      await run.engine.stop();
    }
  }, 120_000);

  it('keeps offsets aligned over compaction holes with fillers', async () => {
    const topic = uniqueName('eng-compacted');
    await createMirrorPair(topic, 1, { 'cleanup.policy': 'compact', 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0.001', 'delete.retention.ms': '100' });
    const kafka = kafkaFor('source');
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    let round = 0;
    const compacted = await waitFor(async () => {
      // Unique keys survive compaction, "hot" keys are overwritten: the cleaner leaves holes inside batches.
      const messages = Array.from({ length: 20 }, (_, i) => ({ key: i % 2 ? `hot-${i % 3}` : `u-${round}-${i}`, value: i % 9 === 0 ? null : `r${round}-${i}`, timestamp: String(BASE_TS + round * 20 + i), headers: { n: String(i) } }));
      await producer.send({ topic, messages, compression: [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.LZ4, CompressionTypes.ZSTD, CompressionTypes.Snappy][round++ % 5] });
      const records = await readPartition(source, topic, 0);
      return records.length > 0 && records.length < round * 20 - 20 && records;
    }, { timeoutMs: 90_000, intervalMs: 500, message: 'the source topic was never compacted' });
    await producer.disconnect();
    // Not syncing segment.ms keeps the destination from compacting while the test compares.
    const link = linkRecord(uniqueName('link'), { 'topic.config.sync.include': 'cleanup.policy,max.message.bytes,message.timestamp.type,message.timestamp.difference.max.ms' });
    const run = new EngineRun();
    await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] });
    try {
      await waitForCaughtUp(topic);
      await run.waitFor(topic, 'caught up', (r) => caughtUp(r, 1));
    } finally {
      await run.engine.stop();
    }
    const [after, copy] = await Promise.all([readPartition(source, topic, 0), readPartition(dest, topic, 0)]);
    // Batches with holes inside cannot be forwarded whole: the copier had to rebuild them.
    const holed = (await rawBatches(source, topic, 0)).filter((b) => b.recordCount < b.lastOffsetDelta + 1);
    expect(holed.length).toBeGreaterThan(0);
    const before = new Map(compacted.map((r) => [r.offset, r]));
    const now = new Map(after.map((r) => [r.offset, r]));
    expect(copy.map((r) => r.offset)).toEqual(Array.from({ length: copy.length }, (_, i) => i));
    for (const r of after) expect(copy[r.offset]).toEqual(r);
    const fillers = copy.filter((r) => !now.has(r.offset) && !before.has(r.offset));
    expect(fillers.length).toBeGreaterThan(0);
    for (const f of fillers) expect(f).toMatchObject({ key: FILLER_KEY_HEX, value: null, headers: JSON.stringify([['clink.gap', Buffer.from('1').toString('hex')]]) });
    for (const r of copy) if (!now.has(r.offset) && before.has(r.offset)) expect(r).toEqual(before.get(r.offset));
  }, 150_000);

  it('mirror.transactions=fillers keeps offsets aligned over transactions: committed data copied, markers and aborted data become fillers, nothing past the LSO', async () => {
    const topic = uniqueName('eng-txn');
    await createMirrorPair(topic, 1);
    const kafka = kafkaFor('source');
    const tx = kafka.producer({ transactionalId: uniqueName('tx'), idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    const inTxn = async (outcome: 'commit' | 'abort', n: number) => {
      const txn = await tx.transaction();
      await txn.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `${outcome}-${i}`, value: `${outcome}-${i}` })) });
      await (outcome === 'commit' ? txn.commit() : txn.abort());
    };
    const link = linkRecord(uniqueName('link'), { 'mirror.transactions': 'fillers' });
    const run = new EngineRun();
    try {
      await inTxn('commit', 3);
      await inTxn('abort', 2);
      await produce(kafka, topic, [[{ key: 'plain', value: 'plain-0' }]]);
      await inTxn('abort', 1);
      await inTxn('commit', 2);
      await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] });
      await waitForCaughtUp(topic);
      // An open transaction holds everything behind it back, as for any read_committed consumer.
      const open = await tx.transaction();
      await open.send({ topic, messages: [{ key: 'open', value: 'open-0' }] });
      await produce(kafka, topic, [[{ key: 'plain', value: 'plain-after-open' }]]);
      const [{ high: lso } = { high: -1 }] = await highWatermarks('source', topic);
      await run.waitFor(topic, 'copied up to the LSO only', (r) => r.partitions[0]?.sourceHighWatermark === lso + 2 && r.partitions[0]?.destinationLogEnd === lso);
      await open.commit();
      await waitForCaughtUp(topic);
    } finally {
      await tx.disconnect();
      await run.engine.stop();
    }
    const [s, d] = await Promise.all([readPartition(source, topic, 0), readPartition(dest, topic, 0)]);
    expect(d.map((r) => r.offset)).toEqual(s.map((r) => r.offset));
    const filler = { key: FILLER_KEY_HEX, value: null, control: false };
    s.forEach((r, i) => {
      const hidden = r.control || Buffer.from(r.value ?? '', 'hex').toString().startsWith('abort');
      if (hidden) expect(d[i]).toMatchObject(filler);
      else expect(d[i]).toEqual(r);
    });
    expect(s.filter((r) => r.control)).toHaveLength(5);
  }, 120_000);

  it('pause stops copying, resume catches up; link pause shows LINK_PAUSED; STOPPED leaves a writable topic alone', async () => {
    const topic = uniqueName('eng-pause');
    await createMirrorPair(topic, 2);
    const kafka = kafkaFor('source');
    const more = (salt: string) => produce(kafka, topic, [mixedMessages(100, salt).map((m, i) => ({ ...m, partition: i % 2 }))]);
    await more('a');
    const link = linkRecord(uniqueName('link'));
    const at = (desiredState: MirrorRecord['desiredState'], configs: Record<string, string> = {}) => ({
      link: { ...link, configs }, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2, desiredState)],
    });
    const run = new EngineRun();
    try {
      await run.engine.apply(at('ACTIVE'));
      await waitForCaughtUp(topic);
      // The same snapshot again changes nothing: no task is restarted (a new one reports PENDING_MIRROR first).
      const started = run.history.filter((r) => r.status === 'PENDING_MIRROR').length;
      await run.engine.apply(at('ACTIVE'));
      expect(run.history.filter((r) => r.status === 'PENDING_MIRROR').length).toBe(started);
      await run.engine.apply(at('PAUSED'));
      expect(run.reports.get(topic)?.status).toBe('PAUSED');
      const paused = await highWatermarks('destination', topic);
      await more('b');
      await run.engine.apply(at('PAUSED'));
      expect(await highWatermarks('destination', topic)).toEqual(paused);
      // No copier, yet the paused mirror's offsets stay fresh (every topic.config.sync.ms): its lag reaches /metrics.
      const sourceNow = new Map((await highWatermarks('source', topic)).map((o) => [o.partition, o.high]));
      const fresh = await run.waitFor(topic, 'the paused mirror reported the new source high watermarks', (r) =>
        r.status === 'PAUSED' && r.partitions.length === 2 && r.partitions.every((p) => p.sourceHighWatermark === sourceNow.get(p.partition)));
      expect(fresh.partitions.map((p) => p.destinationLogEnd)).toEqual(paused.sort((x, y) => x.partition - y.partition).map((o) => o.high));
      await run.engine.apply(at('ACTIVE'));
      await waitForCaughtUp(topic);
      await run.engine.apply(at('ACTIVE', { 'cluster.link.paused': 'true' }));
      expect(run.reports.get(topic)?.status).toBe('LINK_PAUSED');
      await more('c');
      expect(await highWatermarks('destination', topic)).not.toEqual(await highWatermarks('source', topic));
      await run.engine.apply(at('ACTIVE', { 'cluster.link.paused': 'false' }));
      await waitForCaughtUp(topic);
      await run.waitFor(topic, 'ACTIVE and caught up', (r) => r.status === 'ACTIVE' && caughtUp(r, 2));
      await expectIdentical(topic, 2);

      await run.engine.apply(at('STOPPED'));
      expect(run.reports.get(topic)?.status).toBe('STOPPED');
      const reports = run.history.length;
      await run.engine.apply(at('STOPPED'));
      expect(run.history.length).toBe(reports);
      await produce(kafkaFor('destination'), topic, [[{ key: 'own', value: 'written after the mirror stopped', partition: 0 }]]);
      await more('d');
      const [src, dst] = await Promise.all([highWatermarks('source', topic), highWatermarks('destination', topic)]);
      expect(dst[0]?.high).toBe((paused[0]?.high ?? 0) + 100 + 1);
      expect(src[0]?.high).toBe((paused[0]?.high ?? 0) + 150);
    } finally {
      await run.engine.stop();
    }
  }, 120_000);

  it('shows SOURCE_UNAVAILABLE while the source cannot be reached and recovers by itself', async () => {
    const topic = uniqueName('eng-unreachable');
    await createMirrorPair(topic, 2);
    await produce(kafkaFor('source'), topic, [mixedMessages(200, 'u').map((m, i) => ({ ...m, partition: i % 2 }))]);
    const proxy = await closedPort();
    const link = linkRecord(uniqueName('link'), { 'topic.config.sync.ms': '1000' }, `127.0.0.1:${proxy.port}`);
    const run = new EngineRun();
    try {
      await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2)] });
      const down = await run.waitForStatus(topic, 'SOURCE_UNAVAILABLE', 30_000);
      expect(down.error).toMatch(/source unavailable/);
      await proxy.open(getClusters().source.bootstrap);
      await run.waitFor(topic, 'ACTIVE and caught up by itself', (r) => r.status === 'ACTIVE' && caughtUp(r, 2), 60_000);
      await waitForCaughtUp(topic);
      // Re-pointing the link at a closed port makes the source unavailable again; pointing it back recovers.
      await run.engine.apply({ link: { ...link, sourceBootstrapServers: '127.0.0.1:1' }, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2)] });
      await run.waitForStatus(topic, 'SOURCE_UNAVAILABLE', 30_000);
      await produce(kafkaFor('source'), topic, [mixedMessages(20, 'v').map((m, i) => ({ ...m, partition: i % 2 }))]);
      await run.engine.apply({ link: { ...link, sourceBootstrapServers: getClusters().source.bootstrap }, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2)] });
      await run.waitFor(topic, 'ACTIVE again', (r) => r.status === 'ACTIVE' && caughtUp(r, 2), 60_000);
      await expectIdentical(topic, 2);
      const stopping = Date.now();
      await run.engine.stop();
      expect(Date.now() - stopping).toBeLessThan(10_000);
      // An engine that never reached its source stops within its 10 s budget too.
      const stranded = new EngineRun();
      await stranded.engine.apply({ link: { ...link, sourceBootstrapServers: '127.0.0.1:1' }, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2)] });
      await stranded.waitForStatus(topic, 'SOURCE_UNAVAILABLE', 30_000);
      const begin = Date.now();
      await stranded.engine.stop();
      expect(Date.now() - begin).toBeLessThan(10_000);
    } finally {
      await run.engine.stop();
      await proxy.close();
    }
  }, 150_000);

  it('shows SOURCE_UNAVAILABLE while the source topic is deleted, and FAILED once it is recreated with other data', async () => {
    const topic = uniqueName('eng-deleted-topic');
    await createMirrorPair(topic, 1);
    await produce(kafkaFor('source'), topic, [mixedMessages(10, 'x').map((m) => ({ ...m, partition: 0 }))]);
    const link = linkRecord(uniqueName('link'), { 'topic.config.sync.ms': '1000' });
    const run = new EngineRun();
    await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] });
    try {
      await run.waitFor(topic, 'caught up', (r) => caughtUp(r, 1));
      await withAdmin('source', (admin) => admin.deleteTopics({ topics: [topic] }));
      const gone = await run.waitForStatus(topic, 'SOURCE_UNAVAILABLE', 30_000);
      expect(gone.error).toMatch(/source unavailable/);
      await createTopic('source', topic, 1);
      await produce(kafkaFor('source'), topic, [mixedMessages(15, 'y').map((m) => ({ ...m, partition: 0 }))]);
      const failed = await run.waitForStatus(topic, 'FAILED', 60_000);
      expect(failed.error).toMatch(/cannot resume: destination batch at offsets 0\.\.9 does not match the source/);
      expect((await highWatermarks('destination', topic))[0]?.high).toBe(10);
    } finally {
      await run.engine.stop();
    }
  }, 120_000);

  it('LogAppendTime topics: offsets and records exact, timestamps are the destination\'s append time', async () => {
    const topic = uniqueName('eng-append-time');
    await createMirrorPair(topic, 1, { 'message.timestamp.type': 'LogAppendTime' });
    await produce(kafkaFor('source'), topic, [mixedMessages(50, 'lat').map((m) => ({ ...m, partition: 0 }))]);
    const link = linkRecord(uniqueName('link'));
    const run = new EngineRun();
    await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] });
    try {
      await run.waitFor(topic, 'caught up', (r) => caughtUp(r, 1), 30_000);
    } finally {
      await run.engine.stop();
    }
    expect(await topicConfigs('destination', topic)).toMatchObject({ 'message.timestamp.type': 'LogAppendTime' });
    const [s, d] = await Promise.all([readPartition(source, topic, 0), readPartition(dest, topic, 0)]);
    const strip = (r: { timestamp: string }) => ({ ...r, timestamp: 'x' });
    expect(d.map(strip)).toEqual(s.map(strip));
    expect(Number(d[0]?.timestamp)).toBeGreaterThanOrEqual(Number(s[0]?.timestamp));
    expect(d[0]?.timestamp).not.toBe(s[0]?.timestamp);
  }, 60_000);
});

/** Produces mixed batches to `topic` until stop() is called. */
function keepProducing(topic: string) {
  let stopped = false;
  let sent = 0;
  const producer = kafkaFor('source').producer({ allowAutoTopicCreation: false });
  const loop = (async () => {
    await producer.connect();
    for (let b = 0; !stopped; b++) {
      const messages = mixedMessages(600, `live${b}`);
      await producer.send({ topic, messages, ...(b % 2 ? { compression: CompressionTypes.GZIP } : {}) });
      sent += messages.length;
    }
    await producer.disconnect();
  })();
  return {
    sent: () => sent,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

async function kill(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

/** Requests a killed process had already sent may still be appended: wait until the destination is quiet. */
async function stableDestination(topic: string): Promise<void> {
  let previous = '';
  let same = 0;
  await waitFor(async () => {
    const now = JSON.stringify(await highWatermarks('destination', topic));
    same = now === previous ? same + 1 : 0;
    previous = now;
    return same >= 2;
  }, { timeoutMs: 30_000, intervalMs: 200, message: `destination of ${topic} kept changing after the crash` });
}

/** Every partition reported, each with its destination log end at the source high watermark. */
function caughtUp(report: MirrorStatusReport, partitions: number): boolean {
  return report.partitions.length === partitions && report.partitions.every((p) => p.sourceHighWatermark >= 0 && p.destinationLogEnd === p.sourceHighWatermark);
}

async function topicConfigs(side: ClusterSide, topic: string): Promise<Record<string, string>> {
  const described = await withAdmin(side, (admin) => admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] }));
  return Object.fromEntries((described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
}

/** A port nothing listens on, until open() starts a TCP proxy there to `target`. */
async function closedPort(): Promise<{ port: number; open(target: string): Promise<void>; close(): Promise<void> }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    port,
    async open(target) {
      const [host = '127.0.0.1', targetPort] = target.split(':');
      server = createServer((client) => {
        const upstream = connect(Number(targetPort), host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined).on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    },
  };
}

/** Every batch of a partition, raw, in offset order. */
async function rawBatches(cluster: RawCluster, topic: string, partition: number): Promise<RawBatch[]> {
  const out: RawBatch[] = [];
  for (let offset = 0n; ; ) {
    const r = await fetchRaw(cluster, { topic, partition, offset, maxBytes: 4 << 20, maxWaitMs: 0, isolation: 'read_uncommitted' });
    out.push(...r.batches.filter((b) => b.baseOffset >= offset));
    const last = r.batches.at(-1);
    if (!last || nextOffsetOf(last) >= r.highWatermark) return out;
    offset = nextOffsetOf(last);
  }
}
