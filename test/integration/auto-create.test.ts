/**
 * auto.create.mirror.topics through the CLI and a real worker: the worker creates mirrors for the
 * source topics the filters select (one that existed before the worker started and one created
 * later), copies them, leaves other topics alone, reports them so `mirror list` shows them, and
 * `mirror pause` works on them (the CLI adopts the mirror into the config store).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const homes: ClinkHome[] = [];

beforeAll(() => {
  ({ source, destination } = getClusters());
});

afterEach(async () => {
  for (const home of homes.splice(0)) await home.run(['worker', 'stop', 'dr-link'], { env: { CLINK_STATE_DIR: `${home.configDir}/state` } });
});

async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
  await admin.disconnect();
}

async function produce(kafka: Kafka, topic: string, count: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: String(i), value: String(i) })) });
  await producer.disconnect();
}

async function highWatermarks(kafka: Kafka, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((o) => o.high);
  } finally {
    await admin.disconnect();
  }
}

interface ListRow {
  mirror_topic_name: string;
  source_topic_name: string;
  mirror_status: string;
}

describe('auto-created mirror topics', () => {
  it('mirrors the selected topics, new ones included, and they can be paused', async () => {
    const home = clinkHome(tempDir());
    homes.push(home);
    const env = { CLINK_STATE_DIR: `${home.configDir}/state` };
    const run: ClinkHome['run'] = (args, options = {}) => home.run(args, { ...options, env: { ...env, ...options.env } });
    const prefix = uniqueName('auto');
    const existing = `${prefix}-existing`;
    const later = `${prefix}-later`;
    const other = uniqueName('not-auto');
    await createTopic(kafkaFor('source'), existing, 2);
    await createTopic(kafkaFor('source'), other, 1);
    await produce(kafkaFor('source'), existing, 20);
    await produce(kafkaFor('source'), other, 5);

    expect((await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap])).exitCode).toBe(0);
    const filters = JSON.stringify({ topicFilters: [{ name: prefix, patternType: 'PREFIXED', filterType: 'INCLUDE' }] });
    const link = await run(['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap, '--config',
      `auto.create.mirror.topics.enable=true,auto.create.mirror.topics.filters=${filters},topic.config.sync.ms=500`, '--no-start']);
    expect(link.stderr).toBe('');
    expect(link.exitCode).toBe(0);
    const start = await run(['worker', 'start', 'dr-link']);
    expect(start.exitCode).toBe(0);

    const listed = async (): Promise<ListRow[]> => {
      const r = await run(['mirror', 'list', '-o', 'json']);
      expect(r.exitCode).toBe(0);
      return JSON.parse(r.stdout) as ListRow[];
    };
    await waitFor(async () => (await listed()).some((r) => r.mirror_topic_name === existing) || undefined, { timeoutMs: 30_000, message: 'the existing topic was not mirrored automatically' });

    await createTopic(kafkaFor('source'), later, 1);
    await produce(kafkaFor('source'), later, 7);
    await waitFor(async () => (await listed()).some((r) => r.mirror_topic_name === later) || undefined, { timeoutMs: 30_000, message: 'the new topic was not mirrored automatically' });

    for (const topic of [existing, later]) {
      const expected = await highWatermarks(kafkaFor('source'), topic);
      await waitFor(async () => JSON.stringify(await highWatermarks(kafkaFor('destination'), topic)) === JSON.stringify(expected) || undefined, {
        timeoutMs: 30_000,
        message: `${topic} was not copied`,
      });
    }
    const rows = await listed();
    expect(rows.find((r) => r.mirror_topic_name === existing)).toMatchObject({ source_topic_name: existing, mirror_status: 'ACTIVE' });
    expect(rows.some((r) => r.mirror_topic_name === other)).toBe(false);
    expect(await highWatermarks(kafkaFor('destination'), other)).toEqual([]);

    const describe = await run(['mirror', 'describe', later, '--link', 'dr-link', '-o', 'json']);
    expect(describe.exitCode).toBe(0);
    // Dry runs see auto-created mirrors without adopting them into the config store.
    const storeBefore = fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8');
    for (const op of ['promote', 'failover']) {
      const dry = await run(['mirror', op, later, '--link', 'dr-link', '--dry-run', '-o', 'json']);
      expect(dry.stderr, op).toBe('');
      expect(dry.exitCode, op).toBe(0);
      expect((JSON.parse(dry.stdout) as { mirrors: Array<{ mirror_topic_name: string; partition_mirror_lag: number }> }).mirrors).toEqual([expect.objectContaining({ mirror_topic_name: later, partition_mirror_lag: 0 })]);
    }
    expect(fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8')).toBe(storeBefore);
    const pause = await run(['mirror', 'pause', later, '--link', 'dr-link']);
    expect(pause.stderr).toBe('');
    expect(pause.exitCode).toBe(0);
    await waitFor(async () => (await listed()).find((r) => r.mirror_topic_name === later)?.mirror_status === 'PAUSED' || undefined, { timeoutMs: 15_000, message: 'the auto mirror was not paused' });
    expect((await listed()).find((r) => r.mirror_topic_name === existing)?.mirror_status).toBe('ACTIVE');

    // The worker's auto-created mirrors survive a restart (its own file, read back at start).
    expect((await run(['worker', 'stop', 'dr-link'])).exitCode).toBe(0);
    await produce(kafkaFor('source'), existing, 10);
    expect((await run(['worker', 'start', 'dr-link'])).exitCode).toBe(0);
    const expected = await highWatermarks(kafkaFor('source'), existing);
    await waitFor(async () => JSON.stringify(await highWatermarks(kafkaFor('destination'), existing)) === JSON.stringify(expected) || undefined, {
      timeoutMs: 30_000,
      message: `${existing} was not copied after the worker restarted`,
    });
    await waitFor(async () => (await listed()).find((r) => r.mirror_topic_name === existing)?.mirror_status === 'ACTIVE' || undefined, { timeoutMs: 15_000, message: 'the auto mirror is not listed after the restart' });
    expect((await listed()).find((r) => r.mirror_topic_name === later)?.mirror_status).toBe('PAUSED');
  });
});
