/**
 * `mirror failover`: stop mirroring now, whatever the lag, even with the source cluster down. The
 * source is given two seconds for fresh offsets (then the worker's last report is used), and a
 * running worker gets five seconds to confirm it stopped appending. A dry run also shows the
 * impact: records left behind per partition (the lag) and records each consumer group would re-read.
 */
import { mirrorKey } from '../model/mirror.js';
import { requireLink } from './link-query.js';
import { alterMirrors, type AlterResult } from './mirror-alter.js';
import { groupImpact, type GroupImpact } from './mirror-impact.js';
import type { MirrorDeps } from './mirror-ports.js';

export const FAILOVER_SOURCE_DEADLINE_MS = 2_000;
export const FAILOVER_AWAIT_STOPPED_MS = 5_000;

export interface FailoverResult extends AlterResult {
  impact?: GroupImpact;
}

export async function failoverMirrors(topics: string[], linkName: string, dryRun: boolean, deps: MirrorDeps): Promise<FailoverResult> {
  const result = await alterMirrors('failover', topics, linkName, { dryRun, sourceDeadlineMs: FAILOVER_SOURCE_DEADLINE_MS, awaitStoppedMs: FAILOVER_AWAIT_STOPPED_MS }, deps);
  if (!dryRun) return result;
  const data = await deps.store.read();
  const link = requireLink(data, linkName);
  const failed = new Set(result.rows.filter((r) => r.partition < 0).map((r) => r.mirrorTopic));
  const mirrors = [...new Set(topics)].filter((t) => !failed.has(t)).map((t) => data.mirrors[mirrorKey(linkName, t)]).filter((m) => m !== undefined);
  return { ...result, impact: await groupImpact(data, link, mirrors, deps.groups, FAILOVER_SOURCE_DEADLINE_MS) };
}
