/**
 * The worker's HTTP endpoint with the real engine, real brokers and a real Prometheus: the lag of a
 * deliberately paused mirror reaches /metrics (without a Kafka round trip per scrape: the engine
 * refreshes paused mirrors' offsets itself), agrees with `mirror describe`, is read back through
 * Prometheus's query API, and returns to 0 after resume; the REST answers keep Confluent's shapes
 * (goldens, volatile fields normalised). Prometheus missing → the suite fails saying what to install.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, repoRoot, tempDir, type ClinkResult } from '../helpers/run-clink.js';
import { prometheusTool, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const LINK = 'dr-link';
const golden = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'output', 'http', name);
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  prometheusTool('prometheus'); // fails the suite with what to install
  ({ source, destination } = getClusters());
});

afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean().catch(() => undefined);
});

interface Home {
  run(args: string[]): Promise<ClinkResult>;
}

function home(): Home {
  const h = clinkHome();
  const env = { CLINK_STATE_DIR: tempDir('clink-state-') };
  return { run: (args) => h.run(args, { env }) };
}

async function ok(h: Home, args: string[]): Promise<string> {
  const r = await h.run(args);
  expect(r.exitCode, `clink ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function produce(topic: string, perPartition: number[]): Promise<void> {
  const producer = kafkaFor('source').producer();
  await producer.connect();
  await producer.send({ topic, messages: perPartition.flatMap((n, partition) => Array.from({ length: n }, (_, i) => ({ value: `p${partition}-${i}`, partition }))) });
  await producer.disconnect();
}

type DescribeRow = { partition: number; partition_mirror_lag: number; mirror_status: string };
const describeRows = async (h: Home, topic: string) => JSON.parse(await ok(h, ['mirror', 'describe', topic, '--link', LINK, '-o', 'json'])) as DescribeRow[];

/** Sample values of one metric (labels as a string like `partition="0"`), from the text exposition. */
function samples(text: string, metric: string, topic: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) || !line.includes(`topic="${topic}"`)) continue;
    const partition = /partition="(\d+)"/.exec(line)?.[1] ?? '';
    out.set(partition, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

describe('worker /metrics and REST with a real Prometheus', () => {
  it('shows a paused mirror\'s lag as describe does, through Prometheus, and 0 after resume', async () => {
    const h = home();
    const topic = uniqueName('orders');
    const admin = kafkaFor('source').admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    await admin.disconnect();
    await produce(topic, [4, 4]);

    await ok(h, ['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
    await ok(h, ['link', 'create', LINK, '--source-bootstrap-server', source.bootstrap, '--config', 'topic.config.sync.ms=1000', '--no-start']);
    await ok(h, ['mirror', 'create', topic, '--link', LINK, '--no-start']);
    const started = await ok(h, ['worker', 'start', LINK, '--http-port', '0']);
    cleanups.push(() => h.run(['worker', 'stop', LINK]));
    const address = /Serving http:\/\/([\d.]+:\d+)\/metrics/.exec(started)?.[1];
    expect(address, started).toBeDefined();
    const metrics = async () => (await fetch(`http://${address}/metrics`)).text();

    await waitFor(async () => (await describeRows(h, topic)).every((r) => r.mirror_status === 'ACTIVE' && r.partition_mirror_lag === 0), { timeoutMs: 60_000, message: 'the mirror did not catch up' });
    await ok(h, ['mirror', 'pause', topic, '--link', LINK]);
    // The worker serves the snapshot it has applied (copiers stopped): from then on nothing is copied.
    await waitFor(async () => (await metrics()).includes(`clink_mirror_status{link="${LINK}",topic="${topic}",status="PAUSED"} 1`), { timeoutMs: 30_000, message: 'the worker did not apply the pause' });
    // Records appended while paused: the lag of each partition is exactly what was produced.
    await produce(topic, [7, 3]);
    let lags = '';
    await waitFor(async () => (lags = (await describeRows(h, topic)).map((r) => r.partition_mirror_lag).join()) === '7,3', { timeoutMs: 30_000, message: () => `describe did not show the lag 7,3 of the paused mirror (last: ${lags})` });

    let text = '';
    await waitFor(async () => {
      text = await metrics();
      const lags = samples(text, 'clink_mirror_partition_lag_records', topic);
      return lags.get('0') === 7 && lags.get('1') === 3;
    }, { timeoutMs: 30_000, message: () => `/metrics did not show the paused mirror's lag 7,3 (describe's); last scrape:\n${text.split('\n').filter((l) => l.includes(topic)).join('\n')}` });
    // The same moment: describe and a scrape agree partition by partition, and on the max and status.
    const [rows, now] = await Promise.all([describeRows(h, topic), metrics()]);
    const scraped = samples(now, 'clink_mirror_partition_lag_records', topic);
    for (const row of rows) expect(scraped.get(String(row.partition)), `partition ${row.partition}`).toBe(row.partition_mirror_lag);
    expect(samples(now, 'clink_mirror_topic_max_lag_records', topic).get('')).toBe(Math.max(...rows.map((r) => r.partition_mirror_lag)));
    expect(now).toContain(`clink_mirror_status{link="${LINK}",topic="${topic}",status="PAUSED"} 1`);
    expect(now).toContain(`clink_mirror_status{link="${LINK}",topic="${topic}",status="ACTIVE"} 0`);
    expect(now).toContain(`clink_partition_failed{link="${LINK}",topic="${topic}",partition="0"} 0`);
    expect(samples(now, 'clink_mirror_records_total', topic).get('')).toBe(8);
    expect(now).toMatch(new RegExp(`^clink_mirror_partition_lag_seconds\\{link="${LINK}",topic="${topic}",partition="0"\\} [\\d.e+-]+$`, 'm'));
    expect(now).toMatch(/^clink_mirror_fetch_requests_total\{link="dr-link",result="ok"\} [1-9]\d*$/m);
    expect(now).toMatch(/^clink_mirror_produce_latency_seconds_count\{link="dr-link"\} [1-9]\d*$/m);

    await restGoldens(address!, topic);

    const prometheus: RunningPrometheus = await startPrometheus([address!]);
    cleanups.push(() => prometheus.stop());
    const query = `clink_mirror_topic_max_lag_records{topic="${topic}"}`;
    await waitFor(async () => (await prometheus.query(query)) === '7', { timeoutMs: 60_000, intervalMs: 500, message: `Prometheus did not return 7 for ${query}; its output:\n${prometheus.output()}` });
    const describedMax = Math.max(...(await describeRows(h, topic)).map((r) => r.partition_mirror_lag));
    expect(Number(await prometheus.query(query))).toBe(describedMax);
    expect(await prometheus.query('up{job="clink"}')).toBe('1');

    await ok(h, ['mirror', 'resume', topic, '--link', LINK]);
    await waitFor(async () => (await prometheus.query(query)) === '0', { timeoutMs: 60_000, intervalMs: 500, message: `Prometheus did not return 0 for ${query} after resume` });
    expect((await describeRows(h, topic)).map((r) => r.partition_mirror_lag)).toEqual([0, 0]);
  }, 240_000);
});

/** The REST answers of the paused mirror (lags 7 and 3) against goldens, volatile values replaced. */
async function restGoldens(address: string, topic: string): Promise<void> {
  const clusterId = destination.clusterId;
  const base = `http://${address}/kafka/v3/clusters/${clusterId}`;
  const normalise = (body: unknown): string =>
    JSON.stringify(body, (key, value: unknown) => (key === 'state_time_ms' && typeof value === 'number' ? '<state-time-ms>' : (key === 'link_id' || key === 'cluster_link_id') ? '<link-id>' : value), 2)
      .replaceAll(address, '<address>')
      .replaceAll(clusterId, '<dr-id>')
      .replaceAll(source.clusterId, '<source-id>')
      .replaceAll(topic, '<topic>') + '\n';
  for (const [name, url] of [
    ['links', `${base}/links`],
    ['link', `${base}/links/${LINK}`],
    ['mirrors', `${base}/links/${LINK}/mirrors`],
    ['mirror', `${base}/links/${LINK}/mirrors/${topic}`],
    ['mirrors-all-links', `${base}/links/-/mirrors?mirror_status=paused`],
    ['unknown-link', `${base}/links/no-such-link`],
    ['unknown-mirror', `${base}/links/${LINK}/mirrors/no-such-topic`],
  ] as const) {
    const r = await fetch(url);
    const body = (await r.json()) as unknown;
    await expect(`${r.status}\n${normalise(body)}`).toMatchFileSnapshot(golden(`${name}.json.golden`));
  }
  const post = await fetch(`${base}/links/${LINK}/mirrors:pause`, { method: 'POST', body: '{"mirror_topic_names":["x"]}' });
  expect(post.status).toBe(405);
  await expect(`${post.status}\n${normalise(await post.json())}`).toMatchFileSnapshot(golden('write-method.json.golden'));
}
