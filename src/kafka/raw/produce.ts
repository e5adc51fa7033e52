/**
 * Raw Produce (v3-v8, highest the leader accepts; never the flexible v9+ or topic-id v13) of ready-made
 * record batches, forwarded byte-for-byte.
 * Invariants: exactly one batch per partition per request (the broker rejects more); every partition in
 * the request gets exactly one result in request order; produceRaw/produceRawMany calls on one RawCluster
 * are written to the broker in call order; nothing here retries a produce, because a lost
 * answer may hide an append: callers compare `baseOffset` with what they expected and re-read the
 * destination log end after any failure.
 */
import { ClinkError, ErrorCode } from '../../core/errors.js';
import type { RawBroker } from './broker.js';
import type { RawCluster } from './connection.js';
import { isStaleMetadataError, kafkaErrorName } from './errors.js';
import type { RawBatch } from './record-batch.js';
import { WireReader, WireWriter } from './wire.js';

const PRODUCE_API_KEY = 0;

export interface ProducePartitionSpec {
  topic: string;
  partition: number;
  /** One whole v2 batch; use sanitiseForProduce on fetched batches first. */
  batch: RawBatch;
}

export interface ProduceOptions {
  /** -1 = all in-sync replicas (the default); 1 = leader only. acks=0 is not supported (no answer). */
  acks?: -1 | 1;
  timeoutMs: number;
  /** Set for batches written inside a transaction (the batch has the transactional bit). */
  transactionalId?: string;
}

export interface RecordError {
  batchIndex: number;
  message: string | null;
}

export interface ProducePartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
  errorName: string;
  /** Offset the broker gave the first record of the batch; -1 on error. */
  baseOffset: bigint;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTime: bigint;
  logStartOffset: bigint;
  /** Produce v8+ only. */
  recordErrors: RecordError[];
  errorMessage: string | null;
}

interface DecodedProduce {
  clientSideThrottleTime: number;
  partitions: ProducePartitionResult[];
}

/** One Produce request to one broker; no retries, no metadata. */
export async function produceToBroker(
  broker: RawBroker,
  specs: readonly ProducePartitionSpec[],
  options: ProduceOptions,
  onDispatch?: () => void,
): Promise<ProducePartitionResult[]> {
  const version = broker.negotiateVersion(PRODUCE_API_KEY, 'Produce', 3, 8);
  if (version < 7 && specs.some((s) => s.batch.codec === 'zstd')) {
    throw new ClinkError(ErrorCode.FAILURE, `broker ${broker.address} cannot accept zstd batches (Produce v${version})`);
  }
  const byTopic = new Map<string, ProducePartitionSpec[]>();
  const seen = new Set<string>();
  let size = 64;
  for (const s of specs) {
    const key = `${s.topic}\u0000${s.partition}`;
    if (seen.has(key)) {
      throw new ClinkError(ErrorCode.INVALID_ARGUMENT, `only one batch per partition per produce: ${s.topic}-${s.partition}`);
    }
    seen.add(key);
    byTopic.set(s.topic, [...(byTopic.get(s.topic) ?? []), s]);
    size += s.topic.length * 3 + 16 + s.batch.bytes.length;
  }
  const request = {
    apiKey: PRODUCE_API_KEY,
    apiVersion: version,
    apiName: 'Produce',
    encode: async () => {
      const w = new WireWriter(size);
      w.string(options.transactionalId ?? null).int16(options.acks ?? -1).int32(options.timeoutMs);
      w.array([...byTopic], ([topic, parts]) => {
        w.string(topic).array(parts, (p) => w.int32(p.partition).bytes(p.batch.bytes));
      });
      return w;
    },
  };
  const response = {
    decode: async (payload: Buffer) => decodeProduceResponse(payload, version, specs),
    parse: async (decoded: DecodedProduce) => decoded,
  };
  return (await broker.send(request, response, options.timeoutMs, onDispatch)).partitions;
}

function decodeProduceResponse(payload: Buffer, version: number, specs: readonly ProducePartitionSpec[]): DecodedProduce {
  const r = new WireReader(payload);
  const found = new Map<string, ProducePartitionResult>();
  r.array(() => {
    const topic = r.string() ?? '';
    r.array(() => {
      const partition = r.int32();
      const errorCode = r.int16();
      const baseOffset = r.int64();
      const logAppendTime = r.int64();
      const logStartOffset = version >= 5 ? r.int64() : -1n;
      const recordErrors = version >= 8 ? r.array(() => ({ batchIndex: r.int32(), message: r.string() })) : [];
      const errorMessage = version >= 8 ? r.string() : null;
      found.set(`${topic}\u0000${partition}`, {
        topic, partition, errorCode, errorName: kafkaErrorName(errorCode),
        baseOffset, logAppendTime, logStartOffset, recordErrors, errorMessage,
      });
    });
  });
  const clientSideThrottleTime = r.int32();
  const partitions = specs.map((s) => {
    const result = found.get(`${s.topic}\u0000${s.partition}`);
    if (result === undefined) {
      throw new ClinkError(ErrorCode.FAILURE, `produce response has no entry for ${s.topic}-${s.partition}`);
    }
    return result;
  });
  return { clientSideThrottleTime, partitions };
}

/**
 * Produces one batch to the partition's current leader (or to `broker`). A stale-leadership answer
 * refreshes metadata so the next call goes to the new leader, but is returned, not retried.
 */
export async function produceRaw(
  cluster: RawCluster,
  request: ProducePartitionSpec & ProduceOptions & { broker?: RawBroker },
): Promise<ProducePartitionResult> {
  const [result] = await produceRawMany(cluster, [request], request, request.broker);
  if (result === undefined) throw new ClinkError(ErrorCode.INTERNAL, 'produce returned no result');
  return result;
}

/**
 * Produces one batch each to many partitions: one request per leader, sent concurrently. Calls on one
 * RawCluster reach the wire in call order, so a caller may keep several batches of a partition in flight.
 */
export async function produceRawMany(
  cluster: RawCluster,
  specs: readonly ProducePartitionSpec[],
  options: ProduceOptions,
  broker?: RawBroker,
): Promise<ProducePartitionResult[]> {
  const turn = cluster.reserveDispatch();
  const sends: Promise<void>[] = [];
  const results = new Map<ProducePartitionSpec, ProducePartitionResult>();
  try {
    const groups = new Map<number, ProducePartitionSpec[]>();
    for (const s of specs) {
      const id = broker?.nodeId ?? (await cluster.leaderIdFor(s.topic, s.partition));
      groups.set(id, [...(groups.get(id) ?? []), s]);
    }
    const targets = await Promise.all([...groups].map(async ([id, group]) => ({ to: broker ?? (await cluster.broker(id)), group })));
    await turn.ready;
    const dispatched = targets.map(({ to, group }) => {
      let signal = () => {};
      const handedOver = new Promise<void>((resolve) => (signal = resolve));
      const send = produceToBroker(to, group, options, signal).then((answers) => {
        answers.forEach((answer, i) => results.set(group[i] as ProducePartitionSpec, answer));
      });
      sends.push(send);
      return Promise.race([handedOver, send.catch(() => undefined)]);
    });
    await Promise.all(dispatched);
  } finally {
    turn.release();
  }
  await Promise.all(sends);
  if (broker === undefined && [...results.values()].some((r) => isStaleMetadataError(r.errorCode))) {
    await cluster.refreshMetadata();
  }
  return specs.map((s) => results.get(s) as ProducePartitionResult);
}
