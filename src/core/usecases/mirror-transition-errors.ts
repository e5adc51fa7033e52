/**
 * Recording and listing the errors of failed mirror state transitions (model/transition-errors.ts
 * says which failures count). Invariants: recording never hides or replaces the transition's own
 * error (a failure to record is dropped); dry runs record nothing; only ClinkErrors are recorded
 * (their messages carry no secrets, and the log scrubs the link's secrets once more).
 */
import { ClinkError } from '../errors.js';
import type { MirrorRecord } from '../model/mirror.js';
import type { MirrorOperation } from '../model/mirror-state.js';
import { errorsOfMirror, type TransitionError } from '../model/transition-errors.js';
import { requireLink } from './link-query.js';
import { findMirror } from './mirror-auto.js';
import { mirrorNotFound } from './mirror-query.js';
import type { MirrorDeps } from './mirror-ports.js';

export interface FailedTransition {
  mirror: Pick<MirrorRecord, 'mirrorTopic' | 'createdAt'>;
  error: ClinkError;
}

/** Records the failures of one operation on the link's mirrors (best effort). */
export async function recordFailedTransitions(deps: Pick<MirrorDeps, 'transitionErrors' | 'now'>, link: string, operation: MirrorOperation, failures: readonly FailedTransition[]): Promise<void> {
  if (!deps.transitionErrors || failures.length === 0) return;
  const timeMs = deps.now().getTime();
  const entries = failures.map((f) => ({
    topic: f.mirror.mirrorTopic,
    error: { timeMs, operation, code: f.error.code, message: f.error.message, mirrorCreatedAt: f.mirror.createdAt } satisfies TransitionError,
  }));
  await deps.transitionErrors.record(link, entries).catch(() => undefined);
}

/**
 * Runs the part of a transition that comes after the state machine accepted it. A ClinkError it
 * throws is recorded for every mirror of the attempt, then thrown on unchanged.
 */
export async function attemptTransition<T>(deps: Pick<MirrorDeps, 'transitionErrors' | 'now'>, link: string, operation: MirrorOperation, mirrors: readonly FailedTransition['mirror'][], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ClinkError) await recordFailedTransitions(deps, link, operation, mirrors.map((mirror) => ({ mirror, error })));
    throw error;
  }
}

/** `mirror state-transition-error list`: the recorded errors of the mirror, oldest first. */
export async function listTransitionErrors(topic: string, linkName: string, deps: Pick<MirrorDeps, 'store' | 'workers' | 'transitionErrors'>): Promise<TransitionError[]> {
  const data = await deps.store.read();
  const link = requireLink(data, linkName);
  const mirror = findMirror(data, link.name, topic, await deps.workers.readStatus(link.name));
  if (!mirror) throw mirrorNotFound(topic, link.name);
  if (!deps.transitionErrors) return [];
  return errorsOfMirror((await deps.transitionErrors.read(link.name))[topic], mirror);
}
