/**
 * Errors of failed mirror state transitions (Confluent's mirror state transition errors). A
 * transition that the state machine accepted but that failed while it was carried out (promote whose
 * lag never reached 0, a reverse refused because the histories differ, a truncate-and-restore that
 * could not set records aside) is recorded per mirror; a request the state machine refuses outright
 * changes nothing and is not recorded. Invariants: at most MAX_TRANSITION_ERRORS per mirror, oldest
 * dropped first, kept in time order; an entry belongs to one incarnation of the mirror (its record's
 * createdAt), so a mirror created again, or reversed, starts with none. Pure.
 */
import type { MirrorRecord } from './mirror.js';
import type { MirrorOperation } from './mirror-state.js';

export const MAX_TRANSITION_ERRORS = 10;
/** A message is cut to this many characters (a whole stack or a long list of partitions is not kept). */
export const MAX_TRANSITION_MESSAGE = 1_000;

export interface TransitionError {
  timeMs: number;
  operation: MirrorOperation;
  /** clink's error code (docs/exit-codes.md), as in the Error Code column of the state-change commands. */
  code: string;
  message: string;
  /** The mirror record's createdAt when the transition failed. */
  mirrorCreatedAt: string;
}

/** The errors of one link's mirrors, by mirror topic. */
export type TransitionErrorsByTopic = Record<string, TransitionError[]>;

export function cutMessage(message: string): string {
  return message.length <= MAX_TRANSITION_MESSAGE ? message : `${message.slice(0, MAX_TRANSITION_MESSAGE - 1)}…`;
}

/** The list with `entry` added: time order, the newest MAX_TRANSITION_ERRORS kept. */
export function appendTransitionError(list: readonly TransitionError[], entry: TransitionError, max = MAX_TRANSITION_ERRORS): TransitionError[] {
  const all = [...list, { ...entry, message: cutMessage(entry.message) }].sort((a, b) => a.timeMs - b.timeMs);
  return all.slice(Math.max(0, all.length - max));
}

/** The entries of the mirror as it is now (its current incarnation). */
export function errorsOfMirror(list: readonly TransitionError[] | undefined, mirror: Pick<MirrorRecord, 'createdAt'>): TransitionError[] {
  return (list ?? []).filter((e) => e.mirrorCreatedAt === mirror.createdAt);
}
