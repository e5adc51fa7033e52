/**
 * `mirror promote`: a planned cutover with no data loss. A mirror is stopped only after its link's
 * worker has been held (paused) at a moment when every partition's destination end equals the
 * source high watermark, and a final consumer offset sync has run. While producers still write to
 * the source the check keeps failing; after the timeout the mirror is left ACTIVE and the error
 * shows the lag. Race-free because nothing is appended while the mirror is held.
 */
import { ClinkError, ErrorCode, InvalidStateError } from '../errors.js';
import { mirrorKey, type MirrorRecord } from '../model/mirror.js';
import type { StoreData } from '../ports.js';
import { transition } from '../model/mirror-state.js';
import { waitFor } from '../../util/wait-for.js';
import { requireLink } from './link-query.js';
import { effectiveStatus, mirrorNotFound, rowsForLink, STATUS_FRESH_MS } from './mirror-query.js';
import { awaitWorkerStopped, resultRows, type AlterRow } from './mirror-alter.js';
import type { MirrorDeps } from './mirror-ports.js';
import { adoptAutoMirrors, findMirror } from './mirror-auto.js';
import { groupImpact, type GroupImpact } from './mirror-impact.js';
import { attemptTransition } from './mirror-transition-errors.js';
import type { MirrorOperation } from '../model/mirror-state.js';

export interface PromoteDeps extends MirrorDeps {
  /** One consumer offset sync of these mirrors now (no-op when the link does not sync offsets). */
  syncOffsetsOnce(link: string, mirrors: MirrorRecord[]): Promise<void>;
}

export interface PromoteResult {
  rows: AlterRow[];
  /** --dry-run only: what each consumer group would re-read if promoted now. */
  impact?: GroupImpact;
}

async function setDesired(deps: MirrorDeps, link: string, topics: string[], desired: MirrorRecord['desiredState']): Promise<void> {
  const now = deps.now().getTime();
  await deps.store.update((d) => {
    for (const t of topics) {
      const m = d.mirrors[mirrorKey(link, t)];
      if (m) Object.assign(m, { desiredState: desired, stateChangedAtMs: now });
    }
  });
}

async function lagRows(deps: MirrorDeps, link: string, topics: string[]): Promise<AlterRow[]> {
  const data = await deps.store.read();
  const mirrors = topics.map((t) => data.mirrors[mirrorKey(link, t)]).filter((m): m is MirrorRecord => m !== undefined);
  return resultRows(new Map(), await rowsForLink(data, requireLink(data, link), mirrors, deps));
}

const caughtUp = (rows: AlterRow[]) => rows.length > 0 && rows.every((r) => r.lag === 0);

export interface PromoteOptions {
  dryRun: boolean;
  timeoutMs: number;
  /** The operation a failure is recorded under (reverse-and-* promotes first): default promote. */
  recordAs?: MirrorOperation;
}

export async function promoteMirrors(topics: string[], linkName: string, options: PromoteOptions, deps: PromoteDeps): Promise<PromoteResult> {
  const unique = [...new Set(topics)];
  if (!options.dryRun) await adoptAutoMirrors(linkName, unique, deps);
  const data = await deps.store.read();
  const link = requireLink(data, linkName);
  const status = await deps.workers.readStatus(link.name);
  const fresh = status && deps.now().getTime() - status.updatedAtMs <= STATUS_FRESH_MS ? status : undefined;
  // A dry run does not adopt auto-created mirrors, so it finds them in the worker's report.
  const found: MirrorRecord[] = [];
  for (const topic of unique) {
    const mirror = findMirror(data, link.name, topic, status);
    if (!mirror) throw mirrorNotFound(topic, link.name);
    transition(topic, effectiveStatus(mirror, link, fresh?.mirrors[topic]), 'promote');
    found.push(mirror);
  }
  if (!(await deps.workers.isRunning(link.name))) {
    throw new InvalidStateError(`the worker of cluster link "${link.name}" is not running, so the mirrors cannot catch up`, {
      suggestion: `Start it with \`clink worker start ${link.name}\`, or use \`clink mirror failover\` to stop the mirrors whatever their lag.`,
    });
  }
  if (options.dryRun) {
    const rows = resultRows(new Map(), await rowsForLink(data, link, found, deps));
    return { rows, impact: await groupImpact(data, link, found, deps.groups, 10_000) };
  }
  // Accepted: from here a failure is a failed transition, recorded for the mirrors.
  return attemptTransition(deps, link.name, options.recordAs ?? 'promote', found, () => promoteCaughtUp(link.name, unique, data, options.timeoutMs, deps));
}

/** Waits for lag 0, holds the mirrors, checks again, syncs offsets and stops them; throws TIMEOUT when the lag stays. */
async function promoteCaughtUp(linkName: string, unique: string[], data: StoreData, timeoutMs: number, deps: PromoteDeps): Promise<PromoteResult> {
  let rows: AlterRow[];

  const deadline = deps.now().getTime() + timeoutMs;
  for (;;) {
    const remaining = deadline - deps.now().getTime();
    rows = await waitFor(async () => {
      const r = await lagRows(deps, linkName, unique);
      return caughtUp(r) ? r : deps.now().getTime() >= deadline ? r : undefined;
    }, { timeoutMs: Math.max(remaining, 0) + 5_000, intervalMs: 200, message: 'lag did not reach 0' });
    if (!caughtUp(rows)) break;
    // Hold the mirrors (no appends), then check again: only a zero lag while held is a safe cut.
    await setDesired(deps, linkName, unique, 'PAUSED');
    await waitFor(async () => {
      const s = await deps.workers.readStatus(linkName);
      return unique.every((t) => s?.mirrors[t]?.status === 'PAUSED') || undefined;
    }, { timeoutMs: 10_000, intervalMs: 100, message: 'the worker did not pause the mirrors' }).catch(() => undefined);
    rows = await lagRows(deps, linkName, unique);
    if (caughtUp(rows)) {
      await deps.syncOffsetsOnce(linkName, unique.map((t) => data.mirrors[mirrorKey(linkName, t)]!).filter(Boolean));
      await setDesired(deps, linkName, unique, 'STOPPED');
      await awaitWorkerStopped(linkName, unique, 10_000, deps);
      return { rows };
    }
    await setDesired(deps, linkName, unique, 'ACTIVE');
    if (deps.now().getTime() >= deadline) break;
  }
  throw new ClinkError(ErrorCode.TIMEOUT, `mirror lag did not reach 0 within ${timeoutMs} ms, so nothing was promoted: ${rows.filter((r) => r.lag !== 0).map((r) => `${r.mirrorTopic}[${r.partition}] lag ${r.lag}`).join(', ')}`, {
    suggestion: 'Stop the producers on the source cluster and run promote again, or raise `--timeout`.',
    context: { rows },
  });
}
