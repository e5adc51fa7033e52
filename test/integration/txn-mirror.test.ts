/**
 * mirror.transactions=exact against two real clusters: source transactions (kafkajs transactional
 * producers interleaving on one partition, and Kafka's own TransactionalMessageCopier with random
 * aborts over several partitions) come out on the mirror with the same data at the same offsets, real
 * COMMIT/ABORT markers at the markers' offsets, the same aborted-transaction index and last stable
 * offset, no filler record, and identical read_committed and read_uncommitted views.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawCluster } from '../../src/kafka/raw/index.js';
import { listOffset } from '../../src/replication/raw-admin.js';
import { waitFor } from '../../src/util/wait-for.js';
import { getClusters, kafkaFor, uniqueName, withAdmin } from '../helpers/kafka.js';
import {
  EngineRun, FILLER_KEY_HEX, compileChild, createMirrorPair, createTopic, destinationRecord, linkRecord, mirrorRecord, produce, raw, readPartition, waitForCaughtUp,
} from './replication-engine.support.js';
import { committedViewsEqual, expectIdenticalTransactions, txnProducer, useClusters } from './txn-mirror.support.js';

const LIBS = new URL('../../kafka/libs-4.1.1/*', import.meta.url).pathname;
let source: RawCluster;
let dest: RawCluster;
beforeAll(async () => {
  source = raw('source');
  dest = raw('destination');
  await Promise.all([source.connect(), dest.connect()]);
  useClusters(source, dest);
});
afterAll(async () => {
  await Promise.all([source?.close(), dest?.close()]);
});

describe('mirror.transactions=exact', () => {
  it('mirrors committed, aborted and interleaved kafkajs transactions with real markers at the same offsets', async () => {
    const topic = uniqueName('txn-kjs');
    await createMirrorPair(topic, 2);
    const kafka = kafkaFor('source');
    const [a, b] = await Promise.all([txnProducer(kafka), txnProducer(kafka)]);
    const msgs = (tag: string, n: number, partition = 0) => Array.from({ length: n }, (_, i) => ({ key: `${tag}-${i}`, value: `${tag}-${i}`, partition, headers: { h: `${tag}` } }));
    const link = linkRecord(uniqueName('link'));
    const run = new EngineRun();
    let committed = 0;
    try {
      // Sequential: commit, abort, plain, abort, commit (over two partitions in one transaction).
      let t = await a.transaction();
      await t.send({ topic, messages: [...msgs('c1', 3), ...msgs('c1p1', 2, 1)] });
      await t.commit();
      committed += 5;
      t = await a.transaction();
      await t.send({ topic, messages: msgs('abort-1', 2) });
      await t.abort();
      await produce(kafka, topic, [msgs('plain', 2)]);
      committed += 2;
      // Interleaved on partition 0: a opens, b opens, a writes more, b commits, a aborts, then a commits one.
      const ta = await a.transaction();
      await ta.send({ topic, messages: msgs('abort-a', 2) });
      const tb = await b.transaction();
      await tb.send({ topic, messages: msgs('cb', 2) });
      await ta.send({ topic, messages: msgs('abort-a2', 1) });
      await tb.send({ topic, messages: msgs('cb2', 3) });
      await tb.commit();
      await ta.abort();
      committed += 5;
      await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 2)] });
      await waitForCaughtUp(topic);
      // After the start: an open transaction holds the mirror at the source's LSO; data-less marker on partition 1.
      const open = await b.transaction();
      await open.send({ topic, messages: msgs('late', 2) });
      await produce(kafka, topic, [msgs('plain-behind-open', 1)]);
      const before = Number(await listOffset(source, topic, 0, 'latest'));
      await run.waitFor(topic, 'source ahead, mirror held at the LSO', (r) => r.partitions[0]?.sourceHighWatermark === before);
      const lso = await listOffset(source, topic, 0, 'latest', true);
      expect(await listOffset(dest, topic, 0, 'latest')).toBeLessThanOrEqual(lso);
      await open.commit();
      committed += 3;
      t = await a.transaction();
      await t.send({ topic, messages: [...msgs('abort-last', 1), ...msgs('abort-last-p1', 1, 1)] });
      await t.abort();
      t = await a.transaction();
      await t.send({ topic, messages: msgs('c-last', 1) });
      await t.commit();
      committed += 1;
      await waitForCaughtUp(topic);
      const report = run.reports.get(topic);
      expect(report?.partitions.every((p) => p.status === 'ACTIVE' && p.error === undefined), JSON.stringify(report)).toBe(true);
    } finally {
      await Promise.all([a.disconnect(), b.disconnect()]);
      await run.engine.stop();
    }
    const totals = await expectIdenticalTransactions(topic, 2);
    // Markers: c1 (both partitions), abort-1, b, a, open, abort-last (both partitions), c-last; aborted: 3 on p0, 1 on p1.
    expect(totals).toMatchObject({ markers: 9, aborted: 4 });
    await committedViewsEqual(topic, committed);
  }, 180_000);

  it("mirrors Kafka's TransactionalMessageCopier output (random aborts, 3 partitions) identically", async () => {
    const input = uniqueName('txn-java-in');
    const topic = uniqueName('txn-java');
    await Promise.all([createTopic('source', input, 1), createMirrorPair(topic, 3)]);
    const kafka = kafkaFor('source');
    await produce(kafka, input, Array.from({ length: 10 }, (_, b) => Array.from({ length: 50 }, (_, i) => ({ key: `k${b}-${i}`, value: `v${b}-${i}-${'x'.repeat(i)}` }))));
    const link = linkRecord(uniqueName('link'));
    const run = new EngineRun();
    try {
      await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 3)] });
      await runJava('org.apache.kafka.tools.TransactionalMessageCopier', [
        '--broker-list', getClusters().source.bootstrap, '--input-topic', input, '--input-partition', '0', '--output-topic', topic,
        '--transactional-id', uniqueName('java-copier'), '--consumer-group', uniqueName('java-copier'), '--transaction-size', '37',
        '--max-messages', '500', '--enable-random-aborts',
      ]);
      await waitForCaughtUp(topic, 120_000);
    } finally {
      await run.engine.stop();
    }
    const totals = await expectIdenticalTransactions(topic, 3);
    expect(totals.markers).toBeGreaterThan(3);
    // 500 input records end up committed exactly once (aborted attempts are retried by the copier).
    await committedViewsEqual(topic, 500);
  }, 240_000);
  it('stays identical after SIGKILLs of the worker after AddPartitionsToTxn, after appends, and after EndTxn before the marker landed', async () => {
    const topic = uniqueName('txn-crash');
    await createMirrorPair(topic, 1);
    const kafka = kafkaFor('source');
    const [a, b] = await Promise.all([txnProducer(kafka), txnProducer(kafka)]);
    let committed = 0;
    try {
      for (let i = 0; i < 8; i++) {
        const t = await a.transaction();
        for (let j = 0; j < 3; j++) await t.send({ topic, messages: [{ key: `t${i}-${j}`, value: `${i % 3 === 1 ? 'abort' : 'commit'}-${i}-${j}` }] });
        if (i % 3 === 1) await t.abort();
        else {
          await t.commit();
          committed += 3;
        }
        if (i === 4) {
          // Interleaved: two open transactions on the partition at once.
          const ta = await a.transaction();
          const tb = await b.transaction();
          await ta.send({ topic, messages: [{ key: 'ia', value: 'abort-ia' }] });
          await tb.send({ topic, messages: [{ key: 'ib', value: 'commit-ib' }] });
          await ta.send({ topic, messages: [{ key: 'ia2', value: 'abort-ia2' }] });
          await tb.commit();
          await ta.abort();
          committed += 1;
        }
      }
    } finally {
      await Promise.all([a.disconnect(), b.disconnect()]);
    }
    const link = linkRecord(uniqueName('link'));
    const snapshot = { link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] };
    const child = await compileChild(new URL('./replication-engine.child.ts', import.meta.url).pathname);
    try {
      for (const crashAt of ['after-add:2', 'after-append:4', 'after-endtxn:2']) {
        const before = await listOffset(dest, topic, 0, 'latest');
        const proc = spawn(process.execPath, [child], { env: { ...process.env, CLINK_ENGINE_CHILD_SNAPSHOT: JSON.stringify(snapshot), CLINK_TEST_TXN_CRASH_AT: crashAt }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
        const signal = await new Promise((resolve) => proc.once('exit', (_code, sig) => resolve(sig)));
        expect(signal, `the worker should have killed itself at ${crashAt}; stderr: ${stderr.slice(-1500)}`).toBe('SIGKILL');
        expect(await listOffset(dest, topic, 0, 'latest'), `progress before the crash at ${crashAt}`).toBeGreaterThan(before);
      }
      const last = new EngineRun();
      try {
        await last.engine.apply(snapshot);
        await waitForCaughtUp(topic, 120_000);
        const report = await last.waitFor(topic, 'caught up', (r) => r.partitions[0]?.destinationLogEnd === r.partitions[0]?.sourceHighWatermark);
        expect(report.partitions[0]?.status, JSON.stringify(report)).toBe('ACTIVE');
        expect(report.partitions[0]?.error).toBeUndefined();
      } finally {
        await last.engine.stop();
      }
    } finally {
      rmSync(dirname(dirname(dirname(child))), { recursive: true, force: true });
    }
    const totals = await expectIdenticalTransactions(topic, 1);
    expect(totals).toMatchObject({ markers: 10, aborted: 4 });
    await committedViewsEqual(topic, committed);
  }, 240_000);

  it('holds the mirror at the source LSO while a source transaction hangs; its abort and its timeout come out as on the source', async () => {
    const topic = uniqueName('txn-hang');
    await createMirrorPair(topic, 1);
    const kafka = kafkaFor('source');
    const hanging = kafka.producer({ transactionalId: uniqueName('txn-hang'), idempotent: true, maxInFlightRequests: 1, transactionTimeout: 3000 });
    const other = await txnProducer(kafka);
    await hanging.connect();
    const link = linkRecord(uniqueName('link'));
    const run = new EngineRun();
    const heldAtLso = async (why: string) => {
      const high = Number(await listOffset(source, topic, 0, 'latest'));
      const lso = Number(await listOffset(source, topic, 0, 'latest', true));
      expect(lso).toBeLessThan(high);
      await run.waitFor(topic, `${why}: source high watermark seen`, (r) => r.partitions[0]?.sourceHighWatermark === high);
      await run.waitFor(topic, `${why}: mirror at the source LSO ${lso}`, (r) => r.partitions[0]?.destinationLogEnd === lso);
      expect(Number(await listOffset(dest, topic, 0, 'latest'))).toBe(lso);
    };
    try {
      await produce(kafka, topic, [[{ key: 'p', value: 'plain-0' }]]);
      await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] });
      // 1. open, then aborted by its producer.
      let t = await other.transaction();
      await t.send({ topic, messages: [{ key: 'o', value: 'abort-open' }] });
      await produce(kafka, topic, [[{ key: 'p', value: 'plain-behind-1' }]]);
      await heldAtLso('open transaction');
      await t.abort();
      await waitForCaughtUp(topic);
      // 2. open, never ended: the source coordinator aborts it after transaction.timeout.ms (3 s).
      t = await hanging.transaction();
      await t.send({ topic, messages: [{ key: 'h', value: 'abort-hanging' }] });
      await produce(kafka, topic, [[{ key: 'p', value: 'plain-behind-2' }]]);
      await heldAtLso('hanging transaction');
      await waitFor(async () => (await listOffset(source, topic, 0, 'latest', true)) === (await listOffset(source, topic, 0, 'latest')), { timeoutMs: 60_000, message: 'the source never timed the hanging transaction out' });
      await waitForCaughtUp(topic);
    } finally {
      await Promise.all([hanging.disconnect().catch(() => undefined), other.disconnect()]);
      await run.engine.stop();
    }
    const totals = await expectIdenticalTransactions(topic, 1);
    expect(totals).toMatchObject({ markers: 2, aborted: 2 });
    await committedViewsEqual(topic, 3);
  }, 180_000);
  it('falls back to fillers, and says so, when the SASL destination principal has no transactional-id ACLs', async () => {
    const topic = uniqueName('txn-noacl');
    await createMirrorPair(topic, 1);
    const { destination: d } = getClusters();
    if (d.saslBootstrap === undefined || d.users === undefined) throw new Error('the destination cluster has no SASL listener: run the tests with the harness clusters');
    const alice = Object.values(d.users).find((u) => !u.superUser);
    if (alice === undefined) throw new Error('the harness destination has no ordinary SASL user');
    // alice may do everything on the mirror topic, nothing on transactional ids.
    await withAdmin('destination', (admin) => admin.createAcls({ acl: [{
      resourceType: AclResourceTypes.TOPIC, resourceName: topic, resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: `User:${alice.username}`, host: '*', operation: AclOperationTypes.ALL, permissionType: AclPermissionTypes.ALLOW,
    }] }));
    const kafka = kafkaFor('source');
    const tx = await txnProducer(kafka);
    try {
      for (const outcome of ['commit', 'abort', 'commit'] as const) {
        const t = await tx.transaction();
        await t.send({ topic, messages: [{ key: outcome, value: `${outcome}-0` }, { key: outcome, value: `${outcome}-1` }] });
        await (outcome === 'commit' ? t.commit() : t.abort());
      }
    } finally {
      await tx.disconnect();
    }
    const destination = {
      ...destinationRecord(), bootstrapServers: d.saslBootstrap,
      clientConfig: { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="${alice.username}" password="${alice.password}";` },
    };
    const link = linkRecord(uniqueName('link'));
    const run = new EngineRun();
    try {
      await run.engine.apply({ link, destination, mirrors: [mirrorRecord(link.name, topic, 1)] });
      await waitForCaughtUp(topic);
      const report = await run.waitFor(topic, 'caught up', (r) => r.partitions[0]?.destinationLogEnd === 9);
      expect(report.partitions[0]?.status, JSON.stringify(report)).toBe('ACTIVE');
    } finally {
      await run.engine.stop();
    }
    const warning = run.logs.find((l) => l.level === 'warn' && l.message.includes('mirror.transactions=exact is not possible'));
    expect(warning?.message, JSON.stringify(run.logs.slice(-10))).toContain('TRANSACTIONAL_ID_AUTHORIZATION_FAILED');
    expect(warning?.message).toContain(`WRITE and DESCRIBE on the transactional ids clink.${link.name}. (PREFIXED)`);
    expect(warning?.message).not.toContain(alice.password);
    const [s, m] = await Promise.all([readPartition(source, topic, 0), readPartition(dest, topic, 0)]);
    expect(m.map((r) => r.offset)).toEqual(s.map((r) => r.offset));
    s.forEach((r, i) => {
      const hidden = r.control || Buffer.from(r.value ?? '', 'hex').toString().startsWith('abort');
      if (hidden) expect(m[i]).toMatchObject({ key: FILLER_KEY_HEX, value: null, control: false });
      else expect(m[i]).toEqual(r);
    });
  }, 120_000);
  it('a mirror started inside a source transaction gets its marker with no data (AddPartitionsToTxn + EndTxn)', async () => {
    const topic = uniqueName('txn-midstart');
    await createMirrorPair(topic, 1);
    const kafka = kafkaFor('source');
    const tx = await txnProducer(kafka);
    const link = linkRecord(uniqueName('link'), { 'mirror.start.offset.spec': 'latest' });
    const run = new EngineRun();
    let start = -1n;
    try {
      const t = await tx.transaction();
      await t.send({ topic, messages: [{ key: 'a', value: 'before-start-0' }, { key: 'b', value: 'before-start-1' }] });
      start = await listOffset(source, topic, 0, 'latest');
      await run.engine.apply({ link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] });
      await run.waitFor(topic, 'started at the source high watermark', (r) => r.partitions[0]?.destinationLogEnd === Number(start));
      await t.commit();
      await produce(kafka, topic, [[{ key: 'p', value: 'after' }]]);
      await waitFor(async () => (await listOffset(dest, topic, 0, 'latest')) === start + 2n, { timeoutMs: 60_000, message: 'the marker and the record after it were not mirrored' });
    } finally {
      await tx.disconnect();
      await run.engine.stop();
    }
    const [s2, d2] = await Promise.all([readPartition(source, topic, 0), readPartition(dest, topic, 0)]);
    const after = s2.filter((r) => BigInt(r.offset) >= start);
    expect(d2.map((r) => [r.offset, r.control, r.control ? r.key : r.value])).toEqual(after.map((r) => [r.offset, r.control, r.control ? r.key : r.value]));
    expect(d2[0]?.control).toBe(true);
    expect(await listOffset(dest, topic, 0, 'latest', true)).toBe(await listOffset(source, topic, 0, 'latest', true));
  }, 120_000);
});

async function runJava(main: string, args: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', LIBS, main, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => reject(new Error(`java ${main} could not start (install a JDK 17+): ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`java ${main} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}
