/**
 * What the transactional mirror tests compare, shared by txn-mirror.test.ts and txn-worker-down.test.ts:
 * the same records at the same offsets on both clusters, markers of the same type at the same offsets,
 * the same aborted-transaction index and last stable offset, no filler record, and identical
 * read_committed views through a kafkajs consumer (its own aborted-transaction filtering).
 */
import { expect } from 'vitest';
import type { Kafka } from 'kafkajs';
import { fetchRaw, type RawCluster } from '../../src/kafka/raw/index.js';
import { listOffset } from '../../src/replication/raw-admin.js';
import { waitFor } from '../../src/util/wait-for.js';
import { FAST_CONSUMER, kafkaFor, uniqueName, type ClusterSide } from '../helpers/kafka.js';
import { FILLER_KEY_HEX, readPartition } from './replication-engine.support.js';

let source: RawCluster;
let dest: RawCluster;
/** The raw connections the comparisons read through (each test file owns and closes them). */
export function useClusters(s: RawCluster, d: RawCluster): void {
  source = s;
  dest = d;
}

interface Seen {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: string;
  timestamp: string;
}

/** What a read_committed kafkajs consumer (its own aborted-transaction filtering) reads, `count` records. */
export async function readCommitted(side: ClusterSide, topic: string, count: number): Promise<Seen[]> {
  const consumer = kafkaFor(side).consumer({ groupId: uniqueName('txn-rc'), ...FAST_CONSUMER, readUncommitted: false });
  const seen: Seen[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers = JSON.stringify(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        seen.push({ partition, offset: message.offset, key: message.key?.toString('hex') ?? null, value: message.value?.toString('hex') ?? null, headers, timestamp: message.timestamp });
      },
    });
    await waitFor(() => seen.length >= count, { timeoutMs: 60_000, message: () => `read_committed consumer on the ${side} read ${seen.length} of ${count} records of ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return seen.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

const abortedStarts = async (cluster: RawCluster, topic: string, partition: number): Promise<string[]> => {
  const r = await fetchRaw(cluster, { topic, partition, offset: 0n, maxBytes: 64 << 20, maxWaitMs: 0, isolation: 'read_committed' });
  return r.abortedTransactions.map((a) => String(a.firstOffset)).sort();
};

/** Both clusters hold the same records at the same offsets, markers of the same type, the same aborted index and LSO. */
export async function expectIdenticalTransactions(topic: string, partitions: number): Promise<{ data: number; markers: number; aborted: number }> {
  const totals = { data: 0, markers: 0, aborted: 0 };
  for (let p = 0; p < partitions; p++) {
    const [s, d] = await Promise.all([readPartition(source, topic, p), readPartition(dest, topic, p)]);
    expect(d.map((r) => r.offset), `offsets of ${topic}-${p}`).toEqual(s.map((r) => r.offset));
    expect(d.filter((r) => r.key === FILLER_KEY_HEX), `filler records on ${topic}-${p}`).toEqual([]);
    expect(d.filter((r) => !r.control), `data records of ${topic}-${p}`).toEqual(s.filter((r) => !r.control));
    // A marker's value holds its coordinator's epoch and its timestamp is when it was written: only the key (type) is the source's.
    expect(d.filter((r) => r.control).map((r) => [r.offset, r.key]), `markers of ${topic}-${p}`).toEqual(s.filter((r) => r.control).map((r) => [r.offset, r.key]));
    const [sAborted, dAborted] = await Promise.all([abortedStarts(source, topic, p), abortedStarts(dest, topic, p)]);
    expect(dAborted, `aborted-transaction index of ${topic}-${p}`).toEqual(sAborted);
    const [sLso, dLso] = await Promise.all([listOffset(source, topic, p, 'latest', true), listOffset(dest, topic, p, 'latest', true)]);
    expect(dLso, `last stable offset of ${topic}-${p}`).toBe(sLso);
    totals.data += s.filter((r) => !r.control).length;
    totals.markers += s.filter((r) => r.control).length;
    totals.aborted += sAborted.length;
  }
  return totals;
}

export async function committedViewsEqual(topic: string, count: number): Promise<void> {
  const [s, d] = await Promise.all([readCommitted('source', topic, count), readCommitted('destination', topic, count)]);
  expect(s).toHaveLength(count);
  expect(d).toEqual(s);
}

export const txnProducer = async (kafka: Kafka) => {
  const p = kafka.producer({ transactionalId: uniqueName('txn-src'), idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  return p;
};

