/**
 * `clink mirror failover` against the real brokers: a dry run shows the impact and changes nothing,
 * failover stops the mirror whatever the lag, works in seconds with a source that accepts
 * connections but never answers (like a SIGSTOPped broker), and the state machine refuses what it
 * must with exit 5.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { getClusters, kafkaFor, uniqueName, FAST_CONSUMER, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, type ClinkHome } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
let blackhole: net.Server;
let blackholeAddress: string;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  ({ source, destination } = getClusters());
  blackhole = net.createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
  blackholeAddress = `127.0.0.1:${(blackhole.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => blackhole.close(resolve));
});

async function sourceTopicWith(records: number): Promise<string> {
  const topic = uniqueName('dr-topic');
  const admin = kafkaFor('source').admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  await admin.disconnect();
  const producer = kafkaFor('source').producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: records }, (_, i) => ({ value: String(i + 1) })) });
  await producer.disconnect();
  return topic;
}

async function consumeOnSource(topic: string, group: string, count: number): Promise<void> {
  const consumer = kafkaFor('source').consumer({ groupId: group, ...FAST_CONSUMER });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await consumer.run({ autoCommit: false, eachMessage: async ({ message, partition }) => {
    seen += 1;
    if (seen <= count) await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
  } });
  await waitFor(() => seen >= count, { timeoutMs: 30_000, message: 'consumer did not read the records' });
  await consumer.disconnect();
}

async function homeWithMirror(topic: string, sourceBootstrap = source.bootstrap): Promise<ClinkHome> {
  const home = clinkHome();
  await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
  const link = await home.run(['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap]);
  expect(link.exitCode).toBe(0);
  const mirror = await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
  expect(mirror.stderr).toBe('');
  if (sourceBootstrap !== source.bootstrap) {
    const moved = await home.run(['link', 'configuration', 'update', 'dr-link', '--config', `bootstrap.servers=${sourceBootstrap}`]);
    expect(moved.exitCode).toBe(0);
  }
  return home;
}

function storeText(home: ClinkHome): string {
  return fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8');
}

describe('clink mirror failover', () => {
  it('--dry-run shows records left behind and the consumer groups that would re-read, and changes nothing', async () => {
    const topic = await sourceTopicWith(10);
    const group = uniqueName('cli-consumer');
    await consumeOnSource(topic, group, 5);
    const home = await homeWithMirror(topic);
    const before = storeText(home);
    const r = await home.run(['mirror', 'failover', topic, '--link', 'dr-link', '--dry-run', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { mirrors: Array<Record<string, unknown>>; consumer_groups: Array<Record<string, unknown>> };
    expect(out.mirrors).toEqual([{ mirror_topic_name: topic, partition: 0, partition_mirror_lag: 10, last_source_fetch_offset: 0, error_message: '', error_code: '' }]);
    expect(out.consumer_groups).toContainEqual({ group, mirror_topic_name: topic, partition: 0, source_offset: 5, destination_offset: -1, records_to_reread: -1 });
    expect(storeText(home)).toBe(before);
    const human = await home.run(['mirror', 'failover', topic, '--link', 'dr-link', '--dry-run']);
    expect(human.stdout).toContain('Consumer groups (records each would read again on the destination):');
    expect(human.stdout).toContain(group);
  });

  it('stops the mirror whatever the lag; the state machine then refuses failover, pause and resume with exit 5', async () => {
    const topic = await sourceTopicWith(3);
    const home = await homeWithMirror(topic);
    const r = await home.run(['mirror', 'failover', topic, '--link', 'dr-link']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${topic} +\\| +0 \\| +3 \\|`));
    const list = JSON.parse((await home.run(['mirror', 'list', '-o', 'json'])).stdout) as Array<{ mirror_status: string }>;
    expect(list[0]?.mirror_status).toBe('STOPPED');
    const before = storeText(home);
    for (const op of ['failover', 'pause', 'resume']) {
      const again = await home.run(['mirror', op, topic, '--link', 'dr-link']);
      expect(again.exitCode).toBe(5);
      expect(again.stderr).toMatch(new RegExp(`^Error: mirror topic "${topic}" is STOPPED and cannot be`));
    }
    expect(storeText(home)).toBe(before);
  });

  it('finishes within seconds when the source accepts connections but never answers', async () => {
    const topic = await sourceTopicWith(2);
    const home = await homeWithMirror(topic, blackholeAddress);
    const started = Date.now();
    const dry = await home.run(['mirror', 'failover', topic, '--link', 'dr-link', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('consumer group offsets on the source cluster could not be read');
    const r = await home.run(['mirror', 'failover', topic, '--link', 'dr-link', '-o', 'json']);
    expect(r.exitCode).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ partition: number; partition_mirror_lag: number }>;
    expect(rows).toEqual([expect.objectContaining({ partition: 0, partition_mirror_lag: -1 })]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('reports unknown topics and links', async () => {
    const topic = await sourceTopicWith(1);
    const home = await homeWithMirror(topic);
    expect((await home.run(['mirror', 'failover', 'ghost', '--link', 'dr-link'])).exitCode).toBe(4);
    expect((await home.run(['mirror', 'failover', topic, '--link', 'nope'])).exitCode).toBe(4);
    expect((await home.run(['mirror', 'failover', topic])).exitCode).toBe(2);
  });
});
