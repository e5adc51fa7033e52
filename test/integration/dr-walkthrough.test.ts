/**
 * Seed 002's disaster-recovery tutorial end to end, through the CLI and a real worker: a link with
 * consumer offset sync, a one-partition mirror, a consumer that read 5 of 10 records on the source,
 * failover, 5 more records produced on the DR cluster; the consumer resumes on the DR cluster and
 * reads exactly 6..15. Then promote and verify on a second mirror.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { getClusters, kafkaFor, uniqueName, FAST_CONSUMER, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const homes: ClinkHome[] = [];
const GROUP_FILTERS = '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}';

beforeAll(() => {
  ({ source, destination } = getClusters());
});

afterEach(async () => {
  for (const home of homes.splice(0)) await home.run(['worker', 'stop', 'dr-link'], { env: { CLINK_STATE_DIR: `${home.configDir}/state` } });
});

async function produce(kafka: Kafka, topic: string, values: number[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((v) => ({ value: String(v) })) });
  await producer.disconnect();
}

async function consume(kafka: Kafka, topic: string, group: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: group, ...FAST_CONSUMER });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message, partition }) => {
      if (seen.length >= count) return;
      seen.push(String(message.value));
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  await waitFor(() => seen.length >= count, { timeoutMs: 30_000, message: `consumer read only ${seen.length} of ${count} records` });
  await consumer.disconnect();
  return seen;
}

async function setUp(): Promise<{ home: ClinkHome; topic: string; run: ClinkHome['run'] }> {
  const home = clinkHome(tempDir());
  homes.push(home);
  const env = { CLINK_STATE_DIR: `${home.configDir}/state` };
  const run: ClinkHome['run'] = (args, options = {}) => home.run(args, { ...options, env: { ...env, ...options.env } });
  expect((await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap])).exitCode).toBe(0);
  const link = await run(['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap, '--config',
    `consumer.offset.sync.enable=true,consumer.offset.sync.ms=500,consumer.offset.group.filters=${GROUP_FILTERS}`]);
  expect(link.stderr).toBe('');
  const topic = uniqueName('dr-topic');
  const admin = kafkaFor('source').admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  await admin.disconnect();
  const mirror = await run(['mirror', 'create', topic, '--link', 'dr-link']);
  expect(mirror.stderr).toBe('');
  expect(mirror.exitCode).toBe(0);
  return { home, topic, run };
}

async function lagOf(run: ClinkHome['run'], topic: string): Promise<Array<{ partition_mirror_lag: number; mirror_status: string }>> {
  const r = await run(['mirror', 'describe', topic, '--link', 'dr-link', '-o', 'json']);
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as Array<{ partition_mirror_lag: number; mirror_status: string }>;
}

describe('disaster recovery walkthrough (seed 002)', () => {
  it('fails over and the consumer resumes on the DR cluster at exactly record 6', async () => {
    const { topic, run } = await setUp();
    const group = uniqueName('cli-consumer');
    await produce(kafkaFor('source'), topic, [1, 2, 3, 4, 5]);
    expect(await consume(kafkaFor('source'), topic, group, 5)).toEqual(['1', '2', '3', '4', '5']);
    await produce(kafkaFor('source'), topic, [6, 7, 8, 9, 10]);
    await waitFor(async () => {
      const rows = await lagOf(run, topic);
      return rows.every((r) => r.partition_mirror_lag === 0 && r.mirror_status === 'ACTIVE') || undefined;
    }, { timeoutMs: 30_000, message: 'the mirror did not catch up' });
    await waitFor(async () => {
      const admin = kafkaFor('destination').admin();
      await admin.connect();
      const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      await admin.disconnect();
      return offsets[0]?.partitions[0]?.offset === '5' || undefined;
    }, { timeoutMs: 30_000, message: 'the group offset was not synced to the DR cluster' });

    const dry = await run(['mirror', 'failover', topic, '--link', 'dr-link', '--dry-run', '-o', 'json']);
    expect(dry.exitCode).toBe(0);
    const failover = await run(['mirror', 'failover', topic, '--link', 'dr-link']);
    expect(failover.exitCode).toBe(0);
    expect((await lagOf(run, topic))[0]?.mirror_status).toBe('STOPPED');

    await produce(kafkaFor('destination'), topic, [11, 12, 13, 14, 15]);
    expect(await consume(kafkaFor('destination'), topic, group, 10)).toEqual(['6', '7', '8', '9', '10', '11', '12', '13', '14', '15']);
  });

  it('promotes at rest with equal group offsets, and verify finds the copy identical', async () => {
    const { topic, run } = await setUp();
    const group = uniqueName('promote-consumer');
    await produce(kafkaFor('source'), topic, Array.from({ length: 50 }, (_, i) => i));
    await consume(kafkaFor('source'), topic, group, 20);
    const verify = await waitFor(async () => {
      const r = await run(['mirror', 'verify', topic, '--link', 'dr-link', '-o', 'json']);
      return r.exitCode === 0 && (JSON.parse(r.stdout) as Array<{ records_compared: number }>)[0]?.records_compared === 50 ? r : undefined;
    }, { timeoutMs: 30_000, message: 'verify did not find 50 identical records' });
    expect(verify.exitCode).toBe(0);
    const promote = await run(['mirror', 'promote', topic, '--link', 'dr-link', '--timeout', '30s']);
    expect(promote.stderr).toBe('');
    expect(promote.exitCode).toBe(0);
    expect((await lagOf(run, topic))[0]?.mirror_status).toBe('STOPPED');
    const admin = kafkaFor('destination').admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    await admin.disconnect();
    expect(offsets[0]?.partitions[0]?.offset).toBe('20');
  });

  it('refuses to promote while a producer keeps writing, and leaves the mirror ACTIVE', async () => {
    const { topic, run } = await setUp();
    const producer = kafkaFor('source').producer();
    await producer.connect();
    let writing = true;
    const loop = (async () => {
      let i = 0;
      while (writing) await producer.send({ topic, messages: [{ value: String(i++) }] });
    })();
    try {
      const promote = await run(['mirror', 'promote', topic, '--link', 'dr-link', '--timeout', '3s']);
      expect(promote.exitCode).toBe(3);
      expect(promote.stderr).toContain('mirror lag did not reach 0 within 3000 ms, so nothing was promoted');
    } finally {
      writing = false;
      await loop;
      await producer.disconnect();
    }
    // the mirror was resumed: the worker reports it ACTIVE again and it catches up
    await waitFor(async () => {
      const rows = await lagOf(run, topic);
      return (rows[0]?.mirror_status === 'ACTIVE' && rows[0].partition_mirror_lag === 0) || undefined;
    }, { timeoutMs: 30_000, message: 'the mirror did not return to ACTIVE and catch up' });
  });
});
