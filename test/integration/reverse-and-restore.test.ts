/**
 * Bidirectional links against the real brokers, through the CLI and a real worker: the reverse round
 * trip (A→B, promote, reverse-and-start, records produced on B appear on A at the same offsets, verify
 * identical both ways), reverse refused when the histories differ, truncate-and-restore with divergent
 * tails on both clusters (A ends up mirroring B exactly and the set-aside topic holds exactly A's
 * un-mirrored records), and the transitions the state machine forbids (exit 5, nothing changed).
 * Cluster A is the harness's "source" cluster (the link's remote), B its "destination" ("dr").
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';
import { KafkaRecordReader } from '../../src/kafka/record-reader.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const homes: ClinkHome[] = [];
const LINK = 'bidi-link';

beforeAll(() => {
  ({ source, destination } = getClusters());
});

afterEach(async () => {
  for (const home of homes.splice(0)) await home.run(['worker', 'stop', LINK], { env: { CLINK_STATE_DIR: `${home.configDir}/state` } });
});

type Run = ClinkHome['run'];

async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
  await admin.disconnect();
}

async function produce(kafka: Kafka, topic: string, partition: number, values: string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ partition, key: `k-${value}`, value, headers: { origin: value } })) });
  await producer.disconnect();
}

/** Every record of a partition as "offset:value", read with clink's record reader (both clusters are PLAINTEXT). */
async function recordsOf(cluster: ClusterInfo, topic: string, partition: number): Promise<string[]> {
  const reader = await new KafkaRecordReader(process.env).open({ bootstrapServers: cluster.bootstrap, clientConfig: {}, label: 'test' });
  const out: string[] = [];
  try {
    for await (const chunk of reader.read(topic, partition, 0n, 1_000_000n)) {
      for (const entry of chunk) if (entry.kind === 'record') out.push(`${entry.offset}:${entry.value?.toString() ?? 'null'}`);
    }
  } finally {
    await reader.close();
  }
  return out;
}

async function highWatermarks(kafka: Kafka, topic: string): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  } finally {
    await admin.disconnect();
  }
}

async function topicExists(kafka: Kafka, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

interface Setup {
  home: ClinkHome;
  run: Run;
  topic: string;
}

/** A bidirectional link and an ACTIVE mirror on B of a topic on A, caught up with `perPartition` records per partition. */
async function mirrored(partitions: number, perPartition: number): Promise<Setup> {
  const home = clinkHome(tempDir());
  homes.push(home);
  const run: Run = (args, options = {}) => home.run(args, { ...options, env: { CLINK_STATE_DIR: `${home.configDir}/state`, ...options.env } });
  expect((await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap])).exitCode).toBe(0);
  const link = await run(['link', 'create', LINK, '--remote-bootstrap-server', source.bootstrap, '--config', 'link.mode=BIDIRECTIONAL']);
  expect(link.stderr).toBe('');
  expect(link.stdout).toContain('"link.mode"="BIDIRECTIONAL"');
  const topic = uniqueName('bidi-topic');
  await createTopic(kafkaFor('source'), topic, partitions);
  for (let p = 0; p < partitions; p++) await produce(kafkaFor('source'), topic, p, Array.from({ length: perPartition }, (_, i) => `a${p}-${i}`));
  const mirror = await run(['mirror', 'create', topic, '--link', LINK]);
  expect(mirror.stderr).toBe('');
  await caughtUp(run, topic, 'ACTIVE');
  return { home, run, topic };
}

async function describe_(run: Run, topic: string): Promise<Array<{ partition_mirror_lag: number; mirror_status: string }>> {
  const r = await run(['mirror', 'describe', topic, '--link', LINK, '-o', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Array<{ partition_mirror_lag: number; mirror_status: string }>;
}

async function caughtUp(run: Run, topic: string, status: string): Promise<void> {
  await waitFor(async () => {
    const rows = await describe_(run, topic);
    return rows.every((r) => r.partition_mirror_lag === 0 && r.mirror_status === status) || undefined;
  }, { timeoutMs: 45_000, intervalMs: 300, message: `mirror ${topic} did not reach lag 0 in status ${status}` });
}

const storeText = (home: ClinkHome): string => fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8');

describe('bidirectional links: reverse-and-start', () => {
  it('reverses after promote: records produced on B appear on A at the same offsets, verify is identical both ways', async () => {
    const { home, run, topic } = await mirrored(2, 10);
    const forward = await run(['mirror', 'verify', topic, '--link', LINK, '-o', 'json']);
    expect(forward.exitCode).toBe(0);
    expect((JSON.parse(forward.stdout) as Array<{ records_compared: number }>).map((r) => r.records_compared)).toEqual([10, 10]);

    // A dry run of an ACTIVE mirror validates and changes nothing.
    const before = storeText(home);
    const dry = await run(['mirror', 'reverse-and-start', topic, '--link', LINK, '--dry-run', '-o', 'json']);
    expect(dry.stderr).toBe('');
    expect(dry.exitCode).toBe(0);
    expect(storeText(home)).toBe(before);

    expect((await run(['mirror', 'promote', topic, '--link', LINK, '--timeout', '30s'])).exitCode).toBe(0);
    await produce(kafkaFor('destination'), topic, 0, ['b0-before']); // written on B between promote and reverse

    const reverse = await run(['mirror', 'reverse-and-start', topic, '--link', LINK, '-o', 'json']);
    expect(reverse.stderr).toBe('');
    expect(reverse.exitCode).toBe(0);
    const rows = JSON.parse(reverse.stdout) as Array<{ mirror_topic_name: string; partition: number; error_message: string }>;
    expect(rows.map((r) => [r.mirror_topic_name, r.partition, r.error_message])).toEqual([[topic, 0, ''], [topic, 1, '']]);

    await produce(kafkaFor('destination'), topic, 0, ['b0-after-1', 'b0-after-2']);
    await produce(kafkaFor('destination'), topic, 1, ['b1-after']);
    await caughtUp(run, topic, 'ACTIVE');
    expect(await highWatermarks(kafkaFor('source'), topic)).toEqual([13, 11]);
    for (const p of [0, 1]) expect(await recordsOf(source, topic, p)).toEqual(await recordsOf(destination, topic, p));
    expect((await recordsOf(source, topic, 0)).slice(10)).toEqual(['10:b0-before', '11:b0-after-1', '12:b0-after-2']);

    const back = await run(['mirror', 'verify', topic, '--link', LINK, '-o', 'json']);
    expect(back.stderr).toBe('');
    expect(back.exitCode).toBe(0);
    expect((JSON.parse(back.stdout) as Array<{ result: string; records_compared: number }>).map((r) => [r.result, r.records_compared])).toEqual([['identical', 13], ['identical', 11]]);

    // The reversed mirror moves through the same states: promote it and reverse it back to B.
    expect((await run(['mirror', 'promote', topic, '--link', LINK, '--timeout', '30s'])).exitCode).toBe(0);
    const again = await run(['mirror', 'reverse-and-pause', topic, '--link', LINK]);
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    expect((await describe_(run, topic)).map((r) => r.mirror_status)).toEqual(['PAUSED', 'PAUSED']);
    await produce(kafkaFor('source'), topic, 1, ['a1-late']);
    expect((await run(['mirror', 'resume', topic, '--link', LINK])).exitCode).toBe(0);
    await caughtUp(run, topic, 'ACTIVE');
    expect(await recordsOf(destination, topic, 1)).toEqual(await recordsOf(source, topic, 1));
    expect((await recordsOf(destination, topic, 1)).at(-1)).toBe('11:a1-late');
  });

  it('reverses an ACTIVE mirror in one step: it is promoted at lag 0 first, then the old source mirrors it', async () => {
    const { run, topic } = await mirrored(1, 8);
    const r = await run(['mirror', 'reverse-and-start', topic, '--link', LINK, '--timeout', '30s']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${topic} +\\| +0 \\| +0 \\|`));
    await produce(kafkaFor('destination'), topic, 0, ['b-1', 'b-2']);
    await caughtUp(run, topic, 'ACTIVE');
    expect((await recordsOf(source, topic, 0)).slice(-3)).toEqual(['7:a0-7', '8:b-1', '9:b-2']);
    const list = JSON.parse((await run(['mirror', 'list', '--link', LINK, '-o', 'json'])).stdout) as Array<{ mirror_topic_name: string; mirror_status: string }>;
    expect(list).toEqual([expect.objectContaining({ mirror_topic_name: topic, mirror_status: 'ACTIVE' })]);
  });

  it('is refused with exit 5 when the old source holds records the other topic does not, and changes nothing', async () => {
    const { home, run, topic } = await mirrored(1, 5);
    expect((await run(['mirror', 'failover', topic, '--link', LINK])).exitCode).toBe(0);
    await produce(kafkaFor('source'), topic, 0, ['a-unmirrored-1', 'a-unmirrored-2']);
    const before = storeText(home);
    const r = await run(['mirror', 'reverse-and-start', topic, '--link', LINK]);
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toContain('partition 0 differs at offset 5');
    expect(r.stderr).toMatch(/^Error: /);
    expect(storeText(home)).toBe(before);
    expect(await highWatermarks(kafkaFor('source'), topic)).toEqual([7]);
  });
});

describe('bidirectional links: truncate-and-restore', () => {
  it('sets aside A\'s un-mirrored tail, rebuilds A as an exact mirror of B, and the dry run only counts', async () => {
    const { home, run, topic } = await mirrored(2, 10);
    // Unplanned failover: B takes writes while A, unknown to B, also got more.
    expect((await run(['mirror', 'failover', topic, '--link', LINK])).exitCode).toBe(0);
    await produce(kafkaFor('source'), topic, 0, ['lost-0-a', 'lost-0-b', 'lost-0-c', 'lost-0-d']);
    await produce(kafkaFor('source'), topic, 1, ['lost-1-a', 'lost-1-b', 'lost-1-c']);
    await produce(kafkaFor('destination'), topic, 0, ['new-0-a', 'new-0-b', 'new-0-c', 'new-0-d', 'new-0-e', 'new-0-f']);
    await produce(kafkaFor('destination'), topic, 1, ['new-1-a', 'new-1-b']);

    const before = storeText(home);
    const dry = await run(['mirror', 'truncate-and-restore', topic, '--link', LINK, '--dry-run', '--include-partitions', '-o', 'json']);
    expect(dry.stderr).toBe('');
    expect(dry.exitCode).toBe(0);
    const planned = JSON.parse(dry.stdout) as Array<{ partition: number; messages_truncated: number; offset_truncated_to: string; set_aside_topic: string; records_set_aside: number }>;
    expect(planned.map((r) => [r.partition, r.messages_truncated, r.offset_truncated_to, r.records_set_aside])).toEqual([[0, 4, '10', 4], [1, 3, '10', 3]]);
    const plannedName = planned[0]!.set_aside_topic;
    expect(plannedName).toMatch(new RegExp(`^${topic}\\.set-aside\\.\\d{8}T\\d{6}Z$`));
    expect(storeText(home)).toBe(before);
    expect(await highWatermarks(kafkaFor('source'), topic)).toEqual([14, 13]);
    expect(await topicExists(kafkaFor('source'), plannedName)).toBe(false);

    const r = await run(['mirror', 'truncate-and-restore', topic, '--link', LINK, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const [row] = JSON.parse(r.stdout) as Array<{ mirror_topic_name: string; messages_truncated: number; set_aside_topic: string; records_set_aside: number; error_message: string }>;
    expect(row).toMatchObject({ mirror_topic_name: topic, messages_truncated: 7, records_set_aside: 7, error_message: '' });
    const setAside = row!.set_aside_topic;
    expect(setAside.startsWith(`${topic}.set-aside.`)).toBe(true);

    // The set-aside topic holds exactly A's un-mirrored records, partition for partition.
    expect((await recordsOf(source, setAside, 0)).map((x) => x.split(':')[1])).toEqual(['lost-0-a', 'lost-0-b', 'lost-0-c', 'lost-0-d']);
    expect((await recordsOf(source, setAside, 1)).map((x) => x.split(':')[1])).toEqual(['lost-1-a', 'lost-1-b', 'lost-1-c']);

    // A now mirrors B exactly, offsets aligned.
    await caughtUp(run, topic, 'ACTIVE');
    expect(await highWatermarks(kafkaFor('source'), topic)).toEqual([16, 12]);
    for (const p of [0, 1]) expect(await recordsOf(source, topic, p)).toEqual(await recordsOf(destination, topic, p));
    const verify = await run(['mirror', 'verify', topic, '--link', LINK, '-o', 'json']);
    expect(verify.exitCode).toBe(0);
    expect((JSON.parse(verify.stdout) as Array<{ records_compared: number }>).map((v) => v.records_compared)).toEqual([16, 12]);

    // New writes on B keep flowing to A.
    await produce(kafkaFor('destination'), topic, 1, ['new-1-c']);
    await caughtUp(run, topic, 'ACTIVE');
    expect((await recordsOf(source, topic, 1)).at(-1)).toBe('12:new-1-c');
  });
});

describe('bidirectional links: refusals', () => {
  it('refuses every transition the state machine forbids with exit 5 and changes nothing', async () => {
    const { home, run, topic } = await mirrored(1, 3);
    const before = storeText(home);
    const refusals: Array<[string, string]> = [
      ['truncate-and-restore', 'ACTIVE'],
      ['resume', 'ACTIVE'],
    ];
    for (const [op, status] of refusals) {
      const r = await run(['mirror', op, topic, '--link', LINK]);
      expect(r.exitCode, op).toBe(5);
      expect(r.stderr).toContain(`is ${status} and cannot be`);
    }
    expect(storeText(home)).toBe(before);
    expect((await run(['mirror', 'pause', topic, '--link', LINK])).exitCode).toBe(0);
    const paused = storeText(home);
    for (const op of ['reverse-and-start', 'reverse-and-pause', 'truncate-and-restore', 'promote', 'pause']) {
      const r = await run(['mirror', op, topic, '--link', LINK]);
      expect(r.exitCode, op).toBe(5);
      expect(r.stderr).toContain('is PAUSED and cannot be');
    }
    expect(storeText(home)).toBe(paused);
    expect((await run(['mirror', 'failover', topic, '--link', LINK])).exitCode).toBe(0);
    const stopped = storeText(home);
    for (const op of ['failover', 'promote', 'pause', 'resume']) {
      const r = await run(['mirror', op, topic, '--link', LINK]);
      expect(r.exitCode, op).toBe(5);
      expect(r.stderr).toContain('is STOPPED and cannot be');
    }
    expect(storeText(home)).toBe(stopped);
    expect((await run(['mirror', 'reverse-and-start', 'ghost', '--link', LINK])).exitCode).toBe(4);
  });

  it('refuses reverse and truncate-and-restore on a one-way link, and bad bidirectional link input', async () => {
    const home = clinkHome(tempDir());
    homes.push(home);
    const run: Run = (args, options = {}) => home.run(args, { ...options, env: { CLINK_STATE_DIR: `${home.configDir}/state`, ...options.env } });
    expect((await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap])).exitCode).toBe(0);
    const remoteWithoutMode = await run(['link', 'create', LINK, '--remote-bootstrap-server', source.bootstrap]);
    expect(remoteWithoutMode.exitCode).toBe(2);
    expect(remoteWithoutMode.stderr).toContain('--remote-bootstrap-server and --remote-cluster are for bidirectional links');
    const prefixed = await run(['link', 'create', LINK, '--remote-bootstrap-server', source.bootstrap, '--config', 'link.mode=BIDIRECTIONAL,cluster.link.prefix=dr.']);
    expect(prefixed.exitCode).toBe(2);
    expect(prefixed.stderr).toContain('cluster.link.prefix cannot be used with link.mode=BIDIRECTIONAL');
    expect((await run(['link', 'list', '-o', 'json'])).stdout.trim()).toBe('[]');

    expect((await run(['link', 'create', LINK, '--source-bootstrap-server', source.bootstrap])).exitCode).toBe(0);
    const topic = uniqueName('one-way');
    await createTopic(kafkaFor('source'), topic, 1);
    expect((await run(['mirror', 'create', topic, '--link', LINK, '--no-start'])).exitCode).toBe(0);
    expect((await run(['mirror', 'failover', topic, '--link', LINK])).exitCode).toBe(0);
    const before = storeText(home);
    for (const op of ['reverse-and-start', 'truncate-and-restore']) {
      const r = await run(['mirror', op, topic, '--link', LINK]);
      expect(r.exitCode, op).toBe(5);
      expect(r.stderr).toContain(`cluster link "${LINK}" is not bidirectional`);
      expect(r.stderr).toContain('Suggestions:');
    }
    expect(storeText(home)).toBe(before);
  });
});
