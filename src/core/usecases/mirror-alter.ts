/**
 * The mirror state changes (pause, resume; failover and promote build on the same path): check
 * every named topic against the state machine, then record all allowed changes in one store update.
 * A topic that cannot change gets its own result row with the error and is left as it was. A dry run
 * does every check and changes nothing.
 */
import { ClinkError, ErrorCode } from '../errors.js';
import { waitFor } from '../../util/wait-for.js';
import { mirrorKey } from '../model/mirror.js';
import { pastTense, transition, type MirrorOperation } from '../model/mirror-state.js';
import { requireLink } from './link-query.js';
import { effectiveStatus, mirrorNotFound, rowsForLink, STATUS_FRESH_MS, type MirrorRow } from './mirror-query.js';
import type { MirrorDeps } from './mirror-ports.js';
import { adoptAutoMirrors, findMirror, linkMirrors } from './mirror-auto.js';

export interface AlterRow {
  mirrorTopic: string;
  partition: number;
  lag: number;
  lastSourceFetchOffset: number;
  errorMessage: string;
  errorCode: string;
}

export interface AlterResult {
  rows: AlterRow[];
  /** Topics that could not change, with their errors (empty when all succeeded). */
  failures: ClinkError[];
}

export interface AlterOptions {
  dryRun: boolean;
  /** See RowOptions: failover must not wait on a dead source. */
  sourceDeadlineMs?: number;
  /** After a change to STOPPED, wait this long for a running worker to confirm it stopped. */
  awaitStoppedMs?: number;
}

export async function alterMirrors(operation: MirrorOperation, topics: string[], linkName: string, options: AlterOptions, deps: MirrorDeps): Promise<AlterResult> {
  const { dryRun } = options;
  // Changing an auto-created mirror stores its record first (the CLI adopts it from the worker).
  if (!dryRun) await adoptAutoMirrors(linkName, topics, deps);
  const data = await deps.store.read();
  const link = requireLink(data, linkName);
  const status = await deps.workers.readStatus(link.name);
  const nowMs = deps.now().getTime();
  const fresh = status && nowMs - status.updatedAtMs <= STATUS_FRESH_MS ? status : undefined;
  const failures = new Map<string, ClinkError>();
  const changes = new Map<string, 'ACTIVE' | 'PAUSED' | 'STOPPED'>();
  for (const topic of [...new Set(topics)]) {
    const mirror = findMirror(data, link.name, topic, status);
    try {
      if (!mirror) throw mirrorNotFound(topic, link.name);
      changes.set(topic, transition(topic, effectiveStatus(mirror, link, fresh?.mirrors[topic]), operation));
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      failures.set(topic, error);
    }
  }
  if (!dryRun && changes.size > 0) {
    await deps.store.update((d) => {
      for (const [topic, desired] of changes) {
        const mirror = d.mirrors[mirrorKey(link.name, topic)];
        if (!mirror) continue;
        mirror.desiredState = desired;
        mirror.stateChangedAtMs = nowMs;
      }
    });
  }
  if (!dryRun && options.awaitStoppedMs && [...changes.values()].includes('STOPPED') && (await deps.workers.isRunning(link.name))) {
    await awaitWorkerStopped(link.name, [...changes.keys()], options.awaitStoppedMs, deps);
  }
  const changed = linkMirrors(data, link.name, status).filter((m) => changes.has(m.mirrorTopic));
  const lagRows = changed.length > 0 ? await rowsForLink(await deps.store.read(), link, changed, deps, { sourceDeadlineMs: options.sourceDeadlineMs }) : [];
  return { rows: resultRows(failures, lagRows.filter((r) => changes.has(r.mirrorTopic))), failures: [...failures.values()] };
}

/** Confluent's result rows: one error row (partition -1) per failed topic, one row per partition of the others, sorted. */
export function resultRows(failures: ReadonlyMap<string, ClinkError>, changed: readonly MirrorRow[]): AlterRow[] {
  const rows: AlterRow[] = [];
  for (const [topic, error] of failures) {
    rows.push({ mirrorTopic: topic, partition: -1, lag: -1, lastSourceFetchOffset: -1, errorMessage: error.message, errorCode: error.code });
  }
  for (const row of changed) {
    for (const p of row.partitions) {
      rows.push({ mirrorTopic: p.mirrorTopic, partition: p.partition, lag: p.lag, lastSourceFetchOffset: p.lastSourceFetchOffset, errorMessage: '', errorCode: '' });
    }
  }
  return rows.sort((a, b) => (a.mirrorTopic === b.mirrorTopic ? a.partition - b.partition : a.mirrorTopic < b.mirrorTopic ? -1 : 1));
}

/** The error a state-change command exits with when some topics failed: their common code, else FAILURE. */
export function alterFailure(operation: MirrorOperation, result: AlterResult, total: number): ClinkError | undefined {
  if (result.failures.length === 0) return undefined;
  const codes = new Set(result.failures.map((f) => f.code));
  const code = codes.size === 1 ? [...codes][0]! : ErrorCode.FAILURE;
  const only = result.failures.length === 1 && total === 1 ? result.failures[0] : undefined;
  if (only) return only;
  return new ClinkError(code, `${result.failures.length} of ${total} mirror topics could not be ${pastTense(operation)}`, {
    suggestion: 'See the Error Message column for each topic.',
  });
}

/**
 * Waits until the link's worker reports the topics STOPPED (it no longer appends to them), so the
 * topics are really writable when the command returns. A worker that does not confirm in time is
 * not an error here: the stored STOPPED state already forbids it to append.
 */
export async function awaitWorkerStopped(link: string, topics: string[], timeoutMs: number, deps: MirrorDeps): Promise<void> {
  await waitFor(async () => {
    const status = await deps.workers.readStatus(link);
    return !status || topics.every((t) => status.mirrors[t] === undefined || status.mirrors[t]?.status === 'STOPPED') || undefined;
  }, { timeoutMs, intervalMs: 100, message: 'the worker did not confirm the stop' }).catch(() => undefined);
}
