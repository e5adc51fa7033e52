/**
 * `clink apply -f` on the real brokers with seed 004's ClusterLink CRs (bootstrap addresses of the
 * local clusters): the destination-initiated CR creates the link and its mirror, which copies; a
 * second apply is unchanged; `state: FAILOVER` fails the mirror over; the export applies as a no-op;
 * the bidirectional pair makes one bidirectional link; bad documents apply nothing.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome, type ClinkResult } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const homes: Array<{ home: ClinkHome; links: string[] }> = [];

beforeAll(() => {
  ({ source, destination } = getClusters());
});

afterEach(async () => {
  for (const { home, links } of homes.splice(0)) for (const l of links) await home.run(['worker', 'stop', l], { env: { CLINK_STATE_DIR: `${home.configDir}/state` } });
});

interface Home {
  run(args: string[], input?: string): Promise<ClinkResult>;
  configDir: string;
}

async function newHome(links: string[]): Promise<Home> {
  const home = clinkHome();
  homes.push({ home, links });
  const env = { CLINK_STATE_DIR: `${home.configDir}/state` };
  const h: Home = { configDir: home.configDir, run: (args, input) => home.run(args, { env, ...(input !== undefined ? { input } : {}), timeoutMs: 120_000 }) };
  for (const [name, c] of [['kafka-dest', destination], ['kafka-src', source]] as const) {
    const r = await h.run(['cluster', 'add', name, '--bootstrap-server', c.bootstrap]);
    expect(r.exitCode, r.stderr).toBe(0);
  }
  return h;
}

async function sourceTopicWith(side: 'source' | 'destination', records: number): Promise<string> {
  const topic = uniqueName('cr-topic');
  const admin = kafkaFor(side).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  await admin.disconnect();
  const producer = kafkaFor(side).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: records }, (_, i) => ({ value: String(i + 1) })) });
  await producer.disconnect();
  return topic;
}

async function highWatermark(side: 'source' | 'destination', topic: string): Promise<number> {
  const admin = kafkaFor(side).admin();
  await admin.connect();
  try {
    return Number((await admin.fetchTopicOffsets(topic).catch(() => [{ high: '-1' }]))[0]?.high ?? -1);
  } finally {
    await admin.disconnect();
  }
}

function write(name: string, text: string): string {
  const file = path.join(tempDir('clink-apply-'), name);
  fs.writeFileSync(file, text);
  return file;
}

const store = (h: Home) => fs.readFileSync(path.join(h.configDir, 'config.json'), 'utf8');
const explain = (r: ClinkResult) => `exit ${r.exitCode}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr.slice(-2000)}`;

/** Seed 004's destination-side CR, with the local source cluster's bootstrap address. */
function destinationCr(link: string, topic: string, state?: string): string {
  return `# Destination-side ClusterLink (receives forward mirrors)
apiVersion: platform.confluent.io/v1beta1
kind: ClusterLink
metadata:
  name: dest-cluster-link
  namespace: destination
spec:
  name: ${link}
  destinationKafkaCluster:
    name: kafka-dest
    namespace: destination
  sourceKafkaCluster:
    bootstrapEndpoint: ${source.bootstrap}
    namespace: source
  mirrorTopics:
    - name: ${topic}
${state ? `      state: ${state}\n` : ''}`;
}

describe('clink apply -f', () => {
  it('creates the link and mirror of a CFK CR, copies, is unchanged the second time, fails over on FAILOVER, and its export applies as a no-op', async () => {
    const link = uniqueName('cr-link');
    const h = await newHome([link]);
    const topic = await sourceTopicWith('source', 5);
    const file = write('clusterlink.yaml', destinationCr(link, topic));

    const dry = await h.run(['apply', '-f', file, '--dry-run']);
    expect(dry.exitCode, explain(dry)).toBe(0);
    expect(dry.stdout).toContain(`+ clusterlink/${link}: create (destination "kafka-dest")`);
    expect(dry.stdout).toContain(`+ mirrortopic/${link}/${topic}: create from ${topic}`);
    expect(JSON.parse(store(h)).links).toEqual({});

    const first = await h.run(['apply', '-f', file]);
    expect(first.exitCode, explain(first)).toBe(0);
    expect(first.stdout).toBe(`clusterlink/${link} created\nmirrortopic/${link}/${topic} created\n`);
    // Kubernetes-only fields are reported once, on stderr.
    expect(first.stderr.match(/Ignored \(Kubernetes only/g)?.length).toBe(1);
    expect(first.stderr).toContain('metadata.namespace');
    await waitFor(async () => (await highWatermark('destination', topic)) === 5 || undefined, { timeoutMs: 60_000, intervalMs: 250, message: `mirror ${topic} did not copy 5 records` });

    const second = await h.run(['apply', '-f', file]);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(second.stdout).toBe(`clusterlink/${link} unchanged\nmirrortopic/${link}/${topic} unchanged\n`);

    const failover = await h.run(['apply', '-f', write('failover.yaml', destinationCr(link, topic, 'FAILOVER'))]);
    expect(failover.exitCode, explain(failover)).toBe(0);
    expect(failover.stdout).toBe(`clusterlink/${link} unchanged\nmirrortopic/${link}/${topic} configured (ACTIVE -> FAILOVER)\n`);
    const list = JSON.parse((await h.run(['mirror', 'list', '--link', link, '-o', 'json'])).stdout) as Array<{ mirror_status: string }>;
    expect(list.map((m) => m.mirror_status)).toEqual(['STOPPED']);

    // Back to ACTIVE is what the state machine forbids: nothing applied, exit 5.
    const before = store(h);
    const back = await h.run(['apply', '-f', write('back.yaml', destinationCr(link, topic, 'ACTIVE'))]);
    expect(back.exitCode, explain(back)).toBe(5);
    expect(back.stderr).toContain(`spec.mirrorTopics[0].state (line 16): mirror topic "${topic}" is STOPPED and cannot be resumed`);
    expect(store(h)).toBe(before);

    const exported = await h.run(['link', 'describe', link, '-o', 'yaml', '--as-spec']);
    expect(exported.exitCode, explain(exported)).toBe(0);
    expect(exported.stdout).toContain('apiVersion: clink.dev/v1');
    expect(exported.stdout).toContain('state: FAILOVER');
    const again = await h.run(['apply', '-f', '-'], exported.stdout);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(again.stdout).toBe(`clusterlink/${link} unchanged\nmirrortopic/${link}/${topic} unchanged\n`);
    expect(again.stderr).toBe('');
    expect(store(h)).toBe(before);
  }, 300_000);

  it('makes one bidirectional link of seed 004\'s pair of CRs; both mirrors copy; the export round-trips', async () => {
    const link = uniqueName('bidi');
    const h = await newHome([link]);
    const forward = await sourceTopicWith('source', 3);
    const reverse = await sourceTopicWith('destination', 4);
    const pair = `# Destination-side ClusterLink (receives forward mirrors)
apiVersion: platform.confluent.io/v1beta1
kind: ClusterLink
metadata:
  name: dest-cluster-link
  namespace: destination
spec:
  name: ${link}
  sourceInitiatedLink:
    linkMode: Bidirectional
  destinationKafkaCluster:
    name: kafka-dest
    namespace: destination
  sourceKafkaCluster:
    name: kafka-src
    namespace: source
  mirrorTopics:
    - name: ${forward}
      direction: toDestination
---
# Source-side ClusterLink (receives reverse mirrors)
apiVersion: platform.confluent.io/v1beta1
kind: ClusterLink
metadata:
  name: src-cluster-link
  namespace: source
spec:
  name: ${link}
  sourceInitiatedLink:
    linkMode: Bidirectional
  sourceKafkaCluster:
    name: kafka-dest
    namespace: destination
  destinationKafkaCluster:
    name: kafka-src
    namespace: source
  mirrorTopics:
    - name: ${reverse}
      direction: toDestination
`;
    const r = await h.run(['apply', '-f', write('pair.yaml', pair)]);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toBe(`clusterlink/${link} created\nmirrortopic/${link}/${forward} created\nmirrortopic/${link}/${reverse} created\n`);
    const stored = JSON.parse(store(h)) as { links: Record<string, { configs: Record<string, string>; destination: string }>; mirrors: Record<string, { reversed?: boolean }> };
    expect(Object.keys(stored.links)).toEqual([link]);
    expect(stored.links[link]!.configs['link.mode']).toBe('BIDIRECTIONAL');
    expect(stored.links[link]!.destination).toBe('kafka-dest');
    expect(stored.mirrors[`${link}/${reverse}`]!.reversed).toBe(true);
    await waitFor(async () => ((await highWatermark('destination', forward)) === 3 && (await highWatermark('source', reverse)) === 4) || undefined, { timeoutMs: 60_000, intervalMs: 250, message: 'the two mirrors of the bidirectional link did not copy' });

    const before = store(h);
    const exported = await h.run(['link', 'describe', link, '--as-spec']);
    expect(exported.exitCode, explain(exported)).toBe(0);
    expect(exported.stdout.split('\n---\n')).toHaveLength(2);
    const again = await h.run(['apply', '-f', '-'], exported.stdout);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(again.stdout).toBe(`clusterlink/${link} unchanged\nmirrortopic/${link}/${forward} unchanged\nmirrortopic/${link}/${reverse} unchanged\n`);
    expect(store(h)).toBe(before);
  }, 300_000);

  it('rejects bad documents with path, line and did-you-mean, and applies nothing from the file', async () => {
    const link = uniqueName('bad');
    const h = await newHome([]);
    const topic = await sourceTopicWith('source', 1);
    const before = store(h);
    const good = destinationCr(link, topic);
    const typo = good.replace('  mirrorTopics:', '  mirrorTopic:');
    const r = await h.run(['apply', '-f', write('typo.yaml', `${good}---\n${typo}`)]);
    expect(r.exitCode, explain(r)).toBe(2);
    expect(r.stderr).toContain('document 2, spec.mirrorTopic (line 32): unknown field "mirrorTopic" in spec. Did you mean `mirrorTopics`?');
    expect(r.stdout).toBe('');
    expect(store(h)).toBe(before);

    const kind = await h.run(['apply', '-f', write('kind.yaml', good.replace('kind: ClusterLink', 'kind: KafkaTopic'))]);
    expect(kind.exitCode).toBe(2);
    expect(kind.stderr).toContain('kind "KafkaTopic" is not supported');

    const wrongType = await h.run(['apply', '-f', write('type.yaml', `${good}      replicationFactor: three\n`)]);
    expect(wrongType.exitCode).toBe(2);
    expect(wrongType.stderr).toContain('spec.mirrorTopics[0].replicationFactor (line 17): spec.mirrorTopics[0].replicationFactor must be integer, not string');

    const missing = await h.run(['apply', '-f', write('missing.yaml', `${good}    - name: ${uniqueName('no-such-topic')}\n`)]);
    expect(missing.exitCode, explain(missing)).toBe(4);
    expect(missing.stderr).toMatch(/spec\.mirrorTopics\[1\] \(line 17\): source topic "no-such-topic-[0-9a-f]+" of mirror topic/);

    const twice = await h.run(['apply', '-f', write('a.yaml', good), '-f', write('b.yaml', good.replace(source.bootstrap, destination.bootstrap))]);
    expect(twice.exitCode, explain(twice)).toBe(5);
    expect(twice.stderr).toContain(`2 documents describe cluster link "${link}"`);
    expect(store(h)).toBe(before);
  }, 300_000);

  it('--prune deletes mirrors the spec no longer lists, with a --dry-run preview; without it they are kept', async () => {
    const link = uniqueName('prune');
    const h = await newHome([link]);
    const [keep, drop] = [await sourceTopicWith('source', 1), await sourceTopicWith('source', 1)];
    const both = destinationCr(link, keep) + `    - name: ${drop}\n`;
    expect((await h.run(['apply', '-f', write('both.yaml', both)])).exitCode).toBe(0);
    const one = write('one.yaml', destinationCr(link, keep));
    const kept = await h.run(['apply', '-f', one]);
    expect(kept.exitCode, explain(kept)).toBe(0);
    expect(kept.stdout).toBe(`clusterlink/${link} unchanged\nmirrortopic/${link}/${keep} unchanged\n`);
    const preview = await h.run(['apply', '-f', one, '--prune', '--dry-run']);
    expect(preview.stdout).toContain(`- mirrortopic/${link}/${drop}: delete (--prune; its topic is deleted)`);
    expect(Object.keys(JSON.parse(store(h)).mirrors)).toHaveLength(2);
    const pruned = await h.run(['apply', '-f', one, '--prune']);
    expect(pruned.exitCode, explain(pruned)).toBe(0);
    expect(pruned.stdout).toContain(`mirrortopic/${link}/${drop} deleted`);
    expect(Object.keys(JSON.parse(store(h)).mirrors)).toEqual([`${link}/${keep}`]);
    await waitFor(async () => (await highWatermark('destination', drop)) === -1 || undefined, { timeoutMs: 30_000, message: `topic ${drop} was not deleted` });
  }, 300_000);
});
