/**
 * `mirror reverse-and-start|reverse-and-pause` (bidirectional links): the topic that was the source
 * becomes a mirror of the topic that was the mirror, under the same name, continuing from its own
 * end, so only records written after the switch are copied. An ACTIVE mirror is promoted first
 * (lag 0, final offset sync); a STOPPED one (after promote or failover) is reversed as it is.
 * Invariants: a topic is reversed only when the old source's records, from the later log start to
 * its end, are all present at the same offsets in the topic it will mirror (otherwise reversing would
 * silently keep records the new source never had: truncate-and-restore is the way then); the check
 * and the switch of direction happen with the mirror STOPPED, so the worker appends to neither topic
 * in between; the store changes in one update that re-checks the state; a dry run changes nothing.
 */
import { ClinkError, ConflictError, InvalidStateError } from '../errors.js';
import { isBidirectional, mirrorEnds } from '../link-direction.js';
import { mirrorKey, type MirrorRecord } from '../model/mirror.js';
import { TRANSITIONS, transition } from '../model/mirror-state.js';
import { requireLink } from './link-query.js';
import { resultRows, type AlterResult } from './mirror-alter.js';
import { adoptAutoMirrors } from './mirror-auto.js';
import { compareHistories, diverged } from './mirror-history.js';
import { promoteMirrors, type PromoteDeps } from './mirror-promote.js';
import { effectiveStatus, mirrorNotFound, rowsForLink, STATUS_FRESH_MS } from './mirror-query.js';
import type { LinkRecord } from '../model/link.js';
import type { StoreData } from '../ports.js';
import type { RecordReaderPort } from './record-reader-port.js';
import { attemptTransition, recordFailedTransitions } from './mirror-transition-errors.js';

export interface ReverseDeps extends PromoteDeps {
  records: RecordReaderPort;
}

export type ReverseOperation = 'reverse-and-start' | 'reverse-and-pause';

export interface ReverseOptions {
  dryRun: boolean;
  /** How long an ACTIVE mirror may take to reach lag 0 before it is promoted. */
  timeoutMs: number;
}

/** The error every operation that needs both directions gives on a one-way link. */
export function requireBidirectional(link: LinkRecord, operation: string): void {
  if (isBidirectional(link)) return;
  throw new InvalidStateError(`cluster link "${link.name}" is not bidirectional (link.mode=${link.configs['link.mode'] ?? 'DESTINATION'}), so ${operation} cannot make the source topic a mirror`, {
    suggestion: 'Create a link between the same clusters with `--config link.mode=BIDIRECTIONAL` and mirror through it.',
  });
}

/** Checks that the old source holds nothing the new source lacks; a ConflictError names the first difference. */
export async function assertSameHistory(data: StoreData, link: LinkRecord, mirror: MirrorRecord, deps: ReverseDeps, options: { notYetCopied?: boolean } = {}): Promise<number> {
  const ends = mirrorEnds(data, link, mirror);
  // After the switch the mirror's source side becomes the mirror: it must be a prefix of the other.
  const rows = await compareHistories({ older: { endpoint: ends.source, topic: mirror.sourceTopic }, newer: { endpoint: ends.destination, topic: mirror.mirrorTopic } }, deps);
  // A dry run of an ACTIVE mirror checks what is copied so far (promote would copy the rest first).
  const first = diverged(rows).find((r) => !options.notYetCopied || r.divergenceOffset < r.newerEnd);
  if (first) {
    throw new ConflictError(
      `the ${ends.source.label} holds records of "${mirror.sourceTopic}" that the ${ends.destination.label} does not: partition ${first.partition} differs at offset ${first.divergenceOffset} (${first.detail}), ${first.olderEnd - first.divergenceOffset} offsets would be kept that the new source never had`,
      { suggestion: `Use \`clink mirror truncate-and-restore ${mirror.mirrorTopic} --link ${link.name}\` to set those records aside and mirror the topic again.` },
    );
  }
  return rows.reduce((sum, r) => sum + r.recordsCompared, 0);
}

export async function reverseMirrors(operation: ReverseOperation, topics: string[], linkName: string, options: ReverseOptions, deps: ReverseDeps): Promise<AlterResult> {
  const unique = [...new Set(topics)];
  let data = await deps.store.read();
  const link = requireLink(data, linkName);
  requireBidirectional(link, operation);
  if (!options.dryRun) await adoptAutoMirrors(linkName, unique, deps);
  data = await deps.store.read();
  const status = await deps.workers.readStatus(link.name);
  const fresh = status && deps.now().getTime() - status.updatedAtMs <= STATUS_FRESH_MS ? status : undefined;
  const failures = new Map<string, ClinkError>();
  const candidates: string[] = [];
  const active: string[] = [];
  for (const topic of unique) {
    const mirror = data.mirrors[mirrorKey(link.name, topic)];
    try {
      if (!mirror) throw mirrorNotFound(topic, link.name);
      const current = effectiveStatus(mirror, link, fresh?.mirrors[topic]);
      transition(topic, current, operation);
      candidates.push(topic);
      if (current === 'ACTIVE') active.push(topic);
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      failures.set(topic, error);
    }
  }
  // An ACTIVE mirror is promoted first: it must catch up while nothing else changes (a timeout fails the whole command).
  if (!options.dryRun && active.length > 0) {
    const accepted = candidates.map((t) => data.mirrors[mirrorKey(link.name, t)]!);
    await attemptTransition(deps, link.name, operation, accepted.filter((m) => !active.includes(m.mirrorTopic)), () =>
      promoteMirrors(active, link.name, { dryRun: false, timeoutMs: options.timeoutMs, recordAs: operation }, deps));
  }

  data = await deps.store.read();
  const ready: MirrorRecord[] = [];
  for (const topic of candidates) {
    const mirror = data.mirrors[mirrorKey(link.name, topic)]!;
    try {
      await assertSameHistory(data, link, mirror, deps, { notYetCopied: options.dryRun && active.includes(topic) });
      ready.push(mirror);
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      failures.set(topic, error);
      if (!options.dryRun) await recordFailedTransitions(deps, link.name, operation, [{ mirror, error }]);
    }
  }

  const to = TRANSITIONS[operation].to;
  if (!options.dryRun && ready.length > 0) {
    const now = deps.now();
    await attemptTransition(deps, link.name, operation, ready, () => deps.store.update((d) => {
      for (const m of ready) {
        const stored = d.mirrors[mirrorKey(link.name, m.mirrorTopic)];
        if (!stored || stored.desiredState !== 'STOPPED' || Boolean(stored.reversed) !== Boolean(m.reversed)) {
          throw new ConflictError(`mirror topic "${m.mirrorTopic}" changed while it was being reversed`, { suggestion: 'Run the command again.' });
        }
        Object.assign(stored, { reversed: !stored.reversed, desiredState: to, createdAt: now.toISOString(), stateChangedAtMs: now.getTime() });
      }
    }));
    if (to === 'ACTIVE') await deps.workers.ensureRunning(link.name);
  }

  const after = await deps.store.read();
  const shown = ready.map((m) => after.mirrors[mirrorKey(link.name, m.mirrorTopic)] ?? m);
  const lagRows = shown.length > 0 ? await rowsForLink(after, link, shown, deps) : [];
  return { rows: resultRows(failures, lagRows), failures: [...failures.values()] };
}
