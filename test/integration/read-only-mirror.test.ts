/**
 * Read-only mirrors and the transactions fallback, end to end through the CLI and a real worker on the
 * harness clusters' SASL listeners (StandardAuthorizer, allow.everyone.if.no.acl.found=false).
 * Invariants checked: with ACL sync on, alice's WRITE ACL stays off the destination while the mirror is
 * ACTIVE and the broker refuses her write; `mirror describe`/`link describe` warn (every format) when
 * destination ACLs let another principal write to the live mirror (literal and prefixed) and never for
 * the link's own principal or a failed-over mirror; after `clink mirror failover` the ACL is synced and
 * the same client writes. A destination principal without transactional-id ACLs makes the worker fall
 * back to fillers, and both describes say so and why. No password shows in any output.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { getClusters, kafkaFor, tryWriteAs, uniqueName, withAdmin, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const cleanups: Array<() => Promise<unknown>> = [];
const ADMIN = { username: 'admin', password: 'admin-secret' };
const ALICE = { username: 'alice', password: 'alice-secret' };

beforeAll(() => {
  ({ source, destination } = getClusters());
  if (!source.saslBootstrap || !destination.saslBootstrap) throw new Error('the harness clusters have no SASL listener: run through the vitest "integration" project');
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const saslLines = (user: { username: string; password: string }) => [
  'security.protocol=SASL_PLAINTEXT',
  'sasl.mechanism=PLAIN',
  `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${user.username}" password="${user.password}";`,
];

function props(lines: string[]): string {
  const file = path.join(tempDir('clink-ro-'), 'client.properties');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function newHome(): { home: ClinkHome; run: (args: string[]) => ReturnType<ClinkHome['run']> } {
  const home = clinkHome();
  const env = { CLINK_STATE_DIR: path.join(home.configDir, 'state') };
  cleanups.push(() => home.run(['worker', 'stop', 'dr-link'], { env }));
  return { home, run: (args) => home.run(args, { env }) };
}

const topicAcl = (principal: string, resourceName: string, operation: number, patternType: number = ResourcePatternTypes.LITERAL): AclEntry => ({
  resourceType: AclResourceTypes.TOPIC, resourceName, resourcePatternType: patternType, principal, host: '*', operation, permissionType: AclPermissionTypes.ALLOW,
});

async function createAcls(side: 'source' | 'destination', acls: AclEntry[]): Promise<void> {
  await withAdmin(side, (a) => a.createAcls({ acl: acls }));
  cleanups.push(() => withAdmin(side, (a) => a.deleteAcls({ filters: acls })));
}

async function destinationHas(acl: AclEntry): Promise<boolean> {
  const { resources } = await withAdmin('destination', (a) => a.describeAcls({
    resourceType: acl.resourceType, resourceName: acl.resourceName, resourcePatternType: acl.resourcePatternType,
    principal: acl.principal, operation: acl.operation, permissionType: acl.permissionType,
  }));
  return resources.some((r) => r.acls.length > 0);
}

const aliceWrites = (topic: string) => tryWriteAs('destination', ALICE, topic);

async function produceSource(topic: string, count: number): Promise<void> {
  const producer = kafkaFor('source').producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();
}

function expectNoPassword(text: string, where: string): void {
  for (const secret of [ADMIN.password, ALICE.password]) expect(text.includes(secret), `${where} shows a password`).toBe(false);
}

describe('read-only mirrors through the CLI', () => {
  it("refuses alice's write while ACTIVE, warns about other writers, and lets her write after `mirror failover`", async () => {
    const topic = uniqueName('ro-mirror');
    await withAdmin('source', (a) => a.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] }));
    await produceSource(topic, 3);
    const write = topicAcl('User:alice', topic, AclOperationTypes.WRITE);
    const read = topicAcl('User:alice', topic, AclOperationTypes.READ);
    await createAcls('source', [write, read]);
    cleanups.push(() => withAdmin('destination', (a) => a.deleteAcls({ filters: [write, read] })));
    const filters = { aclFilters: [{ resourceFilter: { resourceType: 'topic', name: topic, patternType: 'literal' }, accessFilter: { principal: 'User:alice', operation: 'any', permissionType: 'any' } }] };

    const { run } = newHome();
    const add = await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.saslBootstrap!, '--config-file', props(saslLines(ADMIN))]);
    expect(add.exitCode, add.stderr).toBe(0);
    const link = await run(['link', 'create', 'dr-link', '--config-file', props([
      `bootstrap.servers=${source.saslBootstrap}`, ...saslLines(ADMIN), 'acl.sync.enable=true', 'acl.sync.ms=500', `acl.filters=${JSON.stringify(filters)}`,
    ]), '--no-start']);
    expect(link.exitCode, link.stderr).toBe(0);
    // The worker starts with the mirror, so its first ACL sync pass already holds alice's WRITE back.
    const mirror = await run(['mirror', 'create', topic, '--link', 'dr-link']);
    expect(mirror.exitCode, mirror.stderr).toBe(0);

    // The sync ran (READ arrived) and held WRITE back: the broker refuses alice's write into the live mirror.
    await waitFor(() => destinationHas(read), { timeoutMs: 30_000, message: "alice's READ ACL never reached the destination (ACL sync did not run)" });
    expect(await destinationHas(write), 'WRITE on an ACTIVE mirror reached the destination').toBe(false);
    expect(await aliceWrites(topic)).toBe('TOPIC_AUTHORIZATION_FAILED');
    const quiet = await run(['mirror', 'describe', topic, '--link', 'dr-link']);
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr, 'no other writer yet: no warning').toBe('');

    // Someone grants writes on the destination by hand: a prefixed WRITE for bob, a literal ALL for carol.
    const prefix = topic.slice(0, -3);
    await createAcls('destination', [topicAcl('User:bob', prefix, AclOperationTypes.WRITE, ResourcePatternTypes.PREFIXED), topicAcl('User:carol', topic, AclOperationTypes.ALL)]);
    const expected = `Warning: mirror topic "${topic}" of cluster link "dr-link" is read-only until failover or promote, but the destination's ACLs let ` +
      `User:bob (ALLOW WRITE on TOPIC ${prefix}, PREFIXED), User:carol (ALLOW ALL on TOPIC ${topic}, LITERAL) write to it`;
    for (const format of ['human', 'json', 'yaml']) {
      const r = await run(['mirror', 'describe', topic, '--link', 'dr-link', '-o', format]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr, `mirror describe -o ${format}`).toContain(expected);
      expectNoPassword(r.stdout + r.stderr, `mirror describe -o ${format}`);
    }
    const rows = JSON.parse((await run(['mirror', 'describe', topic, '--link', 'dr-link', '-o', 'json'])).stdout) as Array<{ writable_by: string[]; transactions: string }>;
    expect(rows[0]?.writable_by).toEqual([`User:bob (ALLOW WRITE on TOPIC ${prefix}, PREFIXED)`, `User:carol (ALLOW ALL on TOPIC ${topic}, LITERAL)`]);
    expect(rows[0]?.transactions).toBe('exact');
    const described = await run(['link', 'describe', 'dr-link', '-o', 'json']);
    expect(described.stderr).toContain(expected);
    expect((JSON.parse(described.stdout) as { mirror_writers: string[] }).mirror_writers).toEqual([
      `${topic}: User:bob (ALLOW WRITE on TOPIC ${prefix}, PREFIXED)`, `${topic}: User:carol (ALLOW ALL on TOPIC ${topic}, LITERAL)`,
    ]);
    const human = await run(['link', 'describe', 'dr-link']);
    expect(human.stdout).toMatch(/Writable Mirror Topics/);
    await withAdmin('destination', (a) => a.deleteAcls({ filters: [topicAcl('User:bob', prefix, AclOperationTypes.WRITE, ResourcePatternTypes.PREFIXED), topicAcl('User:carol', topic, AclOperationTypes.ALL)] }));

    // Failover: the mirror is STOPPED, the ACL sync creates alice's WRITE, the broker takes her write.
    const failover = await run(['mirror', 'failover', topic, '--link', 'dr-link']);
    expect(failover.exitCode, failover.stderr).toBe(0);
    await waitFor(() => destinationHas(write), { timeoutMs: 30_000, message: "alice's WRITE ACL did not reach the destination after failover" });
    expect(await aliceWrites(topic)).toBe('written');
    const after = await run(['mirror', 'describe', topic, '--link', 'dr-link']);
    expect(after.stderr, 'a failed-over mirror is writable by design: no warning').toBe('');
  }, 90_000);

  it('shows a fallback to fillers (and why) in link describe and mirror describe, every format', async () => {
    const topic = uniqueName('ro-txn-fallback');
    await withAdmin('source', (a) => a.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] }));
    // alice may do everything on the mirror topic (create it, write it), nothing on transactional ids.
    await createAcls('destination', [topicAcl('User:alice', topic, AclOperationTypes.ALL)]);
    const producer = kafkaFor('source').producer({ transactionalId: uniqueName('ro-txn'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const t = await producer.transaction();
      await t.send({ topic, messages: [{ key: 'c', value: 'committed' }] });
      await t.commit();
    } finally {
      await producer.disconnect();
    }
    const { run } = newHome();
    expect((await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.saslBootstrap!, '--config-file', props(saslLines(ALICE))])).exitCode).toBe(0);
    const link = await run(['link', 'create', 'dr-link', '--config-file', props([`bootstrap.servers=${source.bootstrap}`])]);
    expect(link.exitCode, link.stderr).toBe(0);
    const mirror = await run(['mirror', 'create', topic, '--link', 'dr-link']);
    expect(mirror.exitCode, mirror.stderr).toBe(0);

    const rows = await waitFor(async () => {
      const r = await run(['mirror', 'describe', topic, '--link', 'dr-link', '-o', 'json']);
      const parsed = r.exitCode === 0 ? (JSON.parse(r.stdout) as Array<{ transactions: string; transactions_fallback_reason: string; destination_log_end_offset: number }>) : [];
      return parsed[0]?.transactions === 'fillers' && parsed[0].destination_log_end_offset === 2 ? parsed : undefined;
    }, { timeoutMs: 45_000, message: 'mirror describe never showed partition 0 mirrored with fillers and caught up' });
    const reason = rows[0]!.transactions_fallback_reason;
    expect(reason).toContain(`mirror.transactions=exact is not possible on ${topic}-0`);
    expect(reason).toContain('TRANSACTIONAL_ID_AUTHORIZATION_FAILED');
    expect(reason).toContain('WRITE and DESCRIBE on the transactional ids clink.dr-link. (PREFIXED)');

    const human = await run(['mirror', 'describe', topic, '--link', 'dr-link']);
    expect(human.stderr).toContain(`Warning: partition 0 of mirror topic "${topic}" mirror source transactions as filler records: ${reason}`);
    const json = JSON.parse((await run(['link', 'describe', 'dr-link', '-o', 'json'])).stdout) as Record<string, unknown>;
    expect(json.mirror_transactions).toBe(`exact, but 1 mirror partition fell back to fillers: ${reason}`);
    expect(json.mirror_transactions_fallbacks).toEqual([{ mirror_topic_name: topic, partition: 0, reason }]);
    expect(json.mirror_writers, "alice is the link's own principal: not a foreign writer").toEqual([]);
    const yaml = await run(['link', 'describe', 'dr-link', '-o', 'yaml']);
    expect(yaml.stdout).toContain('mirror_transactions_fallbacks:');
    expect(yaml.stdout).toContain(`mirror_topic_name: ${topic}`);
    const table = await run(['link', 'describe', 'dr-link']);
    expect(table.stdout).toMatch(/Mirror Transactions +\| exact, but 1 mirror partition fell back to/);
    for (const r of [human, yaml, table]) expectNoPassword(r.stdout + r.stderr, 'describe output');
  }, 90_000);
});
