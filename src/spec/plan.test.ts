import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { parseSpecText } from './parse.js';
import { plan, type PlanInput } from './plan.js';
import type { RootSchema } from './schema-check.js';
import type { StoreData } from '../core/ports.js';
import type { MirrorRecord } from '../core/model/mirror.js';
import { renderPlan } from './render.js';
import { exportLink } from './export.js';
import { stringify } from 'yaml';

const schema = JSON.parse(fs.readFileSync(new URL('../../docs/clusterlink.schema.json', import.meta.url), 'utf8')) as RootSchema;

function emptyStore(): StoreData {
  return {
    schemaVersion: 1,
    clusters: {
      'kafka-dest': { name: 'kafka-dest', bootstrapServers: 'dest:9092', clientConfig: {}, createdAt: 't' },
      'kafka-src': { name: 'kafka-src', bootstrapServers: 'src:9092', clientConfig: {}, createdAt: 't' },
    },
    links: {},
    mirrors: {},
  };
}

const cr = (body: string) => `apiVersion: platform.confluent.io/v1beta1
kind: ClusterLink
metadata:
  name: dest-cluster-link
  namespace: destination
spec:
${body}`;

const simple = (state = '') => cr(`  name: dr-link
  destinationKafkaCluster:
    name: kafka-dest
  sourceKafkaCluster:
    bootstrapEndpoint: src:9092
    authentication:
      type: plain
      jaasConfig:
        secretRef: src-jaas
  mirrorTopics:
    - name: orders
${state ? `      state: ${state}\n` : ''}`);

function input(text: string, store: StoreData, facts: Array<[string, boolean]> = [], prune = false): PlanInput {
  const parsed = parseSpecText(text, 'cr.yaml', schema, {});
  expect(parsed.problems).toEqual([]);
  return {
    docs: parsed.docs,
    store,
    sourceTopics: new Map(facts),
    normalizeConfigs: (c) => ({ 'link.mode': 'DESTINATION', ...c }),
    isClientKey: (k) => k.startsWith('sasl.') || k.startsWith('security.') || k.startsWith('ssl.'),
    isSensitive: (k) => k.endsWith('jaas.config'),
    prune,
  };
}

function withLink(store: StoreData, mirrors: Array<Partial<MirrorRecord> & { mirrorTopic: string }>): StoreData {
  store.links['dr-link'] = {
    name: 'dr-link', linkId: 'id', destination: 'kafka-dest', sourceBootstrapServers: 'src:9092',
    sourceClientConfig: { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': '${env:SRC_JAAS}' },
    configs: { 'link.mode': 'DESTINATION' }, createdAt: 't', updatedAt: 't',
  };
  for (const m of mirrors) store.mirrors[`dr-link/${m.mirrorTopic}`] = { link: 'dr-link', sourceTopic: m.mirrorTopic, desiredState: 'ACTIVE', partitions: 1, configOverrides: {}, createdAt: 't', stateChangedAtMs: 0, ...m };
  return store;
}

describe('plan', () => {
  it('creates a missing link and mirror; the secret is an env reference and the diff masks it', () => {
    const p = plan(input(simple(), emptyStore(), [['dr-link/orders', true]]));
    expect(p.problems).toEqual([]);
    expect(p.links[0]).toMatchObject({ action: 'create', destination: 'kafka-dest', sourceBootstrapServers: 'src:9092', sourceClientConfig: { 'sasl.jaas.config': '${env:SRC_JAAS}', 'sasl.mechanism': 'PLAIN', 'security.protocol': 'SASL_PLAINTEXT' } });
    expect(p.links[0]!.mirrors).toMatchObject([{ topic: 'orders', action: 'create', sourceTopic: 'orders' }]);
    const text = renderPlan(p);
    expect(text).toContain('+ sasl.jaas.config: ********');
    expect(text).not.toContain('SRC_JAAS');
  });

  it('is unchanged when the store already matches', () => {
    const p = plan(input(simple(), withLink(emptyStore(), [{ mirrorTopic: 'orders' }])));
    expect(p.problems).toEqual([]);
    expect(p.links[0]!.action).toBe('unchanged');
    expect(p.links[0]!.mirrors.map((m) => m.action)).toEqual(['unchanged']);
  });

  it('moves states through the state machine, and refuses what it forbids', () => {
    const store = () => withLink(emptyStore(), [{ mirrorTopic: 'orders' }]);
    expect(plan(input(simple('FAILOVER'), store())).links[0]!.mirrors[0]).toMatchObject({ action: 'configure', operation: 'failover' });
    expect(plan(input(simple('PAUSE'), store())).links[0]!.mirrors[0]).toMatchObject({ action: 'configure', operation: 'pause' });
    expect(plan(input(simple('PROMOTE'), store())).links[0]!.mirrors[0]).toMatchObject({ action: 'configure', operation: 'promote' });
    const stopped = withLink(emptyStore(), [{ mirrorTopic: 'orders', desiredState: 'STOPPED' }]);
    expect(plan(input(simple('FAILOVER'), stopped)).links[0]!.mirrors[0]!.action).toBe('unchanged');
    const refused = plan(input(simple('PAUSE'), stopped));
    expect(refused.problems).toMatchObject([{ code: 'INVALID_STATE', path: 'spec.mirrorTopics[0].state', message: 'mirror topic "orders" is STOPPED and cannot be paused' }]);
    const paused = withLink(emptyStore(), [{ mirrorTopic: 'orders', desiredState: 'PAUSED' }]);
    expect(plan(input(simple('PROMOTE'), paused)).problems[0]?.message).toBe('mirror topic "orders" is PAUSED and cannot be promoted');
  });

  it('reports a missing source topic, a changed link config and unlisted mirrors (kept, or deleted with prune)', () => {
    expect(plan(input(simple(), emptyStore(), [['dr-link/orders', false]])).problems).toMatchObject([{ code: 'NOT_FOUND', line: 17 }]);
    const store = withLink(emptyStore(), [{ mirrorTopic: 'orders' }, { mirrorTopic: 'old' }]);
    const text = simple().replace('  mirrorTopics:', '  configs:\n    consumer.offset.sync.ms: 5000\n  mirrorTopics:');
    const p = plan(input(text, store));
    expect(p.links[0]!.action).toBe('configure');
    expect(p.links[0]!.changes).toEqual([{ key: 'consumer.offset.sync.ms', to: '5000', sensitive: false }]);
    expect(p.links[0]!.mirrors.find((m) => m.topic === 'old')?.action).toBe('keep');
    expect(plan(input(text, store, [], true)).links[0]!.mirrors.find((m) => m.topic === 'old')?.action).toBe('delete');
  });

  it('joins the bidirectional pair of seed 004 into one link whose second CR mirrors are reversed', () => {
    const half = (name: string, src: string, dst: string, topic: string) => cr(`  name: bidi
  sourceInitiatedLink:
    linkMode: Bidirectional
  destinationKafkaCluster:
    name: ${dst}
  sourceKafkaCluster:
    name: ${src}
  mirrorTopics:
    - name: ${topic}
      direction: toDestination
`).replace('dest-cluster-link', name);
    const text = `${half('dest-cluster-link', 'kafka-src', 'kafka-dest', 'forward-topic')}---\n${half('src-cluster-link', 'kafka-dest', 'kafka-src', 'reverse-topic')}`;
    const p = plan(input(text, emptyStore()));
    expect(p.problems).toEqual([]);
    expect(p.links).toHaveLength(1);
    expect(p.links[0]).toMatchObject({ name: 'bidi', destination: 'kafka-dest', sourceBootstrapServers: 'src:9092', configs: { 'link.mode': 'BIDIRECTIONAL' } });
    expect(p.links[0]!.mirrors.map((m) => [m.topic, m.reversed])).toEqual([['forward-topic', false], ['reverse-topic', true]]);
    // Same direction twice is a disagreement.
    const same = `${half('a', 'kafka-src', 'kafka-dest', 'x')}---\n${half('b', 'kafka-src', 'kafka-dest', 'y')}`;
    expect(plan(input(same, emptyStore())).problems[0]).toMatchObject({ code: 'CONFLICT' });
  });

  it('plans nothing for the export of what it planned (round-trip)', () => {
    const store = withLink(emptyStore(), [{ mirrorTopic: 'orders', desiredState: 'STOPPED' }, { mirrorTopic: 'pay', desiredState: 'PAUSED', configOverrides: { 'retention.ms': '1000' } }]);
    const { documents, masked } = exportLink(store, 'dr-link', (k) => k.endsWith('jaas.config'));
    expect(masked).toEqual([]);
    const text = documents.map((d) => stringify(d)).join('---\n');
    expect(text).toContain('secretRef: SRC_JAAS');
    const p = plan(input(text, store));
    expect(p.problems).toEqual([]);
    expect(p.links[0]!.action).toBe('unchanged');
    expect(p.links[0]!.mirrors.map((m) => m.action)).toEqual(['unchanged', 'unchanged']);
  });
});

describe('parseSpecText', () => {
  it('names path, line and a did-you-mean for unknown fields and wrong types, and lists Kubernetes-only fields', () => {
    const text = simple().replace('    bootstrapEndpoint', '    bootstrapEndpont').replace('    - name: orders', '    - name: orders\n      replicationFactor: "3"');
    const r = parseSpecText(text, 'cr.yaml', schema, {});
    expect(r.problems).toEqual([
      expect.objectContaining({ path: 'spec.sourceKafkaCluster.bootstrapEndpont', line: 11, suggestion: 'Did you mean `bootstrapEndpoint`?' }),
      expect.objectContaining({ path: 'spec.mirrorTopics[0].replicationFactor', line: 18, message: 'spec.mirrorTopics[0].replicationFactor must be integer, not string' }),
    ]);
    expect(parseSpecText(simple(), 'cr.yaml', schema, {}).ignored).toEqual(['cr.yaml: document 1: metadata.namespace']);
  });

  it('maps secretRef to a file of --secrets-dir, like a mounted Kubernetes secret', () => {
    const r = parseSpecText(simple(), 'cr.yaml', schema, { secretsDir: '/run/secrets' });
    expect(r.docs[0]!.source.clientConfig['sasl.jaas.config']).toBe('${dir:/run/secrets/src-jaas:plain-jaas.conf}');
  });
});
