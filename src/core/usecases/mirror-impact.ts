/**
 * The impact a failover or promote would have if applied now (shown by --dry-run): for every
 * consumer group with committed offsets on the mirrored topics, how many records it would read
 * again on the destination (its source offset minus its destination offset). Records left behind
 * per partition are the lag rows themselves. Reading the source is bounded by a deadline: with the
 * source down the impact says so instead of waiting.
 */
import type { LinkRecord } from '../model/link.js';
import type { MirrorRecord } from '../model/mirror.js';
import type { GroupOffsets, GroupOffsetsPort, StoreData } from '../ports.js';
import { mirrorEnds, mirrorsGoing, type MirrorEnds } from '../link-direction.js';

export interface GroupImpactRow {
  group: string;
  mirrorTopic: string;
  partition: number;
  sourceOffset: number;
  /** -1 when the group has no committed offset on the destination. */
  destinationOffset: number;
  /** Records the group would consume again after switching; -1 when unknown. */
  recordsToReread: number;
}

export interface GroupImpact {
  rows: GroupImpactRow[];
  /** Why the impact could not be computed (source unreachable …), if so. */
  note?: string;
}

async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function groupImpact(data: StoreData, link: LinkRecord, mirrors: MirrorRecord[], groups: GroupOffsetsPort, sourceDeadlineMs: number): Promise<GroupImpact> {
  // Each direction of a bidirectional link has its own source; the results are merged.
  const parts = await Promise.all(
    [false, true].map((reversed) => {
      const going = mirrorsGoing(mirrors, reversed);
      return going.length === 0 ? Promise.resolve<GroupImpact>({ rows: [] }) : impactOneWay(mirrorEnds(data, link, { reversed }), link, going, groups, sourceDeadlineMs);
    }),
  );
  const rows = parts.flatMap((p) => p.rows);
  rows.sort((a, b) => (a.group === b.group ? (a.mirrorTopic === b.mirrorTopic ? a.partition - b.partition : a.mirrorTopic < b.mirrorTopic ? -1 : 1) : a.group < b.group ? -1 : 1));
  const note = parts.map((p) => p.note).filter(Boolean).join('; ');
  return note ? { rows, note } : { rows };
}

async function impactOneWay(ends: MirrorEnds, link: LinkRecord, mirrors: MirrorRecord[], groups: GroupOffsetsPort, sourceDeadlineMs: number): Promise<GroupImpact> {
  let sourceError: string | undefined;
  const source = await within(
    groups.committedOffsets(ends.source, mirrors.map((m) => m.sourceTopic)).catch((e: Error) => {
      sourceError = e.message;
      return undefined;
    }),
    sourceDeadlineMs,
  );
  if (!source) return { rows: [], note: `consumer group offsets on the ${ends.source.label} could not be read${sourceError ? `: ${sourceError}` : ' in time'}` };
  const destination: GroupOffsets = await groups.committedOffsets(ends.destination, mirrors.map((m) => m.mirrorTopic)).catch(() => new Map());
  const rows: GroupImpactRow[] = [];
  for (const [group, topics] of source) {
    for (const mirror of mirrors) {
      const partitions = topics.get(mirror.sourceTopic);
      if (!partitions) continue;
      const prefix = link.configs['consumer.group.prefix.enable'] === 'true' ? (link.configs['cluster.link.prefix'] ?? '') : '';
      const onDestination = destination.get(prefix + group)?.get(mirror.mirrorTopic);
      for (const [partition, sourceOffset] of [...partitions].sort((a, b) => a[0] - b[0])) {
        const destinationOffset = onDestination?.get(partition) ?? -1;
        rows.push({
          group: prefix + group,
          mirrorTopic: mirror.mirrorTopic,
          partition,
          sourceOffset,
          destinationOffset,
          recordsToReread: destinationOffset < 0 ? -1 : Math.max(0, sourceOffset - destinationOffset),
        });
      }
    }
  }
  return { rows };
}
