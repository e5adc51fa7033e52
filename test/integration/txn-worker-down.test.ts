/**
 * mirror.transactions=exact while the worker is down, against two real clusters.
 * Invariants checked: a source transaction open when the worker is SIGKILLed, aborted by the source's
 * coordinator after the producer's transaction.timeout.ms while the worker is down, comes out on the
 * mirror exactly as on the source once the worker restarts (data, the ABORT marker at the source's
 * offset, aborted index, LSO, read_committed view); a destination transaction left open by a crashed
 * worker that stays down past the destination transaction timeout is aborted by the destination's
 * coordinator, and the restarted worker fails the partition with a message naming the marker's offset
 * and the timeout instead of extending a mirror that is no longer identical.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawCluster } from '../../src/kafka/raw/index.js';
import { listOffset } from '../../src/replication/raw-admin.js';
import { waitFor } from '../../src/util/wait-for.js';
import { kafkaFor, uniqueName } from '../helpers/kafka.js';
import { EngineRun, compileChild, createMirrorPair, destinationRecord, linkRecord, mirrorRecord, produce, raw, waitForCaughtUp } from './replication-engine.support.js';
import { committedViewsEqual, expectIdenticalTransactions, txnProducer, useClusters } from './txn-mirror.support.js';

let source: RawCluster;
let dest: RawCluster;
let child: string;
beforeAll(async () => {
  source = raw('source');
  dest = raw('destination');
  await Promise.all([source.connect(), dest.connect()]);
  useClusters(source, dest);
  child = await compileChild(new URL('./replication-engine.child.ts', import.meta.url).pathname);
});
afterAll(async () => {
  await Promise.all([source?.close(), dest?.close()]);
  if (child) rmSync(dirname(dirname(dirname(child))), { recursive: true, force: true });
});

/** A worker in its own process (the engine child), its stderr kept for failure messages. */
function startWorker(snapshot: object, env: Record<string, string> = {}): { proc: ChildProcess; stderr: () => string } {
  const proc = spawn(process.execPath, [child], { env: { ...process.env, CLINK_ENGINE_CHILD_SNAPSHOT: JSON.stringify(snapshot), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { proc, stderr: () => stderr };
}

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

const logEnd = (cluster: RawCluster, topic: string) => listOffset(cluster, topic, 0, 'latest');
const lso = (cluster: RawCluster, topic: string) => listOffset(cluster, topic, 0, 'latest', true);

describe('mirror.transactions=exact with the worker down', () => {
  it('a source transaction open at the crash and timed out by the source while the worker is down comes out identical', async () => {
    const topic = uniqueName('txn-down');
    await createMirrorPair(topic, 1);
    const kafka = kafkaFor('source');
    const hanging = kafka.producer({ transactionalId: uniqueName('txn-down'), idempotent: true, maxInFlightRequests: 1, transactionTimeout: 3000 });
    const other = await txnProducer(kafka);
    await hanging.connect();
    const link = linkRecord(uniqueName('link'));
    const snapshot = { link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] };
    let worker = startWorker(snapshot);
    try {
      let t = await other.transaction();
      await t.send({ topic, messages: [{ key: 'c', value: 'committed-0' }, { key: 'c', value: 'committed-1' }] });
      await t.commit();
      // Open on the source, never ended by its producer; more data behind it.
      const open = await hanging.transaction();
      await open.send({ topic, messages: [{ key: 'h', value: 'abort-hanging-0' }] });
      await open.send({ topic, messages: [{ key: 'h', value: 'abort-hanging-1' }] });
      await produce(kafka, topic, [[{ key: 'p', value: 'plain-behind' }]]);
      const heldAt = await lso(source, topic);
      expect(heldAt).toBeLessThan(await logEnd(source, topic));
      await waitFor(async () => (await logEnd(dest, topic)) === heldAt, { timeoutMs: 60_000, message: () => `the mirror never reached the source LSO ${heldAt}; worker stderr: ${worker.stderr().slice(-1500)}` });
      await kill(worker.proc);

      // Down: the source coordinator aborts the hanging transaction (3 s timeout, checked every 10 s by default).
      await waitFor(async () => (await lso(source, topic)) === (await logEnd(source, topic)), { timeoutMs: 60_000, intervalMs: 200, message: 'the source never timed the open transaction out' });
      t = await other.transaction();
      await t.send({ topic, messages: [{ key: 'c', value: 'committed-after' }] });
      await t.commit();
      expect(await logEnd(dest, topic), 'nothing was written while the worker was down').toBe(heldAt);

      worker = startWorker(snapshot);
      await waitForCaughtUp(topic, 60_000);
    } finally {
      await kill(worker.proc);
      await Promise.all([hanging.disconnect().catch(() => undefined), other.disconnect()]);
    }
    const totals = await expectIdenticalTransactions(topic, 1);
    // committed, the timed-out (aborted) one, committed-after: 3 markers, 1 aborted transaction.
    expect(totals).toMatchObject({ markers: 3, aborted: 1 });
    await committedViewsEqual(topic, 4);
  }, 90_000);

  it('a destination transaction left open past the destination timeout fails the partition, naming the marker offset and the timeout', async () => {
    const topic = uniqueName('txn-dest-timeout');
    await createMirrorPair(topic, 1);
    const kafka = kafkaFor('source');
    const producer = await txnProducer(kafka);
    try {
      const t = await producer.transaction();
      for (let i = 0; i < 3; i++) await t.send({ topic, messages: [{ key: `k${i}`, value: `committed-${i}` }] });
      await t.commit();
    } finally {
      await producer.disconnect();
    }
    const link = linkRecord(uniqueName('link'));
    const snapshot = { link, destination: destinationRecord(), mirrors: [mirrorRecord(link.name, topic, 1)] };
    // Destination transactions time out after 2 s; the worker SIGKILLs itself after its first transactional append.
    const worker = startWorker(snapshot, { CLINK_ENGINE_TXN_TIMEOUT_MS: '2000', CLINK_TEST_TXN_CRASH_AT: 'after-append:1' });
    const signal = await new Promise((resolve) => worker.proc.once('exit', (_code, sig) => resolve(sig)));
    expect(signal, `the worker should have killed itself after its first append; stderr: ${worker.stderr().slice(-1500)}`).toBe('SIGKILL');
    const copied = await logEnd(dest, topic);
    expect(copied, 'one batch was appended inside the destination transaction').toBe(1n);
    // The destination's coordinator aborts it: an ABORT marker at the then log end (offset 1, where the source holds data).
    await waitFor(async () => (await logEnd(dest, topic)) === copied + 1n, { timeoutMs: 60_000, intervalMs: 200, message: 'the destination coordinator never aborted the open destination transaction' });

    const run = new EngineRun({ CLINK_ENGINE_TXN_TIMEOUT_MS: '2000' });
    try {
      await run.engine.apply(snapshot);
      const report = await run.waitForStatus(topic, 'FAILED');
      const error = report.partitions[0]?.error ?? '';
      expect(error).toContain(`ABORT marker at offset ${copied}`);
      expect(error).toContain('where the source holds data');
      expect(error).toContain('transaction.max.timeout.ms');
    } finally {
      await run.engine.stop();
    }
    expect(await logEnd(dest, topic), 'nothing is appended after the misplaced marker').toBe(copied + 1n);
  }, 90_000);
});
