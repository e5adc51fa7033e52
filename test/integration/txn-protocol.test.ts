/**
 * The broker behaviours the transactional mirror writer relies on, pinned against a real Kafka 4.1
 * destination with the raw transaction requests (TV1 versions): a marker lands at the log end after
 * EndTxn returns; the epoch stays constant across transactions and sequences continue; an aborted
 * transaction is in the aborted-transaction index; a transaction with no data still gets a marker;
 * DescribeTransactions/DescribeProducers show an open transaction, and a fresh connection can continue
 * it with the same producer id, epoch and next sequence (nothing ties a transaction to a connection);
 * the broker refuses what the writer must never do (control batches from a client, transactional data
 * before AddPartitionsToTxn, non-transactional data from a producer id whose transaction is open);
 * InitProducerId on an Ongoing transaction aborts it with a marker at the log end; and the coordinator
 * times a transaction out from its start however busy it is, after which it cannot be continued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RawCluster, addPartitionToTxn, decodeControlMarker, describeProducers, describeTransactions, endTxn, fetchRaw,
  findTransactionCoordinator, initTransactionalProducerId, produceRaw, type RawBroker, type TxnProducer,
} from '../../src/kafka/raw/index.js';
import { Attr } from '../../src/kafka/raw/index.js';
import { fillerBatch, restampBatch, stampBatch } from '../../src/replication/batch-codec.js';
import { listOffset } from '../../src/replication/raw-admin.js';
import { stampTransactional } from '../../src/replication/txn/stamp.js';
import { waitFor } from '../../src/util/wait-for.js';
import { getClusters, uniqueName, withAdmin } from '../helpers/kafka.js';

const connect = () => new RawCluster({ brokers: [getClusters().destination.bootstrap], clientId: 'clink-txn-protocol-test' });
let dest: RawCluster;

beforeAll(async () => {
  dest = connect();
  await dest.connect();
});
afterAll(async () => dest.close());

async function coordinatorFor(cluster: RawCluster, topic: string, transactionalId: string): Promise<RawBroker> {
  const any = await cluster.leaderFor(topic, 0);
  const found = await waitFor(async () => {
    const a = await findTransactionCoordinator(any, transactionalId);
    return a.errorCode === 0 ? a : undefined;
  }, { timeoutMs: 30_000, message: `no transaction coordinator for ${transactionalId}` });
  return cluster.broker(found.nodeId);
}

async function txnProducer(coordinator: RawBroker, transactionalId: string): Promise<TxnProducer> {
  const init = await waitFor(async () => {
    const a = await initTransactionalProducerId(coordinator, transactionalId, 60_000);
    // 14, 15, 16: the coordinator is loading, unavailable or moved; 51: CONCURRENT_TRANSACTIONS.
    if (a.errorCode !== 0 && ![14, 15, 16, 51].includes(a.errorCode)) {
      throw new Error(`InitProducerId(${transactionalId}): ${a.errorName}`);
    }
    return a.errorCode === 0 ? a : undefined;
  }, { timeoutMs: 30_000, message: `InitProducerId(${transactionalId}) never succeeded` });
  return { transactionalId, producerId: init.producerId, producerEpoch: init.producerEpoch };
}

const logEnd = (topic: string) => listOffset(dest, topic, 0, 'latest');
const lso = (topic: string) => listOffset(dest, topic, 0, 'latest', true);
async function waitForLogEnd(topic: string, offset: bigint, why: string): Promise<void> {
  let last = -1n;
  await waitFor(async () => (last = await logEnd(topic)) === offset, { timeoutMs: 30_000, message: () => `${why}: log end ${last}, expected ${offset}` });
}

async function append(cluster: RawCluster, topic: string, p: TxnProducer, sequence: number, count: number): Promise<bigint> {
  const batch = stampTransactional(fillerBatch(count, BigInt(Date.now())), { producerId: p.producerId, producerEpoch: p.producerEpoch, baseSequence: sequence });
  const r = await produceRaw(cluster, { topic, partition: 0, batch, timeoutMs: 10_000, transactionalId: p.transactionalId });
  expect(r.errorName, `transactional produce of ${count} records at sequence ${sequence}: ${r.errorMessage}`).toBe('NONE');
  return r.baseOffset;
}

async function markerAt(topic: string, offset: bigint): Promise<string> {
  const r = await fetchRaw(dest, { topic, partition: 0, offset, maxBytes: 1, maxWaitMs: 0, isolation: 'read_uncommitted' });
  const batch = r.batches.find((b) => b.baseOffset === offset);
  if (batch === undefined) return `no batch at ${offset}`;
  return batch.isControl ? decodeControlMarker(batch).type : `data batch at ${offset}`;
}

describe('destination transactions over the raw layer (TV1 versions)', () => {
  it('places COMMIT and ABORT markers at the log end, keeps the epoch, indexes aborted data, takes a data-less marker', async () => {
    const topic = uniqueName('txn-proto');
    await withAdmin('destination', (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const id = uniqueName('clink.test');
    const coordinator = await coordinatorFor(dest, topic, id);
    const p = await txnProducer(coordinator, id);

    // 1. committed: 3 records at 0..2, COMMIT marker written after EndTxn returns, at 3.
    expect((await addPartitionToTxn(coordinator, p, topic, 0)).errorName).toBe('NONE');
    expect(await append(dest, topic, p, 0, 3)).toBe(0n);
    expect((await lso(topic))).toBe(0n); // open transaction: the LSO is its first offset
    expect((await endTxn(coordinator, p, true)).errorName).toBe('NONE');
    await waitForLogEnd(topic, 4n, 'COMMIT marker');
    expect(await markerAt(topic, 3n)).toBe('COMMIT');
    expect(await lso(topic)).toBe(4n);

    // 2. aborted, same producer id and epoch (TV1), sequence continuing at 3: data 4..5, ABORT at 6, indexed.
    expect((await addPartitionToTxn(coordinator, p, topic, 0)).errorName).toBe('NONE');
    expect(await append(dest, topic, p, 3, 2)).toBe(4n);
    expect((await endTxn(coordinator, p, false)).errorName).toBe('NONE');
    await waitForLogEnd(topic, 7n, 'ABORT marker');
    expect(await markerAt(topic, 6n)).toBe('ABORT');
    const committed = await fetchRaw(dest, { topic, partition: 0, offset: 0n, maxBytes: 1 << 20, maxWaitMs: 0, isolation: 'read_committed' });
    expect(committed.abortedTransactions).toEqual([{ producerId: p.producerId, firstOffset: 4n }]);

    // 3. a transaction with no data on the partition still gets its marker (at 7), and moves the LSO past it.
    expect((await addPartitionToTxn(coordinator, p, topic, 0)).errorName).toBe('NONE');
    expect((await endTxn(coordinator, p, true)).errorName).toBe('NONE');
    await waitForLogEnd(topic, 8n, 'data-less COMMIT marker');
    expect(await markerAt(topic, 7n)).toBe('COMMIT');
    await waitFor(async () => (await lso(topic)) === 8n, { timeoutMs: 10_000, message: 'LSO did not reach 8' });

    const [done] = await describeTransactions(coordinator, [id]);
    expect(done).toMatchObject({ errorName: 'NONE', state: 'CompleteCommit', producerId: p.producerId, producerEpoch: p.producerEpoch });
  }, 120_000);

  it('shows an open transaction in DescribeTransactions/DescribeProducers; another connection continues it', async () => {
    const topic = uniqueName('txn-proto-resume');
    await withAdmin('destination', (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const id = uniqueName('clink.test');
    const coordinator = await coordinatorFor(dest, topic, id);
    const p = await txnProducer(coordinator, id);
    expect((await addPartitionToTxn(coordinator, p, topic, 0)).errorName).toBe('NONE');
    expect(await append(dest, topic, p, 0, 2)).toBe(0n);
    expect(await append(dest, topic, p, 2, 3)).toBe(2n);

    const [open] = await describeTransactions(coordinator, [id, uniqueName('clink.none')]);
    expect(open).toMatchObject({ errorName: 'NONE', state: 'Ongoing', producerId: p.producerId, producerEpoch: p.producerEpoch, timeoutMs: 60_000, partitions: [{ topic, partition: 0 }] });
    expect(open?.startTimeMs).toBeGreaterThan(0n);
    const unknown = await describeTransactions(coordinator, [uniqueName('clink.none')]);
    expect(unknown[0]?.errorName).toBe('TRANSACTIONAL_ID_NOT_FOUND');
    const producers = await describeProducers(await dest.leaderFor(topic, 0), topic, 0);
    expect(producers.errorName).toBe('NONE');
    expect(producers.producers.find((x) => x.producerId === p.producerId)).toMatchObject({ producerEpoch: p.producerEpoch, lastSequence: 4, currentTxnStartOffset: 0n });

    // A new process: new connections, the same producer id/epoch, the next sequence, no InitProducerId.
    const other = connect();
    try {
      await other.connect();
      const otherCoordinator = await coordinatorFor(other, topic, id);
      expect(await append(other, topic, p, 5, 1)).toBe(5n);
      expect((await endTxn(otherCoordinator, p, true)).errorName).toBe('NONE');
    } finally {
      await other.close();
    }
    await waitForLogEnd(topic, 7n, 'COMMIT of the continued transaction');
    expect(await markerAt(topic, 6n)).toBe('COMMIT');
    const after = await describeProducers(await dest.leaderFor(topic, 0), topic, 0);
    expect(after.producers.find((x) => x.producerId === p.producerId)?.currentTxnStartOffset).toBe(-1n);
  }, 120_000);

  it('refuses control batches, unverified transactional data and non-transactional data from an open transaction; InitProducerId aborts an Ongoing one', async () => {
    const topic = uniqueName('txn-proto-rules');
    await withAdmin('destination', (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const id = uniqueName('clink.test');
    const coordinator = await coordinatorFor(dest, topic, id);
    const p = await txnProducer(coordinator, id);
    const stamp = (sequence: number) => ({ producerId: p.producerId, producerEpoch: p.producerEpoch, baseSequence: sequence });
    const send = (batch: ReturnType<typeof fillerBatch>, transactional: boolean) =>
      produceRaw(dest, { topic, partition: 0, batch, timeoutMs: 10_000, ...(transactional ? { transactionalId: id } : {}) });

    // Transactional data before AddPartitionsToTxn (transaction.partition.verification.enable=true): refused.
    const unverified = await send(stampTransactional(fillerBatch(1, BigInt(Date.now())), stamp(0)), true);
    expect(unverified.errorName, unverified.errorMessage ?? "").not.toBe('NONE');
    expect(await logEnd(topic)).toBe(0n);

    expect((await addPartitionToTxn(coordinator, p, topic, 0)).errorName).toBe('NONE');
    expect(await append(dest, topic, p, 0, 2)).toBe(0n);
    // A control batch from a client: refused ("Clients are not allowed to write control records").
    const control = await send(restampBatch(fillerBatch(1, BigInt(Date.now())), stamp(2), Attr.TRANSACTIONAL | Attr.CONTROL), true);
    expect(control.errorName, control.errorMessage ?? "").toBe('INVALID_RECORD');
    // The same producer id, non-transactional, while its transaction is open: refused.
    const plain = await send(stampBatch(fillerBatch(1, BigInt(Date.now())), stamp(2)), false);
    expect(plain.errorName, plain.errorMessage ?? "").not.toBe('NONE');
    expect(await logEnd(topic), 'nothing refused was appended').toBe(2n);

    // InitProducerId on the Ongoing transaction fences it: ABORT at the log end (2), a bumped epoch.
    const again = await txnProducer(coordinator, id);
    expect(again.producerEpoch).toBeGreaterThan(p.producerEpoch);
    await waitForLogEnd(topic, 3n, 'ABORT marker written by the fencing InitProducerId');
    expect(await markerAt(topic, 2n)).toBe('ABORT');
    const committed = await fetchRaw(dest, { topic, partition: 0, offset: 0n, maxBytes: 1 << 20, maxWaitMs: 0, isolation: 'read_committed' });
    expect(committed.abortedTransactions).toEqual([{ producerId: p.producerId, firstOffset: 0n }]);
    const fenced = await send(stampTransactional(fillerBatch(1, BigInt(Date.now())), stamp(2)), true);
    expect(fenced.errorName, 'the old epoch cannot continue').not.toBe('NONE');
  }, 120_000);

  it('times a transaction out from its start, however busy; it cannot be continued afterwards', async () => {
    const topic = uniqueName('txn-proto-timeout');
    await withAdmin('destination', (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const id = uniqueName('clink.test');
    const coordinator = await coordinatorFor(dest, topic, id);
    const TIMEOUT_MS = 1500;
    const init = await waitFor(async () => {
      const a = await initTransactionalProducerId(coordinator, id, TIMEOUT_MS);
      return a.errorCode === 0 ? a : undefined;
    }, { timeoutMs: 30_000, message: `InitProducerId(${id}, ${TIMEOUT_MS} ms) never succeeded` });
    const p: TxnProducer = { transactionalId: id, producerId: init.producerId, producerEpoch: init.producerEpoch };
    expect((await addPartitionToTxn(coordinator, p, topic, 0)).errorName).toBe('NONE');
    const started = Date.now();
    // Busy: one append every 200 ms until the coordinator aborts the transaction (checked every 10 s by default).
    let sequence = 0;
    let refused = '';
    while (refused === '' && Date.now() - started < 60_000) {
      const batch = stampTransactional(fillerBatch(1, BigInt(Date.now())), { producerId: p.producerId, producerEpoch: p.producerEpoch, baseSequence: sequence });
      const r = await produceRaw(dest, { topic, partition: 0, batch, timeoutMs: 10_000, transactionalId: id });
      if (r.errorCode === 0) sequence++;
      else refused = r.errorName;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(refused, 'appends were accepted for 60 s: the transaction never timed out').not.toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    await waitForLogEnd(topic, BigInt(sequence) + 1n, 'ABORT marker of the timed-out transaction');
    expect(await markerAt(topic, BigInt(sequence))).toBe('ABORT');
    const [d] = await describeTransactions(coordinator, [id]);
    expect(d?.state).toMatch(/Abort/);
    expect((await endTxn(coordinator, p, true)).errorName, 'EndTxn with the old epoch').not.toBe('NONE');
  }, 120_000);
});
