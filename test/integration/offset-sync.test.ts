/**
 * The consumer offset sync task, driven in-process with real link, cluster and mirror records against
 * the harness clusters. Each test builds its own "mirror": a source topic and a destination topic that
 * received the same records in the same partitions, so offsets match as they do under a real mirror.
 * Invariants checked: offsets arrive within 3 sync intervals, only for selected groups, never above
 * the destination high watermark, never into a group with members on the destination, never for a
 * STOPPED mirror, equal offsets are not rewritten; names map through the link prefix.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Admin } from 'kafkajs';
import { FAST_CONSUMER, getClusters, kafkaFor, uniqueName, withAdmin, type TestClusters } from '../helpers/kafka.js';
import type { ClusterRecord } from '../../src/core/model/cluster.js';
import type { LinkRecord } from '../../src/core/model/link.js';
import type { DesiredMirrorState, MirrorRecord } from '../../src/core/model/mirror.js';
import type { SyncStatus } from '../../src/core/model/sync.js';
import type { LinkEngine } from '../../src/replication/engine-api.js';
import { RawCluster } from '../../src/kafka/raw/index.js';
import { commitOffsetsAsAdmin, GROUP_IN_USE_CODES } from '../../src/replication/offset-commit.js';
import { createOffsetSyncTask } from '../../src/replication/offset-sync.js';
import { waitFor } from '../../src/util/wait-for.js';

const SYNC_MS = 500;
const WITHIN_3_INTERVALS = 3 * SYNC_MS;
let clusters: TestClusters;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(() => {
  clusters = getClusters();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const filters = (prefix: string) => JSON.stringify({ groupFilters: [{ name: prefix, patternType: 'PREFIXED', filterType: 'INCLUDE' }] });

function records(configs: Record<string, string>, destinationBootstrap = clusters.destination.bootstrap) {
  const now = new Date().toISOString();
  const link: LinkRecord = {
    name: uniqueName('link'), linkId: 'test-link-id', destination: 'dr', sourceBootstrapServers: clusters.source.bootstrap,
    sourceClientConfig: {}, configs: { 'consumer.offset.sync.enable': 'true', 'consumer.offset.sync.ms': String(SYNC_MS), ...configs }, createdAt: now, updatedAt: now,
  };
  const destination: ClusterRecord = { name: 'dr', bootstrapServers: destinationBootstrap, clientConfig: {}, createdAt: now };
  const mirror = (sourceTopic: string, mirrorTopic = sourceTopic, desiredState: DesiredMirrorState = 'ACTIVE'): MirrorRecord => ({
    link: link.name, mirrorTopic, sourceTopic, desiredState, partitions: 1, configOverrides: {}, createdAt: now, stateChangedAtMs: Date.now(),
  });
  return { link, destination, mirror };
}

/** A running task with what it reported and logged. */
function startTask() {
  const statuses: SyncStatus[] = [];
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-offset-sync-'));
  const task: LinkEngine = createOffsetSyncTask({
    env: process.env, stateDir,
    log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') },
    report: () => undefined, reportLinkError: () => undefined,
    reportSync: (name, status) => {
      expect(name).toBe('consumer_offset_sync');
      statuses.push(status);
    },
  });
  cleanups.push(() => task.stop());
  const last = () => statuses.at(-1);
  /** Resolves once `n` passes have completed after now (a pass reports lastRunAtMs when it ends). */
  const passes = async (n: number, timeoutMs = n * SYNC_MS * 4 + 5000) => {
    const since = Date.now();
    await waitFor(() => statuses.filter((s) => (s.lastRunAtMs ?? 0) >= since).length >= n, { timeoutMs, intervalMs: 20, message: `${n} passes did not complete` });
  };
  return { task, statuses, logs, last, passes, stateDir };
}

/** Source and destination topics with the same `count` records in each partition (destination: `destCount`). */
async function mirrorPair(sourceTopic: string, mirrorTopic: string, partitions = 1, count = 10, destCount = count): Promise<void> {
  for (const [side, topic, n] of [['source', sourceTopic, count], ['destination', mirrorTopic, destCount]] as const) {
    await withAdmin(side, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }));
    const producer = kafkaFor(side).producer();
    await producer.connect();
    for (let p = 0; p < partitions; p++) {
      if (n > 0) await producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ partition: p, value: `record-${i}` })) });
    }
    await producer.disconnect();
  }
}

async function rawCluster(side: 'source' | 'destination'): Promise<RawCluster> {
  const raw = new RawCluster({ brokers: [clusters[side].bootstrap], requestTimeout: 10_000 });
  await raw.connect();
  cleanups.push(() => raw.close());
  return raw;
}

/** Commits like a consumer that stopped after `offset` records would have (non-member commit). */
async function commitOnSource(raw: RawCluster, group: string, topic: string, offset: number, partition = 0): Promise<void> {
  const [result] = await commitOffsetsAsAdmin(raw, () => raw.leaderFor(topic, partition), group, [{ topic, partition, offset }]);
  expect(result?.errorCode).toBe(0);
}

/** The group's committed offset (-1: none), retrying while the coordinator moves or loads (fresh clusters). */
async function committed(admin: Admin, group: string, topic: string, partition = 0): Promise<number> {
  return waitFor(async () => {
    try {
      const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return Number(offsets.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable) return undefined;
      throw error;
    }
  }, { timeoutMs: 10_000, message: `cannot read the offsets of ${group}` });
}

async function destinationOffset(group: string, topic: string, partition = 0): Promise<number> {
  return withAdmin('destination', (admin) => committed(admin, group, topic, partition));
}

async function waitForOffset(group: string, topic: string, expected: number, timeoutMs = WITHIN_3_INTERVALS): Promise<number> {
  const began = Date.now();
  await waitFor(async () => (await destinationOffset(group, topic)) === expected, {
    timeoutMs, intervalMs: 25, message: `offset ${expected} of ${group} on ${topic} did not reach the destination within ${timeoutMs} ms`,
  });
  return Date.now() - began;
}

describe('consumer offset sync', () => {
  it('copies the offset of a group that consumed 5 of 10 records within 3 intervals, and writes it once', async () => {
    const topic = uniqueName('orders');
    const group = uniqueName('grp');
    await mirrorPair(topic, topic);
    const { link, destination, mirror } = records({ 'consumer.offset.group.filters': filters(group) });
    const t = startTask();
    await t.task.apply({ link, destination, mirrors: [mirror(topic)] });
    await t.passes(1);

    const consumer = kafkaFor('source').consumer({ groupId: group, ...FAST_CONSUMER });
    cleanups.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const five = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          if (message.offset !== '4') return;
          await consumer.commitOffsets([{ topic, partition, offset: '5' }]);
          resolve();
        },
      });
    });
    await five;
    await consumer.disconnect();
    expect(await withAdmin('source', (admin) => committed(admin, group, topic))).toBe(5);

    await waitForOffset(group, topic, 5);
    await t.passes(3);
    expect(t.last()).toMatchObject({ enabled: true, groups: 1, partitions: 1 });
    expect(t.last()?.error).toBeUndefined();
    const writes = t.logs.filter((l) => l.message === 'synced consumer group offsets');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.fields).toMatchObject({ written: 1 });
  });

  it('leaves groups outside the filters alone', async () => {
    const topic = uniqueName('orders');
    const group = uniqueName('grp');
    const other = uniqueName('other');
    await mirrorPair(topic, topic);
    const src = await rawCluster('source');
    await commitOnSource(src, other, topic, 6);
    await commitOnSource(src, group, topic, 3);
    const { link, destination, mirror } = records({
      'consumer.offset.group.filters': JSON.stringify({ groupFilters: [
        { name: group, patternType: 'LITERAL', filterType: 'INCLUDE' }, { name: other, patternType: 'LITERAL', filterType: 'EXCLUDE' },
      ] }),
    });
    const t = startTask();
    await t.task.apply({ link, destination, mirrors: [mirror(topic)] });
    await waitForOffset(group, topic, 3);
    await t.passes(3);
    expect(await destinationOffset(other, topic)).toBe(-1);
  });

  it('never writes a group that has a live member on the destination, and syncs it once the member left', async () => {
    const topic = uniqueName('orders');
    const group = uniqueName('grp');
    await mirrorPair(topic, topic);
    const consumer = kafkaFor('destination').consumer({ groupId: group, ...FAST_CONSUMER });
    cleanups.push(() => consumer.disconnect());
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachMessage: async () => undefined });
    await joined;

    await commitOnSource(await rawCluster('source'), group, topic, 5);
    const { link, destination, mirror } = records({ 'consumer.offset.group.filters': filters(group) });
    const t = startTask();
    await t.task.apply({ link, destination, mirrors: [mirror(topic)] });
    await t.passes(3);
    expect(await destinationOffset(group, topic)).toBe(-1);
    expect(t.logs.some((l) => l.message.includes(`"${group}": it is active on the destination`))).toBe(true);
    // Should the group become active between the check and the commit, the broker refuses the commit.
    const dst = await rawCluster('destination');
    const [refused] = await commitOffsetsAsAdmin(dst, () => dst.leaderFor(topic, 0), group, [{ topic, partition: 0, offset: 5 }]);
    expect(GROUP_IN_USE_CODES.has(refused?.errorCode ?? 0)).toBe(true);
    expect(await destinationOffset(group, topic)).toBe(-1);

    await consumer.disconnect();
    await waitForOffset(group, topic, 5, WITHIN_3_INTERVALS + 2000);
  });

  it('caps an offset at the destination high watermark until the mirror has caught up', async () => {
    const topic = uniqueName('orders');
    const group = uniqueName('grp');
    await mirrorPair(topic, topic, 1, 10, 7);
    await commitOnSource(await rawCluster('source'), group, topic, 10);
    const { link, destination, mirror } = records({ 'consumer.offset.group.filters': filters(group) });
    const t = startTask();
    await t.task.apply({ link, destination, mirrors: [mirror(topic)] });
    await waitForOffset(group, topic, 7);
    await t.passes(2);
    expect(await destinationOffset(group, topic)).toBe(7);

    const producer = kafkaFor('destination').producer();
    await producer.connect();
    await producer.send({ topic, messages: [7, 8, 9].map((i) => ({ partition: 0, value: `record-${i}` })) });
    await producer.disconnect();
    await waitForOffset(group, topic, 10);
  });

  it('stops syncing a mirror once it is STOPPED', async () => {
    const topic = uniqueName('orders');
    const group = uniqueName('grp');
    await mirrorPair(topic, topic);
    const src = await rawCluster('source');
    await commitOnSource(src, group, topic, 5);
    const { link, destination, mirror } = records({ 'consumer.offset.group.filters': filters(group) });
    const t = startTask();
    await t.task.apply({ link, destination, mirrors: [mirror(topic)] });
    await waitForOffset(group, topic, 5);

    await t.task.apply({ link, destination, mirrors: [mirror(topic, topic, 'STOPPED')] });
    await commitOnSource(src, group, topic, 8);
    await t.passes(3);
    expect(await destinationOffset(group, topic)).toBe(5);
    expect(t.last()).toMatchObject({ enabled: true, groups: 0, partitions: 0 });
  });

  it('maps topic and group names through cluster.link.prefix and consumer.group.prefix.enable', async () => {
    const prefix = `${uniqueName('dr')}.`;
    const topic = uniqueName('orders');
    const group = uniqueName('grp');
    await mirrorPair(topic, prefix + topic);
    await commitOnSource(await rawCluster('source'), group, topic, 4);
    const { link, destination, mirror } = records({
      'consumer.offset.group.filters': filters(group), 'cluster.link.prefix': prefix, 'consumer.group.prefix.enable': 'true',
    });
    const t = startTask();
    await t.task.apply({ link, destination, mirrors: [mirror(topic, prefix + topic)] });
    await waitForOffset(prefix + group, prefix + topic, 4);
    expect(await destinationOffset(group, prefix + topic)).toBe(-1);
  });

  it('reports an unreachable destination, backs off, recovers on a good snapshot and stops promptly', async () => {
    const topic = uniqueName('orders');
    const group = uniqueName('grp');
    await mirrorPair(topic, topic);
    await commitOnSource(await rawCluster('source'), group, topic, 2);
    const bad = records({ 'consumer.offset.group.filters': filters(group) }, '127.0.0.1:1');
    const t = startTask();
    await t.task.apply({ link: bad.link, destination: bad.destination, mirrors: [bad.mirror(topic)] });
    await waitFor(() => t.last()?.error, { timeoutMs: 20_000, message: 'no error was reported' });
    expect(t.last()?.error).toMatch(/destination cluster "dr" at 127\.0\.0\.1:1/);
    expect(t.logs.some((l) => l.level === 'warn' && /retrying in/.test(l.message))).toBe(true);
    // Backoff: the pauses between failed passes grow (1 s, 2 s, … for a 500 ms interval).
    const failed = () => t.statuses.filter((st) => st.error).map((st) => st.lastRunAtMs ?? 0);
    await waitFor(() => failed().length >= 3, { timeoutMs: 15_000, message: 'fewer than 3 failed passes' });
    const [a = 0, b = 0, c = 0] = failed();
    expect(b - a).toBeGreaterThanOrEqual(2 * SYNC_MS - 50);
    expect(c - b).toBeGreaterThanOrEqual(4 * SYNC_MS - 50);

    const good = { ...bad, destination: { ...bad.destination, bootstrapServers: clusters.destination.bootstrap } };
    await t.task.apply({ link: good.link, destination: good.destination, mirrors: [good.mirror(topic)] });
    await waitForOffset(group, topic, 2, 10_000);
    await waitFor(() => t.last()?.error === undefined && t.last()?.lastSuccessAtMs, { timeoutMs: 5000, message: 'the error was not cleared' });

    const began = Date.now();
    await t.task.stop();
    expect(Date.now() - began).toBeLessThan(4000);
  });

  it('measures one pass over 100 groups × 6 partitions', async () => {
    const topic = uniqueName('bench');
    const prefix = uniqueName('bench-grp');
    await mirrorPair(topic, topic, 6, 20);
    const src = await rawCluster('source');
    const groups = Array.from({ length: 100 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    await Promise.all(groups.map(async (g, i) => {
      const offsets = Array.from({ length: 6 }, (_, p) => ({ topic, partition: p, offset: (i + p) % 21 }));
      const results = await commitOffsetsAsAdmin(src, () => src.leaderFor(topic, 0), g, offsets);
      expect(results.every((r) => r.errorCode === 0)).toBe(true);
    }));
    const { link, destination, mirror } = records({ 'consumer.offset.group.filters': filters(prefix), 'consumer.offset.sync.ms': '60000' });
    const t = startTask();
    const began = Date.now();
    await t.task.apply({ link, destination, mirrors: [mirror(topic)] });
    await waitFor(() => t.last()?.lastSuccessAtMs, { timeoutMs: 30_000, message: 'the first pass did not complete' });
    const firstMs = Date.now() - began;
    expect(t.last()).toMatchObject({ groups: 100, partitions: 600 });
    const written = t.logs.find((l) => l.message === 'synced consumer group offsets')?.fields;
    // A second pass with nothing to write (woken by re-applying a changed snapshot).
    await t.task.apply({ link: { ...link, configs: { ...link.configs, 'consumer.offset.sync.ms': '59000' } }, destination, mirrors: [mirror(topic)] });
    await waitFor(() => t.logs.find((l) => l.message === 'consumer group offsets already in sync')?.fields, { timeoutMs: 30_000, message: 'no second pass' });
    const steady = t.logs.find((l) => l.message === 'consumer group offsets already in sync')?.fields;
    console.info(`offset sync, 100 groups x 6 partitions: first pass ${firstMs} ms incl. connecting (${JSON.stringify(written)}), steady pass ${JSON.stringify(steady)}`);
    expect(await destinationOffset(groups[42] as string, topic)).toBe(42 % 21);
  }, 120_000);
});
