/**
 * The one state machine of mirror topics. A user operation moves a mirror's desired state; the
 * worker then converges on it. transition() is pure: it either returns the new desired state or an
 * InvalidStateError naming the current status, and nothing else decides what is allowed.
 * Documented in docs/mirror-states.md.
 */
import { InvalidStateError } from '../errors.js';
import type { DesiredMirrorState, MirrorStatus } from './mirror.js';

export const MIRROR_OPERATIONS = ['pause', 'resume', 'failover', 'promote', 'reverse-and-start', 'reverse-and-pause', 'truncate-and-restore'] as const;
export type MirrorOperation = (typeof MIRROR_OPERATIONS)[number];

export interface TransitionRule {
  /** The statuses the operation may start from. */
  from: readonly MirrorStatus[];
  /** The desired state it leads to. */
  to: DesiredMirrorState;
  /** The mirror changes direction: the other cluster's topic becomes the mirror (bidirectional links only). */
  reverses?: boolean;
}

/** For each operation: the statuses it may start from, and the desired state it leads to. */
export const TRANSITIONS: Record<MirrorOperation, TransitionRule> = {
  pause: { from: ['ACTIVE', 'PENDING_MIRROR', 'SOURCE_UNAVAILABLE', 'LINK_PAUSED'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'ACTIVE' },
  failover: { from: ['ACTIVE', 'PAUSED', 'PENDING_MIRROR', 'SOURCE_UNAVAILABLE', 'LINK_FAILED', 'LINK_PAUSED', 'FAILED'], to: 'STOPPED' },
  promote: { from: ['ACTIVE'], to: 'STOPPED' },
  // From ACTIVE the mirror is promoted first (lag 0, final offset sync), then reversed.
  'reverse-and-start': { from: ['ACTIVE', 'STOPPED'], to: 'ACTIVE', reverses: true },
  'reverse-and-pause': { from: ['ACTIVE', 'STOPPED'], to: 'PAUSED', reverses: true },
  'truncate-and-restore': { from: ['STOPPED'], to: 'ACTIVE', reverses: true },
};

const PAST: Record<MirrorOperation, string> = {
  pause: 'paused',
  resume: 'resumed',
  failover: 'failed over',
  promote: 'promoted',
  'reverse-and-start': 'reversed',
  'reverse-and-pause': 'reversed',
  'truncate-and-restore': 'truncated and restored',
};

/** "failed over", "truncated and restored": for messages. */
export function pastTense(operation: MirrorOperation): string {
  return PAST[operation];
}

const title = (operation: MirrorOperation): string => {
  const words = operation.split('-').join(' ');
  return words[0]!.toUpperCase() + words.slice(1);
};

export function transition(topic: string, current: MirrorStatus, operation: MirrorOperation): DesiredMirrorState {
  const rule = TRANSITIONS[operation];
  if (rule.from.includes(current)) return rule.to;
  throw new InvalidStateError(`mirror topic "${topic}" is ${current} and cannot be ${PAST[operation]}`, {
    suggestion: `${title(operation)} works on mirror topics that are ${rule.from.join(', ')}.`,
  });
}
