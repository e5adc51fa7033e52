/**
 * `clink mirror create|list|describe|pause|resume` against the real brokers (workers not started
 * here: --no-start; copying is covered by the replication tests). Checks the topic the mirror gets,
 * live lag, the state machine, and that bad input changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, type ClinkHome } from '../helpers/run-clink.js';

let source: ClusterInfo;
let destination: ClusterInfo;

beforeAll(() => {
  ({ source, destination } = getClusters());
});

async function createSourceTopic(partitions: number, configs: Record<string, string> = {}, records = 0): Promise<string> {
  const topic = uniqueName('orders');
  const admin = kafkaFor('source').admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }] });
  await admin.disconnect();
  if (records > 0) {
    const producer = kafkaFor('source').producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: records }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % partitions })) });
    await producer.disconnect();
  }
  return topic;
}

async function destinationTopic(topic: string) {
  const admin = kafkaFor('destination').admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return undefined;
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
    const entries = Object.fromEntries((configs.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
    return { partitions: meta.topics[0]?.partitions.length ?? 0, configs: entries };
  } finally {
    await admin.disconnect();
  }
}

async function homeWithLink(extra: string[] = []): Promise<ClinkHome> {
  const home = clinkHome();
  expect((await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap])).exitCode).toBe(0);
  const r = await home.run(['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap, ...extra]);
  expect(r.stderr).toBe('');
  return home;
}

function storeText(home: ClinkHome): string {
  return fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8');
}

describe('clink mirror create', () => {
  it('creates the destination topic with the source partitions and synced configs', async () => {
    const home = await homeWithLink();
    const topic = await createSourceTopic(3, { 'retention.ms': '123456789', 'cleanup.policy': 'delete' });
    const r = await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start', '--config', 'follower.replication.throttled.replicas=*']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Created mirror topic "${topic}".\n`);
    const created = await destinationTopic(topic);
    expect(created?.partitions).toBe(3);
    expect(created?.configs['retention.ms']).toBe('123456789');
    const list = JSON.parse((await home.run(['mirror', 'list', '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(list).toEqual([
      expect.objectContaining({ link_name: 'dr-link', mirror_topic_name: topic, source_topic_name: topic, mirror_status: 'PENDING_MIRROR', num_partition: 3, max_per_partition_mirror_lag: 0 }),
    ]);
  });

  it('applies the link prefix and needs the prefixed name', async () => {
    const home = await homeWithLink(['--config', 'cluster.link.prefix=dr.']);
    const topic = await createSourceTopic(1);
    const wrong = await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain(`must be the link prefix "dr." followed by the source topic name "${topic}"`);
    const ok = await home.run(['mirror', 'create', `dr.${topic}`, '--link', 'dr-link', '--no-start']);
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    expect(await destinationTopic(`dr.${topic}`)).toBeDefined();
    const mismatch = await home.run(['mirror', 'create', `x.${topic}`, '--link', 'dr-link', '--source-topic', topic, '--no-start']);
    expect(mismatch.exitCode).toBe(2);
    expect(mismatch.stderr).toContain(`must be the link prefix "dr." followed by the source topic name "${topic}"`);
  });

  it.each([
    ['an unknown link', (t: string) => ['mirror', 'create', t, '--link', 'nope', '--no-start'], 4, /cluster link "nope" not found/],
    ['a missing source topic', () => ['mirror', 'create', 'no-such-topic-xyz', '--link', 'dr-link', '--no-start'], 4, /source topic "no-such-topic-xyz" not found/],
    ['an invalid topic name', () => ['mirror', 'create', 'bad topic', '--link', 'dr-link', '--no-start'], 2, /invalid topic name "bad topic"/],
    ['a synced config in --config', (t: string) => ['mirror', 'create', t, '--link', 'dr-link', '--no-start', '--config', 'retention.ms=1000'], 2, /retention\.ms is synced from the source topic/],
    ['a bad replication factor', (t: string) => ['mirror', 'create', t, '--link', 'dr-link', '--no-start', '--replication-factor', 'zero'], 2, /invalid replication factor/],
    ['a missing --link', (t: string) => ['mirror', 'create', t, '--no-start'], 2, /required option '--link <link>' not specified/],
  ])('rejects %s and creates nothing', async (_what, args, code, message) => {
    const home = await homeWithLink();
    const topic = await createSourceTopic(1);
    const before = storeText(home);
    const r = await home.run(args(topic));
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^Error: /);
    expect(r.exitCode).toBe(code);
    expect(storeText(home)).toBe(before);
    expect(await destinationTopic(topic)).toBeUndefined();
  });

  it('creates several mirror topics in one call with one store write, per-topic result lines and JSON', async () => {
    const home = await homeWithLink();
    const topics = [await createSourceTopic(1), await createSourceTopic(2), await createSourceTopic(3, { 'retention.ms': '7777777' })];
    const r = await home.run(['mirror', 'create', ...topics, '--link', 'dr-link', '--no-start']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(topics.map((t) => `Created mirror topic "${t}".\n`).join(''));
    for (const [i, t] of topics.entries()) expect((await destinationTopic(t))?.partitions, t).toBe(i + 1);
    expect((await destinationTopic(topics[2]!))?.configs['retention.ms']).toBe('7777777');
    const store = JSON.parse(storeText(home)) as { mirrors: Record<string, { mirrorTopic: string; partitions: number; desiredState: string }> };
    expect(Object.values(store.mirrors).map((m) => [m.mirrorTopic, m.partitions, m.desiredState]).sort()).toEqual(topics.map((t, i) => [t, i + 1, 'ACTIVE']).sort());

    const more = [await createSourceTopic(1), await createSourceTopic(1)];
    const json = await home.run(['mirror', 'create', ...more, '--link', 'dr-link', '--no-start', '-o', 'json']);
    expect(json.exitCode, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(more.map((t) => ({ link_name: 'dr-link', mirror_topic_name: t, source_topic_name: t, num_partition: 1, created: true })));
  });

  it('creates none of several mirror topics when any of them is bad, and names every bad one', async () => {
    const home = await homeWithLink();
    const good = await createSourceTopic(2);
    const taken = await createSourceTopic(1);
    const admin = kafkaFor('destination').admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: taken, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    const missing = uniqueName('missing');
    const before = storeText(home);
    const r = await home.run(['mirror', 'create', good, missing, taken, '--link', 'dr-link', '--no-start']);
    expect(r.exitCode, r.stderr).toBe(4); // the first problem's kind: the missing source topic
    expect(r.stderr).toContain(`2 of 3 mirror topics cannot be created, so none was`);
    expect(r.stderr).toContain(`source topic "${missing}" not found`);
    expect(r.stderr).toContain(`topic "${taken}" already exists on the destination cluster "dr"`);
    expect(r.stdout).toBe('');
    expect(storeText(home)).toBe(before);
    expect(await destinationTopic(good)).toBeUndefined();
    expect(await destinationTopic(missing)).toBeUndefined();
  });

  it('refuses a topic that already exists on the destination (exit 5)', async () => {
    const home = await homeWithLink();
    const topic = await createSourceTopic(2);
    const admin = kafkaFor('destination').admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    const before = storeText(home);
    const r = await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain(`Error: topic "${topic}" already exists on the destination cluster "dr"`);
    expect(storeText(home)).toBe(before);
    expect((await destinationTopic(topic))?.partitions).toBe(1);
    const again = await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
    expect(again.exitCode).toBe(5);
  });
});

describe('clink mirror list, describe, pause, resume', () => {
  it('shows live per-partition lag (source high watermark minus destination end)', async () => {
    const home = await homeWithLink();
    const topic = await createSourceTopic(2, {}, 10);
    expect((await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start'])).exitCode).toBe(0);
    const rows = JSON.parse((await home.run(['mirror', 'describe', topic, '--link', 'dr-link', '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      expect.objectContaining({ partition: 0, partition_mirror_lag: 5, source_high_watermark: 5, destination_log_end_offset: 0, mirror_status: 'PENDING_MIRROR' }),
      expect.objectContaining({ partition: 1, partition_mirror_lag: 5, source_high_watermark: 5, destination_log_end_offset: 0 }),
    ]);
    const human = await home.run(['mirror', 'list', '--link', 'dr-link']);
    expect(human.stdout).toMatch(/Link Name +\| +Mirror Topic Name +\| +Source Topic Name +\| +Mirror Status +\| +Status Time \(ms\) +\| +Num Partition +\| +Max Per Partition Mirror Lag/);
    expect(human.stdout).toMatch(new RegExp(`dr-link +\\| ${topic} +\\| ${topic} +\\| PENDING_MIRROR +\\| +\\d+ \\| +2 \\| +5 `));
    const filtered = await home.run(['mirror', 'list', '--mirror-status', 'paused', '-o', 'json']);
    expect(JSON.parse(filtered.stdout)).toEqual([]);
    const bad = await home.run(['mirror', 'list', '--mirror-status', 'sleeping']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('invalid mirror status "sleeping"');
  });

  it('pauses and resumes through the state machine, with --dry-run changing nothing', async () => {
    const home = await homeWithLink();
    const topic = await createSourceTopic(1, {}, 3);
    await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
    const before = storeText(home);
    const dry = await home.run(['mirror', 'pause', topic, '--link', 'dr-link', '--dry-run', '-o', 'json']);
    expect(dry.exitCode).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual([{ mirror_topic_name: topic, partition: 0, partition_mirror_lag: 3, last_source_fetch_offset: 0, error_message: '', error_code: '' }]);
    expect(storeText(home)).toBe(before);

    const pause = await home.run(['mirror', 'pause', topic, '--link', 'dr-link']);
    expect(pause.exitCode).toBe(0);
    expect(pause.stdout).toMatch(/Mirror Topic Name +\| +Partition +\| +Partition Mirror Lag +\| +Last Source Fetch Offset +\| +Error Message +\| +Error Code/);
    const status = JSON.parse((await home.run(['mirror', 'list', '-o', 'json'])).stdout) as Array<{ mirror_status: string }>;
    expect(status[0]?.mirror_status).toBe('PAUSED');

    const again = await home.run(['mirror', 'pause', topic, '--link', 'dr-link']);
    expect(again.exitCode).toBe(5);
    expect(again.stdout).toMatch(/-1 \| .*is PAUSED and cannot be/);
    expect(again.stderr).toContain(`Error: mirror topic "${topic}" is PAUSED and cannot be paused`);

    expect((await home.run(['mirror', 'resume', topic, '--link', 'dr-link'])).exitCode).toBe(0);
    const resumeAgain = await home.run(['mirror', 'resume', topic, '--link', 'dr-link', '-o', 'json']);
    expect(resumeAgain.exitCode).toBe(5);
    expect(JSON.parse(resumeAgain.stdout)).toEqual([
      { mirror_topic_name: topic, partition: -1, partition_mirror_lag: -1, last_source_fetch_offset: -1, error_message: `mirror topic "${topic}" is PENDING_MIRROR and cannot be resumed`, error_code: 'INVALID_STATE' },
    ]);
  });

  it('reports unknown mirrors per topic and exits 4 when all fail', async () => {
    const home = await homeWithLink();
    const topic = await createSourceTopic(1);
    await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
    const one = await home.run(['mirror', 'pause', 'ghost', '--link', 'dr-link']);
    expect(one.exitCode).toBe(4);
    expect(one.stderr).toContain('Error: mirror topic "ghost" not found on cluster link "dr-link"');
    const mixed = await home.run(['mirror', 'pause', topic, 'ghost', '--link', 'dr-link', '-o', 'json']);
    expect(mixed.exitCode).toBe(4);
    const rows = JSON.parse(mixed.stdout) as Array<{ mirror_topic_name: string; partition: number; error_code: string }>;
    expect(rows.map((r) => [r.mirror_topic_name, r.partition, r.error_code])).toEqual([['ghost', -1, 'NOT_FOUND'], [topic, 0, '']]);
    const describe = await home.run(['mirror', 'describe', 'ghost', '--link', 'dr-link']);
    expect(describe.exitCode).toBe(4);
    const noLink = await home.run(['mirror', 'list', '--link', 'nope']);
    expect(noLink.exitCode).toBe(4);
  });
});

describe('links with mirror topics', () => {
  it('lists mirror topics with --include-topics and refuses to delete a link with live mirrors unless forced', async () => {
    const home = await homeWithLink();
    const topic = await createSourceTopic(1);
    await home.run(['mirror', 'create', topic, '--link', 'dr-link', '--no-start']);
    const list = JSON.parse((await home.run(['link', 'list', '--include-topics', '-o', 'json'])).stdout) as Array<{ link_name: string; topic_name: string }>;
    expect(list.map((l) => [l.link_name, l.topic_name])).toEqual([['dr-link', topic]]);

    const before = storeText(home);
    const refused = await home.run(['link', 'delete', 'dr-link']);
    expect(refused.exitCode).toBe(2); // no terminal and no --force: asks for --force first
    expect(storeText(home)).toBe(before);

    const forced = await home.run(['link', 'delete', 'dr-link', '--force']);
    expect(forced.exitCode).toBe(0);
    const store = JSON.parse(storeText(home)) as { links: Record<string, unknown>; mirrors: Record<string, unknown> };
    expect(store.links).toEqual({});
    expect(store.mirrors).toEqual({});
    expect(await destinationTopic(topic)).toBeDefined();
  });
});
