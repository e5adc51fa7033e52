/**
 * The state machine and its documentation agree, and transition() does exactly what the table says:
 * every (operation, status) pair not listed is refused with INVALID_STATE naming the current status.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.js';
import { MIRROR_STATUSES } from './mirror.js';
import { MIRROR_OPERATIONS, TRANSITIONS, transition } from './mirror-state.js';

const doc = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/mirror-states.md'), 'utf8');

describe('mirror state machine', () => {
  it('documents every operation with exactly the statuses it allows', () => {
    for (const operation of MIRROR_OPERATIONS) {
      const line = doc.split('\n').find((l) => l.startsWith(`| \`clink mirror ${operation}\` |`));
      expect(line, operation).toBeDefined();
      const from = line!.split('|')[2]!;
      const listed = [...from.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]).sort();
      expect(listed, operation).toEqual([...TRANSITIONS[operation].from].sort());
    }
  });

  it('allows the listed statuses and refuses every other one with INVALID_STATE', () => {
    for (const operation of MIRROR_OPERATIONS) {
      for (const status of MIRROR_STATUSES) {
        const rule = TRANSITIONS[operation];
        if (rule.from.includes(status)) {
          expect(transition('t', status, operation)).toBe(rule.to);
        } else {
          expect(() => transition('t', status, operation), `${operation} from ${status}`).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_STATE, message: expect.stringContaining(`is ${status} and cannot be`) }));
        }
      }
    }
  });

  it('only the reversing operations reverse', () => {
    expect(MIRROR_OPERATIONS.filter((op) => TRANSITIONS[op].reverses)).toEqual(['reverse-and-start', 'reverse-and-pause', 'truncate-and-restore']);
  });
});
