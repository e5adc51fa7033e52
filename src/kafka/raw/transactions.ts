/**
 * The transaction requests a writer of destination transactions needs, at the TV1 versions (constant
 * producer epoch, AddPartitionsToTxn sent by the client): FindCoordinator (transaction key) v1-v2,
 * InitProducerId v0-v1, AddPartitionsToTxn v1-v2, EndTxn v1-v2, DescribeTransactions v0 and
 * DescribeProducers v0 (flexible: compact types, empty tag buffers).
 * Invariants: no request is sent above the TV1 range (EndTxn <= v4, AddPartitionsToTxn <= v3) or below
 * what a 4.x broker accepts; every answer is returned with its error code (never thrown away, never
 * retried here), because whether a transaction request may be repeated depends on the caller's state.
 */
import type { RawBroker } from './broker.js';
import { kafkaErrorName } from './errors.js';
import { WireReader, WireWriter } from './wire.js';

const API = { FindCoordinator: 10, InitProducerId: 22, AddPartitionsToTxn: 24, EndTxn: 26, DescribeProducers: 61, DescribeTransactions: 65 } as const;
type ApiName = keyof typeof API;

export interface TxnAnswer {
  errorCode: number;
  errorName: string;
}

const answer = (errorCode: number): TxnAnswer => ({ errorCode, errorName: kafkaErrorName(errorCode) });

async function call<T>(broker: RawBroker, name: ApiName, range: [number, number], body: (w: WireWriter, version: number) => void, read: (r: WireReader, version: number) => T, flexible = false): Promise<T> {
  const version = broker.negotiateVersion(API[name], name, range[0], range[1]);
  const request = {
    apiKey: API[name],
    apiVersion: version,
    apiName: name,
    encode: async () => {
      const w = new WireWriter(128);
      // kafkajs writes request header v1; a flexible request (header v2) adds an empty tag buffer after it.
      if (flexible) w.noTags();
      body(w, version);
      if (flexible) w.noTags();
      return w;
    },
  };
  const response = {
    decode: async (payload: Buffer) => {
      const r = new WireReader(payload);
      // Response header v1 (flexible): the correlation id (read by kafkajs) and a tag buffer.
      if (flexible) r.skipTags();
      return { value: read(r, version) };
    },
    parse: async (decoded: { value: T }) => decoded,
  };
  return (await broker.send(request, response)).value;
}

export interface CoordinatorAnswer extends TxnAnswer {
  nodeId: number;
}

/** FindCoordinator for a transactional id, asked of any broker. */
export function findTransactionCoordinator(any: RawBroker, transactionalId: string): Promise<CoordinatorAnswer> {
  return call(any, 'FindCoordinator', [1, 2], (w) => w.string(transactionalId).int8(1), (r) => {
    r.int32();
    const errorCode = r.int16();
    r.string();
    return { ...answer(errorCode), nodeId: r.int32() };
  });
}

export interface InitProducerIdAnswer extends TxnAnswer {
  producerId: bigint;
  producerEpoch: number;
}

/**
 * InitProducerId for a transactional id. Never call it for an id whose transaction may still be open:
 * the coordinator fences it and writes an ABORT marker at the then log end of its partitions.
 */
export function initTransactionalProducerId(coordinator: RawBroker, transactionalId: string, transactionTimeoutMs: number): Promise<InitProducerIdAnswer> {
  return call(coordinator, 'InitProducerId', [0, 1], (w) => w.string(transactionalId).int32(transactionTimeoutMs), (r) => {
    r.int32();
    const errorCode = r.int16();
    return { ...answer(errorCode), producerId: r.int64(), producerEpoch: r.int16() };
  });
}

export interface TxnProducer {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
}

/** AddPartitionsToTxn (client form, TV1) for one partition; the answer is that partition's error. */
export function addPartitionToTxn(coordinator: RawBroker, producer: TxnProducer, topic: string, partition: number): Promise<TxnAnswer> {
  return call(coordinator, 'AddPartitionsToTxn', [1, 2], (w) => {
    w.string(producer.transactionalId).int64(producer.producerId).int16(producer.producerEpoch);
    w.array([topic], (t) => w.string(t).array([partition], (p) => w.int32(p)));
  }, (r) => {
    r.int32();
    let errorCode = -1;
    r.array(() => {
      r.string();
      r.array(() => {
        r.int32();
        errorCode = r.int16();
      });
    });
    return answer(errorCode);
  });
}

/** EndTxn (TV1): answered once Prepare{Commit,Abort} is logged; the markers are written afterwards. */
export function endTxn(coordinator: RawBroker, producer: TxnProducer, commit: boolean): Promise<TxnAnswer> {
  return call(coordinator, 'EndTxn', [1, 2], (w) => {
    w.string(producer.transactionalId).int64(producer.producerId).int16(producer.producerEpoch).int8(commit ? 1 : 0);
  }, (r) => {
    r.int32();
    return answer(r.int16());
  });
}

export type TransactionState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'Dead' | 'PrepareEpochFence' | string;

export interface TransactionDescription extends TxnAnswer {
  transactionalId: string;
  state: TransactionState;
  timeoutMs: number;
  startTimeMs: bigint;
  producerId: bigint;
  producerEpoch: number;
  partitions: { topic: string; partition: number }[];
}

/** DescribeTransactions v0 (needs DESCRIBE on the transactional ids); unknown ids answer TRANSACTIONAL_ID_NOT_FOUND. */
export function describeTransactions(coordinator: RawBroker, transactionalIds: readonly string[]): Promise<TransactionDescription[]> {
  return call(coordinator, 'DescribeTransactions', [0, 0], (w) => w.compactArray(transactionalIds, (id) => w.compactString(id)), (r) => {
    r.int32();
    const out = r.compactArray(() => {
      const errorCode = r.int16();
      const transactionalId = r.compactString() ?? '';
      const state = r.compactString() ?? '';
      const timeoutMs = r.int32();
      const startTimeMs = r.int64();
      const producerId = r.int64();
      const producerEpoch = r.int16();
      const partitions: TransactionDescription['partitions'] = [];
      r.compactArray(() => {
        const topic = r.compactString() ?? '';
        for (const partition of r.compactArray(() => r.int32())) partitions.push({ topic, partition });
        r.skipTags();
      });
      r.skipTags();
      return { ...answer(errorCode), transactionalId, state, timeoutMs, startTimeMs, producerId, producerEpoch, partitions };
    });
    r.skipTags();
    return out;
  }, true);
}

export interface ActiveProducer {
  producerId: bigint;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: bigint;
  coordinatorEpoch: number;
  /** First offset of the producer's open transaction on the partition; -1 when none is open. */
  currentTxnStartOffset: bigint;
}

export interface ProducersAnswer extends TxnAnswer {
  errorMessage: string | null;
  producers: ActiveProducer[];
}

/** DescribeProducers v0 for one partition, sent to its leader (needs READ on the topic). */
export function describeProducers(leader: RawBroker, topic: string, partition: number): Promise<ProducersAnswer> {
  return call(leader, 'DescribeProducers', [0, 0], (w) => {
    w.compactArray([topic], (t) => w.compactString(t).compactArray([partition], (p) => w.int32(p)).noTags());
  }, (r) => {
    r.int32();
    let result: ProducersAnswer = { ...answer(-1), errorMessage: 'no answer for the partition', producers: [] };
    r.compactArray(() => {
      r.compactString();
      r.compactArray(() => {
        r.int32();
        const errorCode = r.int16();
        const errorMessage = r.compactString();
        const producers = r.compactArray(() => {
          const p = { producerId: r.int64(), producerEpoch: r.int32(), lastSequence: r.int32(), lastTimestamp: r.int64(), coordinatorEpoch: r.int32(), currentTxnStartOffset: r.int64() };
          r.skipTags();
          return p;
        });
        r.skipTags();
        result = { ...answer(errorCode), errorMessage, producers };
      });
      r.skipTags();
    });
    r.skipTags();
    return result;
  }, true);
}
