/**
 * Raw Fetch (v4-v11, highest the leader accepts) returning whole record batches without decompression.
 * Invariants: every requested partition gets exactly one result, in request order, carrying the broker's
 * own error code (a partition error never hides another partition's data); batches are views into the
 * response in log order, a trailing partial batch is dropped; only fetchRaw/fetchRawMany retry, and only
 * on stale-leadership errors or lost connections (a fetch is a pure read, so retrying is always safe).
 */
import { ClinkError, ErrorCode } from '../../core/errors.js';
import type { RawBroker } from './broker.js';
import type { RawCluster } from './connection.js';
import { KafkaProtocolError, RecordBatchFormatError, isStaleMetadataError, kafkaErrorName } from './errors.js';
import { parseRecordBatches, type RawBatch } from './record-batch.js';
import { WireReader, WireWriter } from './wire.js';

const FETCH_API_KEY = 1;
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface FetchPartitionSpec {
  topic: string;
  partition: number;
  offset: bigint;
  /** Per-partition byte limit (the broker still returns one whole batch if the first one is larger). */
  maxBytes: number;
  /** Leader epoch fencing (Fetch v9+); -1 or absent disables it. */
  currentLeaderEpoch?: number;
}

export interface FetchOptions {
  maxWaitMs: number;
  minBytes?: number;
  /** Response-wide byte limit; default: sum of the partition limits. */
  maxBytes?: number;
  isolation: IsolationLevel;
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface FetchPartitionResult {
  topic: string;
  partition: number;
  fetchOffset: bigint;
  errorCode: number;
  errorName: string;
  highWatermark: bigint;
  lastStableOffset: bigint;
  /** -1 when the negotiated version (v4) does not report it. */
  logStartOffset: bigint;
  /** Only filled under read_committed. */
  abortedTransactions: AbortedTransaction[];
  preferredReadReplica: number;
  /** Whole batches in log order; the first may start before fetchOffset. */
  batches: RawBatch[];
  partialBytes: number;
  /** Set when the records could not be split into v2 batches (e.g. old message format). */
  formatError: RecordBatchFormatError | null;
}

interface DecodedFetch {
  clientSideThrottleTime: number;
  errorCode: number;
  partitions: FetchPartitionResult[];
}

const ISOLATION: Record<IsolationLevel, number> = { read_uncommitted: 0, read_committed: 1 };

/** One Fetch request to one broker for partitions it leads; no retries, no metadata. */
export async function fetchFromBroker(
  broker: RawBroker,
  specs: readonly FetchPartitionSpec[],
  options: FetchOptions,
): Promise<FetchPartitionResult[]> {
  const version = broker.negotiateVersion(FETCH_API_KEY, 'Fetch', 4, 11);
  const byTopic = groupByTopic(specs);
  const maxBytes = options.maxBytes ?? specs.reduce((sum, s) => sum + s.maxBytes, 0);
  const request = {
    apiKey: FETCH_API_KEY,
    apiVersion: version,
    apiName: 'Fetch',
    encode: async () => {
      const w = new WireWriter(128 + specs.length * 40);
      w.int32(-1).int32(options.maxWaitMs).int32(options.minBytes ?? 1).int32(Math.min(maxBytes, 0x7fffffff));
      w.int8(ISOLATION[options.isolation]);
      if (version >= 7) w.int32(0).int32(-1); // no fetch session: full fetch every time
      w.array([...byTopic], ([topic, parts]) => {
        w.string(topic).array(parts, (p) => {
          w.int32(p.partition);
          if (version >= 9) w.int32(p.currentLeaderEpoch ?? -1);
          w.int64(p.offset);
          if (version >= 5) w.int64(-1n);
          w.int32(p.maxBytes);
        });
      });
      if (version >= 7) w.int32(0); // forgotten topics
      if (version >= 11) w.string('');
      return w;
    },
  };
  const response = {
    decode: async (payload: Buffer) => decodeFetchResponse(payload, version, specs),
    parse: async (decoded: DecodedFetch) => decoded,
  };
  const decoded = await broker.send(request, response, options.maxWaitMs);
  if (decoded.errorCode !== 0) {
    throw new KafkaProtocolError(decoded.errorCode, `fetch from ${broker.address} failed: ${kafkaErrorName(decoded.errorCode).toLowerCase()}`);
  }
  return decoded.partitions;
}

function decodeFetchResponse(payload: Buffer, version: number, specs: readonly FetchPartitionSpec[]): DecodedFetch {
  const r = new WireReader(payload);
  const clientSideThrottleTime = r.int32();
  const errorCode = version >= 7 ? r.int16() : 0;
  if (version >= 7) r.int32(); // session id
  const found = new Map<string, FetchPartitionResult>();
  r.array(() => {
    const topic = r.string() ?? '';
    r.array(() => {
      const partition = r.int32();
      const code = r.int16();
      const highWatermark = r.int64();
      const lastStableOffset = r.int64();
      const logStartOffset = version >= 5 ? r.int64() : -1n;
      const abortedTransactions = r.array(() => ({ producerId: r.int64(), firstOffset: r.int64() }));
      const preferredReadReplica = version >= 11 ? r.int32() : -1;
      const records = r.bytes();
      let parsed: { batches: RawBatch[]; partialBytes: number } = { batches: [], partialBytes: 0 };
      let formatError: RecordBatchFormatError | null = null;
      try {
        parsed = parseRecordBatches(records);
      } catch (error) {
        if (!(error instanceof RecordBatchFormatError)) throw error;
        formatError = error;
      }
      found.set(`${topic}\u0000${partition}`, {
        topic, partition, fetchOffset: -1n, errorCode: code, errorName: kafkaErrorName(code),
        highWatermark, lastStableOffset, logStartOffset, abortedTransactions, preferredReadReplica,
        batches: parsed.batches, partialBytes: parsed.partialBytes, formatError,
      });
    });
  });
  if (errorCode !== 0) return { clientSideThrottleTime, errorCode, partitions: [] };
  const partitions = specs.map((s) => {
    const result = found.get(`${s.topic}\u0000${s.partition}`);
    if (result === undefined) {
      throw new ClinkError(ErrorCode.FAILURE, `fetch response has no entry for ${s.topic}-${s.partition}`);
    }
    return { ...result, fetchOffset: s.offset };
  });
  return { clientSideThrottleTime, errorCode, partitions };
}

function groupByTopic(specs: readonly FetchPartitionSpec[]): Map<string, FetchPartitionSpec[]> {
  const byTopic = new Map<string, FetchPartitionSpec[]>();
  const seen = new Set<string>();
  for (const s of specs) {
    const key = `${s.topic}\u0000${s.partition}`;
    if (seen.has(key)) {
      throw new ClinkError(ErrorCode.INVALID_ARGUMENT, `partition ${s.topic}-${s.partition} listed twice in one fetch`);
    }
    seen.add(key);
    const list = byTopic.get(s.topic) ?? [];
    list.push(s);
    byTopic.set(s.topic, list);
  }
  return byTopic;
}

const FETCH_ATTEMPTS = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const retriableFailure = (error: unknown) => error instanceof ClinkError && error.retriable;

/**
 * Fetches one partition from its current leader (or from `broker`, e.g. a dedicated connection, without
 * retries). Stale-leadership answers and lost connections refresh metadata and retry a few times; any
 * other partition error (OFFSET_OUT_OF_RANGE, …) is returned. A format error is thrown.
 */
export async function fetchRaw(
  cluster: RawCluster,
  request: FetchPartitionSpec & FetchOptions & { broker?: RawBroker },
): Promise<FetchPartitionResult> {
  const [result] = await fetchRawMany(cluster, [request], request, request.broker);
  if (result === undefined) throw new ClinkError(ErrorCode.INTERNAL, 'fetch returned no result');
  if (result.formatError !== null) throw result.formatError;
  return result;
}

/** Fetches many partitions: one request per leader, sent concurrently, stale partitions retried. */
export async function fetchRawMany(
  cluster: RawCluster,
  specs: readonly FetchPartitionSpec[],
  options: FetchOptions,
  broker?: RawBroker,
): Promise<FetchPartitionResult[]> {
  const results = new Map<FetchPartitionSpec, FetchPartitionResult>();
  let pending = [...specs];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const last = attempt >= FETCH_ATTEMPTS || broker !== undefined;
    const groups = new Map<number, FetchPartitionSpec[]>();
    for (const s of pending) {
      const id = broker?.nodeId ?? (await cluster.leaderIdFor(s.topic, s.partition));
      groups.set(id, [...(groups.get(id) ?? []), s]);
    }
    const retry: FetchPartitionSpec[] = [];
    await Promise.all(
      [...groups].map(async ([nodeId, group]) => {
        try {
          const answers = await fetchFromBroker(broker ?? (await cluster.broker(nodeId)), group, options);
          answers.forEach((answer, i) => {
            const spec = group[i] as FetchPartitionSpec;
            if (!last && isStaleMetadataError(answer.errorCode)) retry.push(spec);
            else results.set(spec, answer);
          });
        } catch (error) {
          if (last || !retriableFailure(error)) throw error;
          retry.push(...group);
        }
      }),
    );
    pending = retry;
    if (pending.length > 0) {
      await sleep(50 * 2 ** (attempt - 1));
      await cluster.refreshMetadata();
    }
  }
  return specs.map((s) => results.get(s) as FetchPartitionResult);
}
