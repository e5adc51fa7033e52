/**
 * Consumer offset sync of one link (consumer.offset.sync.enable / .ms / consumer.offset.group.filters):
 * every interval, the committed offsets of each source group selected by the filters, on the source
 * topics of the link's mirrors that are not STOPPED, are committed to the same group (prefixed with
 * cluster.link.prefix when consumer.group.prefix.enable) on the mirror topics of the destination.
 * Because mirrors keep source offsets, the offsets are copied, not translated.
 * Invariants: a destination offset is never set above the destination partition's high watermark
 * (a consumer that fails over never skips a record not mirrored yet); a group with members on the
 * destination is never written (checked with DescribeGroups, and the broker refuses a non-member
 * commit to such a group anyway); commits are made as a non-member (generation -1), never by
 * joining; an offset already equal on the destination is not written again; a STOPPED mirror is
 * never written; nothing is written on the source.
 */
import type { Admin } from 'kafkajs';
import { ClinkError, ErrorCode } from '../core/errors.js';
import { matchesName, type NameFilter } from '../core/filters.js';
import { kafkaErrorName, type RawCluster } from '../kafka/raw/index.js';
import type { LinkEngine } from './engine-api.js';
import { commitOffsetsAsAdmin, GROUP_IN_USE_CODES, type OffsetToCommit } from './offset-commit.js';
import { listOffsets } from './raw-admin.js';
import { onCluster, type SyncClients } from './sync-clients.js';
import { PeriodicSync, type PassContext, type PassResult, type SyncTaskDeps } from './sync-loop.js';

export interface OffsetSyncSettings {
  filters: NameFilter[];
  /** Put in front of destination group names ('' for none). */
  groupPrefix: string;
  /** [source topic, mirror topic] of every mirror that is not STOPPED, sorted. */
  topics: Array<[string, string]>;
}

/** Groups handled concurrently (each needs a few requests on each cluster). */
const CONCURRENCY = 16;
const WRITABLE_STATES = new Set(['Empty', 'Dead']);

interface SourceOffset extends OffsetToCommit {
  metadata: string | null;
}

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Committed offsets of a group, by `topic\0partition`; uncommitted partitions are left out. */
async function committed(admin: Admin, groupId: string): Promise<Map<string, { offset: number; metadata: string | null }>> {
  const out = new Map<string, { offset: number; metadata: string | null }>();
  let fetched: Awaited<ReturnType<Admin['fetchOffsets']>> | undefined;
  for (let attempt = 1; fetched === undefined; attempt++) {
    try {
      fetched = await admin.fetchOffsets({ groupId });
    } catch (error) {
      // kafkajs does not retry OffsetFetch when the coordinator moved or is loading.
      if (!(error as { retriable?: boolean }).retriable || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
  for (const { topic, partitions } of fetched) {
    for (const p of partitions) {
      const offset = Number(p.offset);
      if (Number.isSafeInteger(offset) && offset >= 0) out.set(`${topic}\u0000${p.partition}`, { offset, metadata: p.metadata ?? null });
    }
  }
  return out;
}

/** State of each destination group: 'Empty', 'Stable', … ('Dead' also for groups that do not exist). */
async function groupStates(admin: Admin, groupIds: readonly string[]): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  const one = async (ids: string[]): Promise<void> => {
    for (const g of (await admin.describeGroups(ids)).groups) states.set(g.groupId, g.members.length > 0 ? `${g.state} with ${g.members.length} members` : g.state);
  };
  for (let i = 0; i < groupIds.length; i += 50) {
    const chunk = groupIds.slice(i, i + 50);
    try {
      await one(chunk);
    } catch {
      // kafkajs fails a whole describe for one group's error: ask one by one, a missing group is Dead.
      await mapLimit(chunk, CONCURRENCY, async (id) => {
        try {
          await one([id]);
        } catch (error) {
          if ((error as { type?: string }).type === 'GROUP_ID_NOT_FOUND') states.set(id, 'Dead');
          else throw error;
        }
      });
    }
  }
  return states;
}

/** High watermark of every partition of each topic that exists on the destination. */
async function highWatermarks(clients: SyncClients, raw: RawCluster, topics: readonly string[]): Promise<Map<string, number>> {
  const existing = new Set(await clients.destAdmin.listTopics());
  const out = new Map<string, number>();
  await raw.refreshMetadata();
  for (const topic of topics) {
    if (!existing.has(topic)) continue;
    const partitions = await raw.partitionsOf(topic);
    for (const [partition, hw] of await listOffsets(raw, topic, partitions, 'latest', false)) out.set(`${topic}\u0000${partition}`, Number(hw));
  }
  return out;
}

class OffsetSyncPass {
  private readonly activeGroups = new Set<string>();
  private readonly coordinators = new Map<string, number>();

  constructor(private readonly deps: SyncTaskDeps) {}

  async run({ settings, clients, signal, guard }: PassContext<OffsetSyncSettings>): Promise<PassResult> {
    const { source, destination } = clients.endpoints;
    const raw = clients.destRaw;
    if (!raw) throw new ClinkError(ErrorCode.INTERNAL, 'the offset sync has no raw destination connection');
    if (settings.topics.length === 0) return { groups: 0, partitions: 0 };
    const mirrorOf = new Map(settings.topics);
    const began = Date.now();

    const listed = await onCluster(source, () => clients.sourceAdmin.listGroups());
    // Share groups have no committed offsets to copy; every other type (consumer, simple, streams) may.
    const groups = listed.groups.filter((g) => g.protocolType !== 'share').map((g) => g.groupId).filter((id) => matchesName(settings.filters, id)).sort();
    const failures: string[] = [];
    const wanted = new Map<string, SourceOffset[]>();
    await mapLimit(groups, CONCURRENCY, async (group) => {
      if (signal.aborted) return;
      try {
        const offsets: SourceOffset[] = [];
        for (const [key, { offset, metadata }] of await onCluster(source, () => committed(clients.sourceAdmin, group))) {
          const [topic = '', partition = ''] = key.split('\u0000');
          const mirror = mirrorOf.get(topic);
          if (mirror !== undefined) offsets.push({ topic: mirror, partition: Number(partition), offset, metadata });
        }
        if (offsets.length > 0) wanted.set(group, offsets);
      } catch (error) {
        // Deleted since it was listed: nothing to copy.
        if (/GROUP_ID_NOT_FOUND|group id was not found/i.test(messageOf(error))) return;
        failures.push(`group ${group} on the source: ${messageOf(error)}`);
      }
    });
    if (signal.aborted || wanted.size === 0) return this.finish(failures, 0, 0);

    const topics = [...new Set([...wanted.values()].flatMap((offsets) => offsets.map((o) => o.topic)))].sort();
    const hw = await onCluster(destination, () => highWatermarks(clients, raw, topics));
    const destGroupOf = (group: string): string => settings.groupPrefix + group;
    const states = await onCluster(destination, () => groupStates(clients.destAdmin, [...wanted.keys()].map(destGroupOf)));

    let syncedGroups = 0;
    let syncedPartitions = 0;
    let written = 0;
    await mapLimit([...wanted.keys()].sort(), CONCURRENCY, async (group) => {
      if (signal.aborted) return;
      const destGroup = destGroupOf(group);
      const state = states.get(destGroup) ?? 'Dead';
      if (!WRITABLE_STATES.has(state)) return this.markActive(destGroup, state);
      try {
        const current = await onCluster(destination, () => committed(clients.destAdmin, destGroup));
        let inSync = 0;
        const writes: OffsetToCommit[] = [];
        for (const o of wanted.get(group) ?? []) {
          const key = `${o.topic}\u0000${o.partition}`;
          const end = hw.get(key);
          if (end === undefined) continue; // the mirror partition does not exist (yet)
          const target = Math.min(o.offset, end);
          if (current.get(key)?.offset === target) inSync++;
          else writes.push({ ...o, offset: target });
        }
        const via = async () => raw.leaderFor(writes[0]?.topic ?? '', writes[0]?.partition ?? 0);
        // Checked again against the latest settings, under guard: a mirror stopped meanwhile is not written.
        const commit = (latest: OffsetSyncSettings) => {
          const live = new Set(latest.topics.map(([, mirror]) => mirror));
          const allowed = matchesName(latest.filters, group) ? writes.filter((w) => live.has(w.topic)) : [];
          return onCluster(destination, () => commitOffsetsAsAdmin(raw, via, destGroup, allowed, this.coordinators));
        };
        const results = writes.length === 0 ? [] : ((await guard(commit)) ?? []);
        if (results.some((r) => GROUP_IN_USE_CODES.has(r.errorCode))) return this.markActive(destGroup, 'refused by the broker: it has members');
        const bad = results.find((r) => r.errorCode !== 0 && r.errorCode !== 3);
        if (bad) failures.push(`group ${destGroup} on the destination: commit of ${bad.topic}-${bad.partition} failed: ${kafkaErrorName(bad.errorCode).toLowerCase()}`);
        const ok = results.filter((r) => r.errorCode === 0).length;
        written += ok;
        inSync += ok;
        this.markIdle(destGroup);
        if (inSync > 0) {
          syncedGroups++;
          syncedPartitions += inSync;
        }
      } catch (error) {
        failures.push(`group ${destGroup} on the destination: ${messageOf(error)}`);
      }
    });
    const fields = { groups: syncedGroups, partitions: syncedPartitions, written, took_ms: Date.now() - began };
    if (written > 0) this.deps.log.info('synced consumer group offsets', fields);
    else this.deps.log.debug('consumer group offsets already in sync', fields);
    return this.finish(failures, syncedGroups, syncedPartitions);
  }

  private finish(failures: string[], groups: number, partitions: number): PassResult {
    if (failures.length === 0) return { groups, partitions };
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    return { groups, partitions, error: `offsets of ${failures.length} consumer group${failures.length > 1 ? 's' : ''} could not be synced: ${failures[0]}${more}` };
  }

  private markActive(group: string, state: string): void {
    if (this.activeGroups.has(group)) return;
    this.activeGroups.add(group);
    this.deps.log.info(`not syncing offsets of consumer group "${group}": it is active on the destination`, { state });
  }

  private markIdle(group: string): void {
    if (this.activeGroups.delete(group)) this.deps.log.info(`consumer group "${group}" is no longer active on the destination: syncing its offsets again`);
  }
}

/** The consumer offset sync task of one link (see the invariants above). */
export function createOffsetSyncTask(deps: SyncTaskDeps): LinkEngine {
  const pass = new OffsetSyncPass(deps);
  return new PeriodicSync<OffsetSyncSettings>(
    {
      name: 'consumer_offset_sync',
      raw: true,
      plan: (snapshot, configs) => {
        if (!configs['consumer.offset.sync.enable']) return undefined;
        const prefix = configs['cluster.link.prefix'];
        return {
          intervalMs: configs['consumer.offset.sync.ms'],
          settings: {
            filters: configs['consumer.offset.group.filters'],
            groupPrefix: configs['consumer.group.prefix.enable'] ? prefix : '',
            topics: snapshot.mirrors
              .filter((m) => m.desiredState !== 'STOPPED')
              .map((m): [string, string] => [m.sourceTopic, m.mirrorTopic])
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          },
        };
      },
      pass: (context) => pass.run(context),
    },
    deps,
  );
}
