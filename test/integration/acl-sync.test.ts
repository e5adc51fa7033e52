/**
 * The ACL sync task, driven in-process against the harness clusters over their SASL listeners
 * (StandardAuthorizer active; the link authenticates as the super user admin). Each test selects only
 * the ACLs of its own principal, so tests never see each other's ACLs.
 * Invariants checked: selected source ACLs (every resource type, LITERAL and PREFIXED, ALLOW and
 * DENY) appear on the destination within 3 intervals and disappear when deleted on the source; an ACL
 * clink did not create is never deleted; ownership survives a restart (a new task, same state dir);
 * a synced ACL really grants access on the destination.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { getClusters, kafkaFor, tryWriteAs, uniqueName, withAdmin, type TestClusters } from '../helpers/kafka.js';
import type { ClusterRecord } from '../../src/core/model/cluster.js';
import type { LinkRecord } from '../../src/core/model/link.js';
import type { MirrorRecord } from '../../src/core/model/mirror.js';
import type { SyncStatus } from '../../src/core/model/sync.js';
import type { LinkEngine, LinkSnapshot } from '../../src/replication/engine-api.js';
import { createAclSyncTask } from '../../src/replication/acl-sync.js';
import { composeLinkEngines } from '../../src/replication/link-runtime.js';
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

const ADMIN_SASL = {
  'security.protocol': 'SASL_PLAINTEXT',
  'sasl.mechanism': 'PLAIN',
  'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret";',
};

function snapshotFor(principal: string, extraFilters: object[] = []): LinkSnapshot {
  const now = new Date().toISOString();
  const filters = { aclFilters: [
    { resourceFilter: { resourceType: 'any', patternType: 'any' }, accessFilter: { principal, operation: 'any', permissionType: 'any' } },
    ...extraFilters,
  ] };
  const link: LinkRecord = {
    name: uniqueName('acl-link'), linkId: 'test-link-id', destination: 'dr', sourceBootstrapServers: clusters.source.saslBootstrap as string,
    sourceClientConfig: ADMIN_SASL, createdAt: now, updatedAt: now,
    configs: { 'acl.sync.enable': 'true', 'acl.sync.ms': String(SYNC_MS), 'acl.filters': JSON.stringify(filters) },
  };
  const destination: ClusterRecord = { name: 'dr', bootstrapServers: clusters.destination.saslBootstrap as string, clientConfig: ADMIN_SASL, createdAt: now };
  return { link, destination, mirrors: [] };
}

function startTask(stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clink-acl-sync-'))) {
  const statuses: SyncStatus[] = [];
  const logs: string[] = [];
  const log = (message: string) => void logs.push(message);
  const task: LinkEngine = createAclSyncTask({
    env: process.env, stateDir, log: { info: log, warn: log, error: log, debug: log },
    report: () => undefined, reportLinkError: () => undefined,
    reportSync: (name, status) => {
      expect(name).toBe('acl_sync');
      statuses.push(status);
    },
  });
  cleanups.push(() => task.stop());
  const passes = async (n: number) => {
    const since = Date.now();
    await waitFor(() => statuses.filter((s) => (s.lastRunAtMs ?? 0) >= since && s.lastSuccessAtMs).length >= n, {
      timeoutMs: n * SYNC_MS * 4 + 5000, intervalMs: 20, message: `${n} passes did not complete`,
    });
  };
  return { task, statuses, logs, passes, stateDir, last: () => statuses.at(-1) };
}

const acl = (principal: string, over: Partial<AclEntry> = {}): AclEntry => ({
  resourceType: AclResourceTypes.TOPIC, resourceName: uniqueName('topic'), resourcePatternType: ResourcePatternTypes.LITERAL,
  principal, host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW, ...over,
});

const keyOf = (a: AclEntry): string => JSON.stringify([a.resourceType, a.resourceName, a.resourcePatternType, a.principal, a.host, a.operation, a.permissionType]);

async function aclsOf(side: 'source' | 'destination', principal: string): Promise<Set<string>> {
  return withAdmin(side, async (admin) => {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, principal,
      operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
    });
    return new Set(resources.flatMap((r) => r.acls.map((a) => keyOf({ ...a, resourceType: r.resourceType, resourceName: r.resourceName, resourcePatternType: r.resourcePatternType }))));
  });
}

const create = (side: 'source' | 'destination', acls: AclEntry[]) => withAdmin(side, (admin) => admin.createAcls({ acl: acls }));
const remove = (side: 'source' | 'destination', acls: AclEntry[]) => withAdmin(side, (admin) => admin.deleteAcls({ filters: acls }));

async function waitForDestination(principal: string, check: (present: Set<string>) => boolean, what: string, timeoutMs = WITHIN_3_INTERVALS): Promise<void> {
  await waitFor(async () => check(await aclsOf('destination', principal)), { timeoutMs, intervalMs: 25, message: `${what} within ${timeoutMs} ms` });
}

/** Cleans up every ACL of the principal on both clusters after the test. */
function principalFor(): string {
  const principal = `User:${uniqueName('acl-user')}`;
  cleanups.push(async () => {
    for (const side of ['source', 'destination'] as const) {
      await withAdmin(side, (admin) => admin.deleteAcls({ filters: [{
        resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, principal, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
      }] }));
    }
  });
  return principal;
}

describe('ACL sync', () => {
  it('creates a source ACL on the destination within 3 intervals and removes it when it is deleted on the source', async () => {
    const principal = principalFor();
    const t = startTask();
    await t.task.apply(snapshotFor(principal));
    await t.passes(1);
    const read = acl(principal);
    await create('source', [read]);
    await waitForDestination(principal, (p) => p.has(keyOf(read)), 'the ACL did not reach the destination');
    await t.passes(1);
    expect(t.last()).toMatchObject({ enabled: true, acls: 1 });

    await remove('source', [read]);
    await waitForDestination(principal, (p) => !p.has(keyOf(read)), 'the ACL was not removed from the destination');
    await t.passes(1);
    expect(t.last()).toMatchObject({ acls: 0 });
  });

  it('never deletes ACLs it did not create, even ones equal to a source ACL that goes away', async () => {
    const principal = principalFor();
    const local = acl(principal, { operation: AclOperationTypes.DESCRIBE });
    const both = acl(principal, { operation: AclOperationTypes.WRITE });
    await create('destination', [local, both]);
    await create('source', [both]);
    const t = startTask();
    await t.task.apply(snapshotFor(principal));
    await t.passes(3);
    await remove('source', [both]);
    await t.passes(3);
    const present = await aclsOf('destination', principal);
    expect(present.has(keyOf(local))).toBe(true);
    expect(present.has(keyOf(both))).toBe(true);
  });

  it('syncs PREFIXED, group, cluster, transactional-id and DENY ACLs', async () => {
    const principal = principalFor();
    const acls = [
      acl(principal, { resourcePatternType: ResourcePatternTypes.PREFIXED, resourceName: uniqueName('orders.'), operation: AclOperationTypes.WRITE }),
      acl(principal, { resourceType: AclResourceTypes.GROUP, resourceName: uniqueName('app') }),
      acl(principal, { resourceType: AclResourceTypes.GROUP, resourcePatternType: ResourcePatternTypes.PREFIXED, resourceName: uniqueName('app-') }),
      acl(principal, { resourceType: AclResourceTypes.CLUSTER, resourceName: 'kafka-cluster', operation: AclOperationTypes.IDEMPOTENT_WRITE }),
      acl(principal, { resourceType: AclResourceTypes.TRANSACTIONAL_ID, resourceName: uniqueName('tx'), operation: AclOperationTypes.WRITE }),
      acl(principal, { permissionType: AclPermissionTypes.DENY, operation: AclOperationTypes.ALL, host: '10.0.0.1' }),
    ];
    await create('source', acls);
    const t = startTask();
    await t.task.apply(snapshotFor(principal));
    await waitForDestination(principal, (p) => acls.every((a) => p.has(keyOf(a))), 'not every ACL reached the destination', WITHIN_3_INTERVALS + 2000);
    expect(await aclsOf('destination', principal)).toEqual(await aclsOf('source', principal));
  });

  it('remembers what it owns across a restart (new task, same state dir)', async () => {
    const principal = principalFor();
    const read = acl(principal);
    await create('source', [read]);
    const snapshot = snapshotFor(principal);
    const first = startTask();
    await first.task.apply(snapshot);
    await waitForDestination(principal, (p) => p.has(keyOf(read)), 'the ACL did not reach the destination');
    await first.task.stop();
    const owned = JSON.parse(fs.readFileSync(path.join(first.stateDir, 'links', snapshot.link.name, 'acl-owned.json'), 'utf8')) as { destinations: Record<string, unknown[]> };
    expect(owned.destinations[clusters.destination.clusterId]).toHaveLength(1);

    await remove('source', [read]);
    const second = startTask(first.stateDir);
    await second.task.apply(snapshot);
    await waitForDestination(principal, (p) => !p.has(keyOf(read)), 'the restarted task did not remove the ACL it owns');
  });

  it('grants access on the destination: alice can read a topic once its source ACLs are synced', async () => {
    const topic = uniqueName('alice-topic');
    await withAdmin('destination', (admin) => admin.createTopics({ topics: [{ topic }], waitForLeaders: true }));
    const alice = kafkaFor('destination', { sasl: { username: 'alice', password: 'alice-secret' } }).admin();
    cleanups.push(() => alice.disconnect());
    await alice.connect();
    await expect(alice.fetchTopicMetadata({ topics: [topic] })).rejects.toThrow();

    const principal = 'User:alice';
    const describe = acl(principal, { resourceName: topic, operation: AclOperationTypes.DESCRIBE });
    await create('source', [describe]);
    cleanups.push(() => remove('source', [describe]));
    cleanups.push(() => remove('destination', [describe]));
    const topicOnly = { resourceFilter: { resourceType: 'topic', name: topic, patternType: 'literal' }, accessFilter: { principal, operation: 'any', permissionType: 'any' } };
    const snapshot = snapshotFor(`User:${uniqueName('nobody')}`, [topicOnly]);
    const t = startTask();
    await t.task.apply(snapshot);
    await waitFor(async () => (await alice.fetchTopicMetadata({ topics: [topic] }).then(() => true, () => false)), {
      timeoutMs: WITHIN_3_INTERVALS + 3000, intervalMs: 100, message: 'alice cannot see the topic on the destination',
    });
    await t.task.stop();
  });

  it('reports a malformed owned-ACL file instead of forgetting what it owns', async () => {
    const principal = principalFor();
    const snapshot = snapshotFor(principal);
    const t = startTask();
    const dir = path.join(t.stateDir, 'links', snapshot.link.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'acl-owned.json'), '{"version":1,"destinations":');
    await create('source', [acl(principal)]);
    await t.task.apply(snapshot);
    await waitFor(() => t.last()?.error, { timeoutMs: 10_000, message: 'no error was reported' });
    expect(t.last()?.error).toMatch(/acl-owned\.json is not valid JSON/);
    expect((await aclsOf('destination', principal)).size).toBe(0);
  });

  it('runs beside the offset sync in one composed engine, each reporting under its own name, and stops with it', async () => {
    const principal = principalFor();
    const snapshot = snapshotFor(principal);
    snapshot.link.configs = { ...snapshot.link.configs, 'consumer.offset.sync.enable': 'true', 'consumer.offset.sync.ms': '500',
      'consumer.offset.group.filters': JSON.stringify({ groupFilters: [{ name: uniqueName('none'), patternType: 'LITERAL', filterType: 'INCLUDE' }] }) };
    const reports = new Map<string, SyncStatus>();
    const quiet = () => undefined;
    const deps = {
      env: process.env, stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'clink-composed-')), log: { info: quiet, warn: quiet, error: quiet, debug: quiet },
      report: quiet, reportLinkError: quiet, reportSync: (name: string, status: SyncStatus) => void reports.set(name, status),
    };
    const engine = composeLinkEngines(createAclSyncTask(deps), createOffsetSyncTask(deps));
    cleanups.push(() => engine.stop());
    await engine.apply(snapshot);
    await waitFor(() => reports.get('acl_sync')?.lastSuccessAtMs && reports.get('consumer_offset_sync')?.lastSuccessAtMs, { timeoutMs: 10_000, message: 'both syncs did not report' });
    expect(reports.get('consumer_offset_sync')).toMatchObject({ enabled: true, groups: 0, partitions: 0 });
    expect(reports.get('acl_sync')).toMatchObject({ enabled: true, acls: 0 });
    await engine.apply({ ...snapshot, link: { ...snapshot.link, configs: { ...snapshot.link.configs, 'acl.sync.enable': 'false', 'acl.filters': '' } } });
    expect(reports.get('acl_sync')).toEqual({ enabled: false });
    const began = Date.now();
    await engine.stop();
    expect(Date.now() - began).toBeLessThan(4000);
  });
});

describe('read-only mirrors', () => {
  const mirrorRecord = (topic: string, desiredState: MirrorRecord['desiredState']): MirrorRecord => ({
    link: 'acl-link', mirrorTopic: topic, sourceTopic: topic, desiredState, partitions: 1, configOverrides: {}, createdAt: new Date().toISOString(), stateChangedAtMs: Date.now(),
  });
  const aliceWrites = (topic: string) => tryWriteAs('destination', { username: 'alice', password: 'alice-secret' }, topic);

  it("holds alice's WRITE ACL back while the mirror is ACTIVE (her write is refused), and creates it at failover", async () => {
    const topic = uniqueName('ro-mirror');
    const principal = 'User:alice';
    await withAdmin('destination', (a) => a.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] }));
    const write = acl(principal, { resourceName: topic, operation: AclOperationTypes.WRITE });
    const read = acl(principal, { resourceName: topic, operation: AclOperationTypes.READ });
    cleanups.push(() => remove('source', [write, read]), () => remove('destination', [write, read]));
    await create('source', [write, read]);
    const base = snapshotFor(principal);
    const only = { aclFilters: [{ resourceFilter: { resourceType: 'topic', name: topic, patternType: 'literal' }, accessFilter: { principal, operation: 'any', permissionType: 'any' } }] };
    base.link.configs['acl.filters'] = JSON.stringify(only);
    const t = startTask();
    await t.task.apply({ ...base, mirrors: [mirrorRecord(topic, 'ACTIVE')] });
    await waitForDestination(principal, (p) => p.has(keyOf(read)), 'the READ ACL did not reach the destination');
    await t.passes(2);
    expect((await aclsOf('destination', principal)).has(keyOf(write)), 'WRITE on an ACTIVE mirror was synced').toBe(false);
    expect(t.logs.some((l) => /held back until failover or promote/.test(l))).toBe(true);
    expect(await aliceWrites(topic)).toBe('TOPIC_AUTHORIZATION_FAILED');

    await t.task.apply({ ...base, mirrors: [mirrorRecord(topic, 'PAUSED')] });
    await t.passes(2);
    expect((await aclsOf('destination', principal)).has(keyOf(write)), 'WRITE on a PAUSED mirror was synced').toBe(false);

    // Failover/promote leave the mirror STOPPED: from then on the ACL is synced and alice may write.
    await t.task.apply({ ...base, mirrors: [mirrorRecord(topic, 'STOPPED')] });
    await waitForDestination(principal, (p) => p.has(keyOf(write)), 'the WRITE ACL did not reach the destination after failover');
    expect(await aliceWrites(topic)).toBe('written');
  });
});
