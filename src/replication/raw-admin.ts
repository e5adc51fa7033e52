/**
 * The three admin requests the copier sends over the raw layer's connections, because kafkajs either
 * lacks them or answers with the wrong thing: ListOffsets with an explicit isolation level (kafkajs's
 * admin reports the LSO as "high"), DeleteRecords to the partition leader, InitProducerId for an
 * idempotent (non-transactional) producer id.
 * Invariants: every request goes to the partition's current leader (metadata refreshed and retried a
 * bounded number of times on stale-leadership answers); a partition error other than stale leadership
 * is thrown as a KafkaProtocolError naming the partition, never swallowed.
 */
import { KafkaProtocolError, isStaleMetadataError, kafkaErrorName, type RawBroker, type RawCluster } from '../kafka/raw/index.js';
import { WireReader, WireWriter } from '../kafka/raw/wire.js';

export type OffsetQuery = 'earliest' | 'latest' | { timestampMs: number };
const EARLIEST = -2n;
const LATEST = -1n;
const ATTEMPTS = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface PartitionAnswer {
  partition: number;
  errorCode: number;
  offset: bigint;
}

async function listOffsetsFrom(broker: RawBroker, topic: string, partitions: number[], query: OffsetQuery, readCommitted: boolean): Promise<PartitionAnswer[]> {
  const version = broker.negotiateVersion(2, 'ListOffsets', 2, 5);
  const timestamp = query === 'earliest' ? EARLIEST : query === 'latest' ? LATEST : BigInt(query.timestampMs);
  const request = {
    apiKey: 2,
    apiVersion: version,
    apiName: 'ListOffsets',
    encode: async () => {
      const w = new WireWriter(64 + partitions.length * 16);
      w.int32(-1).int8(readCommitted ? 1 : 0);
      w.array([topic], (t) => {
        w.string(t).array(partitions, (p) => {
          w.int32(p);
          if (version >= 4) w.int32(-1);
          w.int64(timestamp);
        });
      });
      return w;
    },
  };
  const response = {
    decode: async (payload: Buffer) => {
      const r = new WireReader(payload);
      r.int32();
      const answers: PartitionAnswer[] = [];
      r.array(() => {
        r.string();
        r.array(() => {
          const partition = r.int32();
          const errorCode = r.int16();
          r.int64();
          const offset = r.int64();
          if (version >= 4) r.int32();
          answers.push({ partition, errorCode, offset });
        });
      });
      return { answers };
    },
    parse: async (decoded: { answers: PartitionAnswer[] }) => decoded,
  };
  return (await broker.send(request, response)).answers;
}

/**
 * Offsets of partitions of one topic: log start (earliest), high watermark (latest, read_uncommitted)
 * or last stable offset (latest, readCommitted), or the first offset at/after a timestamp (-1 if none).
 */
export async function listOffsets(cluster: RawCluster, topic: string, partitions: readonly number[], query: OffsetQuery, readCommitted = false): Promise<Map<number, bigint>> {
  const out = new Map<number, bigint>();
  let pending = [...partitions];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const byLeader = new Map<number, number[]>();
    for (const p of pending) {
      const id = await cluster.leaderIdFor(topic, p);
      byLeader.set(id, [...(byLeader.get(id) ?? []), p]);
    }
    const retry: number[] = [];
    await Promise.all(
      [...byLeader].map(async ([id, group]) => {
        for (const a of await listOffsetsFrom(await cluster.broker(id), topic, group, query, readCommitted)) {
          if (a.errorCode === 0) out.set(a.partition, a.offset);
          else if (isStaleMetadataError(a.errorCode) && attempt < ATTEMPTS) retry.push(a.partition);
          else throw new KafkaProtocolError(a.errorCode, `list offsets of ${topic}-${a.partition}: ${kafkaErrorName(a.errorCode).toLowerCase()}`, { context: { topic, partition: a.partition } });
        }
      }),
    );
    pending = retry;
    if (pending.length > 0) {
      await sleep(100 * 2 ** attempt);
      await cluster.refreshMetadata();
    }
  }
  return out;
}

export async function listOffset(cluster: RawCluster, topic: string, partition: number, query: OffsetQuery, readCommitted = false): Promise<bigint> {
  const offset = (await listOffsets(cluster, topic, [partition], query, readCommitted)).get(partition);
  if (offset === undefined) throw new KafkaProtocolError(3, `no offset for ${topic}-${partition}`);
  return offset;
}

/** DeleteRecords: moves the partition's log start offset up to `offset` (which must be <= its high watermark). */
export async function deleteRecordsBefore(cluster: RawCluster, topic: string, partition: number, offset: bigint, timeoutMs = 10_000): Promise<bigint> {
  for (let attempt = 1; ; attempt++) {
    const broker = await cluster.leaderFor(topic, partition);
    const version = broker.negotiateVersion(21, 'DeleteRecords', 0, 1);
    const request = {
      apiKey: 21,
      apiVersion: version,
      apiName: 'DeleteRecords',
      encode: async () => {
        const w = new WireWriter(64 + topic.length);
        w.array([topic], (t) => w.string(t).array([partition], (p) => w.int32(p).int64(offset)));
        return w.int32(timeoutMs);
      },
    };
    const response = {
      decode: async (payload: Buffer) => {
        const r = new WireReader(payload);
        r.int32();
        let result = { errorCode: -1, lowWatermark: -1n };
        r.array(() => {
          r.string();
          r.array(() => {
            r.int32();
            const lowWatermark = r.int64();
            result = { errorCode: r.int16(), lowWatermark };
          });
        });
        return result;
      },
      parse: async (decoded: { errorCode: number; lowWatermark: bigint }) => decoded,
    };
    const answer = await broker.send(request, response, timeoutMs);
    if (answer.errorCode === 0) return answer.lowWatermark;
    if (!isStaleMetadataError(answer.errorCode) || attempt >= ATTEMPTS) {
      throw new KafkaProtocolError(answer.errorCode, `delete records of ${topic}-${partition} before ${offset}: ${kafkaErrorName(answer.errorCode).toLowerCase()}`);
    }
    await sleep(100 * 2 ** attempt);
    await cluster.refreshMetadata();
  }
}

export interface ProducerIdentity {
  producerId: bigint;
  producerEpoch: number;
}

/** Errors of InitProducerId that mean "the broker is not ready yet, ask again". */
const NOT_READY = new Set([7, 14, 15, 16]);

/** A fresh idempotent producer id from `broker` (any broker allocates one for a null transactional id). */
export async function initProducerId(broker: RawBroker): Promise<ProducerIdentity> {
  const version = broker.negotiateVersion(22, 'InitProducerId', 0, 1);
  const request = {
    apiKey: 22,
    apiVersion: version,
    apiName: 'InitProducerId',
    encode: async () => new WireWriter(16).string(null).int32(60_000),
  };
  const response = {
    decode: async (payload: Buffer) => {
      const r = new WireReader(payload);
      r.int32();
      return { errorCode: r.int16(), producerId: r.int64(), producerEpoch: r.int16() };
    },
    parse: async (decoded: { errorCode: number; producerId: bigint; producerEpoch: number }) => decoded,
  };
  for (let attempt = 1; ; attempt++) {
    const answer = await broker.send(request, response);
    if (answer.errorCode === 0) return { producerId: answer.producerId, producerEpoch: answer.producerEpoch };
    if (!NOT_READY.has(answer.errorCode) || attempt >= 8) {
      throw new KafkaProtocolError(answer.errorCode, `init producer id on ${broker.address}: ${kafkaErrorName(answer.errorCode).toLowerCase()}`);
    }
    await sleep(100 * 2 ** Math.min(attempt, 4));
  }
}
