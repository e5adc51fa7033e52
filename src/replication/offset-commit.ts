/**
 * Committing a consumer group's offsets without joining the group, the way Java's
 * AdminClient.alterConsumerGroupOffsets does: FindCoordinator, then OffsetCommit with generation -1
 * and an empty member id (a "simple" commit). The broker accepts it only when the group has no
 * members (or does not exist yet) and refuses it per partition otherwise, so a group whose consumers
 * already run on this cluster is never moved.
 * Invariants: requests go to the group's coordinator (looked up again after NOT_COORDINATOR-like
 * answers, bounded); a version outside what the broker advertised is never sent; every partition of
 * the request gets exactly one result code, nothing is swallowed.
 */
import { KafkaProtocolError, kafkaErrorName, type RawBroker, type RawCluster } from '../kafka/raw/index.js';
import { WireReader, WireWriter } from '../kafka/raw/wire.js';

export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: number;
  metadata?: string | null;
}

export interface CommitResult extends OffsetToCommit {
  errorCode: number;
}

/** Codes meaning "the group has live members (or is rebalancing) on this cluster": not ours to move. */
export const GROUP_IN_USE_CODES: ReadonlySet<number> = new Set([22, 25, 27, 79, 82, 110, 113]);
/** Codes meaning "ask the coordinator again". */
const COORDINATOR_CODES: ReadonlySet<number> = new Set([14, 15, 16]);
const ATTEMPTS = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Node id of the group's coordinator, asked of `via` (any broker of the cluster). */
export async function findCoordinator(via: RawBroker, groupId: string): Promise<number> {
  const version = via.negotiateVersion(10, 'FindCoordinator', 1, 2);
  const request = {
    apiKey: 10,
    apiVersion: version,
    apiName: 'FindCoordinator',
    encode: async () => new WireWriter(16 + groupId.length * 3).string(groupId).int8(0),
  };
  const response = {
    decode: async (payload: Buffer) => {
      const r = new WireReader(payload);
      r.int32();
      const errorCode = r.int16();
      r.string();
      return { errorCode, nodeId: r.int32() };
    },
    parse: async (decoded: { errorCode: number; nodeId: number }) => decoded,
  };
  const answer = await via.send(request, response);
  if (answer.errorCode !== 0) {
    throw new KafkaProtocolError(answer.errorCode, `find coordinator of group ${groupId}: ${kafkaErrorName(answer.errorCode).toLowerCase()}`, {
      retriable: COORDINATOR_CODES.has(answer.errorCode),
    });
  }
  return answer.nodeId;
}

async function offsetCommit(broker: RawBroker, groupId: string, offsets: readonly OffsetToCommit[]): Promise<CommitResult[]> {
  const version = broker.negotiateVersion(8, 'OffsetCommit', 2, 7);
  const byTopic = new Map<string, OffsetToCommit[]>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
  const request = {
    apiKey: 8,
    apiVersion: version,
    apiName: 'OffsetCommit',
    encode: async () => {
      const w = new WireWriter(128 + offsets.length * 32);
      w.string(groupId).int32(-1).string('');
      if (version >= 7) w.string(null);
      if (version <= 4) w.int64(-1n);
      w.array([...byTopic], ([topic, parts]) => {
        w.string(topic).array(parts, (p) => {
          w.int32(p.partition).int64(BigInt(p.offset));
          if (version >= 6) w.int32(-1);
          w.string(p.metadata ?? null);
        });
      });
      return w;
    },
  };
  const response = {
    decode: async (payload: Buffer) => {
      const r = new WireReader(payload);
      if (version >= 3) r.int32();
      const codes = new Map<string, number>();
      r.array(() => {
        const topic = r.string() ?? '';
        r.array(() => {
          const partition = r.int32();
          codes.set(`${topic}\u0000${partition}`, r.int16());
        });
      });
      return { codes };
    },
    parse: async (decoded: { codes: Map<string, number> }) => decoded,
  };
  const { codes } = await broker.send(request, response);
  // A partition the broker did not answer for is reported as UNKNOWN_SERVER_ERROR (-1), never as success.
  return offsets.map((o) => ({ ...o, errorCode: codes.get(`${o.topic}\u0000${o.partition}`) ?? -1 }));
}

/**
 * Commits `offsets` for `groupId` as a non-member. `via` picks a broker to ask for the coordinator;
 * `coordinators` caches coordinator ids per group across calls.
 */
export async function commitOffsetsAsAdmin(
  cluster: RawCluster,
  via: () => Promise<RawBroker>,
  groupId: string,
  offsets: readonly OffsetToCommit[],
  coordinators: Map<string, number> = new Map(),
): Promise<CommitResult[]> {
  if (offsets.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    let nodeId = coordinators.get(groupId);
    try {
      if (nodeId === undefined) {
        nodeId = await findCoordinator(await via(), groupId);
        coordinators.set(groupId, nodeId);
      }
      const results = await offsetCommit(await cluster.broker(nodeId), groupId, offsets);
      const stale = results.some((r) => COORDINATOR_CODES.has(r.errorCode));
      if (!stale || attempt >= ATTEMPTS) return results;
    } catch (error) {
      const retriable = error instanceof KafkaProtocolError && COORDINATOR_CODES.has(error.errorCode);
      if (!retriable || attempt >= ATTEMPTS) throw error;
    }
    coordinators.delete(groupId);
    await sleep(100 * 2 ** attempt);
    await cluster.refreshMetadata();
  }
}
