import { describe, expect, it } from 'vitest';
import { appendTransitionError, errorsOfMirror, MAX_TRANSITION_ERRORS, MAX_TRANSITION_MESSAGE, type TransitionError } from './transition-errors.js';

const entry = (timeMs: number, createdAt = 'c1'): TransitionError => ({ timeMs, operation: 'promote', code: 'TIMEOUT', message: `m${timeMs}`, mirrorCreatedAt: createdAt });

describe('transition errors', () => {
  it('keeps the newest MAX_TRANSITION_ERRORS in time order', () => {
    let list: TransitionError[] = [];
    for (let t = 1; t <= MAX_TRANSITION_ERRORS + 3; t++) list = appendTransitionError(list, entry(t));
    expect(list.map((e) => e.timeMs)).toEqual(Array.from({ length: MAX_TRANSITION_ERRORS }, (_, i) => i + 4));
    expect(appendTransitionError([entry(5)], entry(3)).map((e) => e.timeMs)).toEqual([3, 5]);
  });

  it('cuts long messages', () => {
    const [e] = appendTransitionError([], { ...entry(1), message: 'x'.repeat(5000) });
    expect(e!.message).toHaveLength(MAX_TRANSITION_MESSAGE);
    expect(e!.message.endsWith('…')).toBe(true);
  });

  it('shows only the errors of the mirror as it is now', () => {
    expect(errorsOfMirror([entry(1, 'old'), entry(2, 'new')], { createdAt: 'new' }).map((e) => e.timeMs)).toEqual([2]);
    expect(errorsOfMirror(undefined, { createdAt: 'new' })).toEqual([]);
  });
});
