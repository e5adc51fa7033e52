/**
 * The one state machine of mirror topics. A user operation moves a mirror's desired state; the
 * worker then converges on it. transition() is pure: it either returns the new desired state or an
 * InvalidStateError naming the current status, and nothing else decides what is allowed.
 * Documented in docs/mirror-states.md.
 */
import { InvalidStateError } from '../errors.js';
import type { DesiredMirrorState, MirrorStatus } from './mirror.js';

export const MIRROR_OPERATIONS = ['pause', 'resume', 'failover', 'promote'] as const;
export type MirrorOperation = (typeof MIRROR_OPERATIONS)[number];

/** For each operation: the statuses it may start from, and the desired state it leads to. */
export const TRANSITIONS: Record<MirrorOperation, { from: readonly MirrorStatus[]; to: DesiredMirrorState }> = {
  pause: { from: ['ACTIVE', 'PENDING_MIRROR', 'SOURCE_UNAVAILABLE', 'LINK_PAUSED'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'ACTIVE' },
  failover: { from: ['ACTIVE', 'PAUSED', 'PENDING_MIRROR', 'SOURCE_UNAVAILABLE', 'LINK_FAILED', 'LINK_PAUSED', 'FAILED'], to: 'STOPPED' },
  promote: { from: ['ACTIVE'], to: 'STOPPED' },
};

const PAST: Record<MirrorOperation, string> = { pause: 'paused', resume: 'resumed', failover: 'failed over', promote: 'promoted' };

export function transition(topic: string, current: MirrorStatus, operation: MirrorOperation): DesiredMirrorState {
  const rule = TRANSITIONS[operation];
  if (rule.from.includes(current)) return rule.to;
  throw new InvalidStateError(`mirror topic "${topic}" is ${current} and cannot be ${PAST[operation]}`, {
    suggestion: `${operation[0]!.toUpperCase()}${operation.slice(1)} works on mirror topics that are ${rule.from.join(', ')}.`,
  });
}
