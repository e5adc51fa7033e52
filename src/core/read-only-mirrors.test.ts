import { describe, expect, it } from 'vitest';
import type { MirrorRecord } from './model/mirror.js';
import type { AclBindingLike as AclBinding } from './filters.js';
import { heldBackFor, liveMirrorTopics, patternCovers } from './read-only-mirrors.js';

const b = (over: Partial<AclBinding> = {}): AclBinding => ({
  resourceType: 'TOPIC', resourceName: 'orders', patternType: 'LITERAL', principal: 'User:alice', host: '*', operation: 'WRITE', permissionType: 'ALLOW', ...over,
});
const m = (mirrorTopic: string, desiredState: MirrorRecord['desiredState'], reversed = false): MirrorRecord => ({
  link: 'l', mirrorTopic, sourceTopic: mirrorTopic, desiredState, partitions: 1, configOverrides: {}, createdAt: '', stateChangedAtMs: 0, ...(reversed ? { reversed } : {}),
});

describe('read-only mirrors: which ACLs are held back', () => {
  it('covers LITERAL names, the * wildcard and PREFIXED patterns', () => {
    expect(patternCovers(b(), 'orders')).toBe(true);
    expect(patternCovers(b({ resourceName: '*' }), 'orders')).toBe(true);
    expect(patternCovers(b({ resourceName: 'ord', patternType: 'PREFIXED' }), 'orders')).toBe(true);
    expect(patternCovers(b({ resourceName: 'ord' }), 'orders')).toBe(false);
  });

  it('counts ACTIVE and PAUSED mirrors of the link direction as live, not STOPPED or reversed ones', () => {
    expect(liveMirrorTopics([m('a', 'ACTIVE'), m('p', 'PAUSED'), m('s', 'STOPPED'), m('r', 'ACTIVE', true)])).toEqual(['a', 'p']);
  });

  it('holds back ALLOW WRITE/ALL on a live mirror for anyone but clink', () => {
    const live = ['orders'];
    expect(heldBackFor(b(), live, 'User:clink')).toBe('orders');
    expect(heldBackFor(b({ operation: 'ALL' }), live, 'User:clink')).toBe('orders');
    expect(heldBackFor(b({ principal: 'User:clink' }), live, 'User:clink')).toBeUndefined();
    expect(heldBackFor(b({ operation: 'READ' }), live, undefined)).toBeUndefined();
    expect(heldBackFor(b({ permissionType: 'DENY' }), live, undefined)).toBeUndefined();
    expect(heldBackFor(b({ resourceType: 'GROUP' }), live, undefined)).toBeUndefined();
    expect(heldBackFor(b(), [], undefined)).toBeUndefined();
  });
});
