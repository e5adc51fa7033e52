/**
 * `mirror failover`: stop mirroring now, whatever the lag, even with the source cluster down. The
 * source is given 1.5 seconds for fresh offsets (then the worker's last report is used), and a
 * running worker gets five seconds to confirm it stopped appending. A dry run also shows the
 * impact: records left behind per partition (the lag) and records each consumer group would re-read.
 * Invariant: a source that does not answer costs the command at most FAILOVER_SOURCE_DEADLINE_MS in
 * all, not that on top of the worker's confirmation: the source's offsets are asked for when the
 * command starts, alongside the state change (see SourceHeadStart), and a dry run reads the group
 * offsets alongside the checks.
 */
import type { ClusterEndpoint, PartitionOffsets, TopicAdminPort } from '../ports.js';
import { requireLink } from './link-query.js';
import { mirrorEnds } from '../link-direction.js';
import { alterMirrors, type AlterResult } from './mirror-alter.js';
import { findMirror } from './mirror-auto.js';
import { groupImpact, type GroupImpact } from './mirror-impact.js';
import type { MirrorDeps } from './mirror-ports.js';

export const FAILOVER_SOURCE_DEADLINE_MS = 1_500;
export const FAILOVER_AWAIT_STOPPED_MS = 5_000;

export interface FailoverResult extends AlterResult {
  impact?: GroupImpact;
}

const sameCluster = (a: ClusterEndpoint, b: ClusterEndpoint): boolean =>
  a.bootstrapServers === b.bootstrapServers && JSON.stringify(a.clientConfig) === JSON.stringify(b.clientConfig);

/**
 * The source's partition offsets, asked for as soon as the command starts. A later read of the same
 * cluster for some of the same topics is answered from it: at once with the error when the source
 * already refused, by a fresh read when the source already answered (so lag is still read after the
 * state change), and otherwise by the early read if it arrives before its deadline, which runs from
 * the command's start; past it the caller falls back to the worker's last report as before.
 */
class SourceHeadStart {
  private state: 'pending' | 'answered' | 'failed' = 'pending';
  private readonly early: Promise<Map<string, PartitionOffsets[]>>;
  private readonly deadline: Promise<never>;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly topics: TopicAdminPort, private readonly endpoint: ClusterEndpoint, private readonly names: ReadonlySet<string>, deadlineMs: number) {
    this.early = topics.partitionOffsets(endpoint, [...names]);
    this.early.then(() => (this.state = 'answered'), () => (this.state = 'failed'));
    this.deadline = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => reject(new Error(`the ${endpoint.label} did not answer in time`)), deadlineMs);
      this.timer.unref();
    });
    this.deadline.catch(() => undefined);
  }

  /** The topic admin with partitionOffsets answered as above (every other call goes to `topics`). */
  port(): TopicAdminPort {
    const topics = this.topics;
    const port = Object.create(topics) as TopicAdminPort;
    port.partitionOffsets = (endpoint, names) => {
      const covered = sameCluster(endpoint, this.endpoint) && names.every((n) => this.names.has(n));
      if (!covered || this.state === 'answered') return topics.partitionOffsets(endpoint, names);
      return Promise.race([this.early, this.deadline]);
    };
    return port;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

export async function failoverMirrors(topics: string[], linkName: string, dryRun: boolean, deps: MirrorDeps): Promise<FailoverResult> {
  const [data, status] = await Promise.all([deps.store.read(), deps.workers.readStatus(linkName)]);
  const link = requireLink(data, linkName);
  const sourceTopics = new Set([...new Set(topics)].flatMap((t) => findMirror(data, link.name, t, status)?.sourceTopic ?? []));
  const headStart = sourceTopics.size > 0 ? new SourceHeadStart(deps.topics, mirrorEnds(data, link, { reversed: false }).source, sourceTopics, FAILOVER_SOURCE_DEADLINE_MS) : undefined;
  try {
    // Auto-created mirrors a dry run does not adopt are found in the worker's report.
    const stored = [...new Set(topics)].map((t) => findMirror(data, link.name, t, status)).filter((m) => m !== undefined);
    // A dry run changes nothing, so the group offsets can be read while the topics are checked.
    const impact = dryRun ? groupImpact(data, link, stored, deps.groups, FAILOVER_SOURCE_DEADLINE_MS) : undefined;
    impact?.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    const result = await alterMirrors('failover', topics, linkName, { dryRun, sourceDeadlineMs: FAILOVER_SOURCE_DEADLINE_MS, awaitStoppedMs: FAILOVER_AWAIT_STOPPED_MS },
      headStart ? { ...deps, topics: headStart.port() } : deps);
    if (!impact) return result;
    const failed = new Set(result.rows.filter((r) => r.partition < 0).map((r) => r.mirrorTopic));
    const all = await impact;
    if (stored.every((m) => failed.has(m.mirrorTopic))) return { ...result, impact: { rows: [] } };
    return { ...result, impact: { ...all, rows: all.rows.filter((r) => !failed.has(r.mirrorTopic)) } };
  } finally {
    headStart?.dispose();
  }
}
