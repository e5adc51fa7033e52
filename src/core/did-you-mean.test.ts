import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['enabel', 'enable', 1],
    ['ca', 'ac', 1],
    ['same', 'same', 0],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestMatch / didYouMean', () => {
  const names = ['consumer.offset.sync.enable', 'consumer.offset.sync.ms', 'acl.sync.enable'];

  it('suggests the closest plausible name, ignoring case', () => {
    expect(closestMatch('consumer.offset.sync.enabel', names)).toBe('consumer.offset.sync.enable');
    expect(closestMatch('ACL.SYNC.ENABLE', names)).toBe('acl.sync.enable');
    expect(didYouMean('acl.sync.enabled', names)).toBe('Did you mean `acl.sync.enable`?');
  });

  it('suggests nothing when no name is close', () => {
    expect(closestMatch('bootstrap.servers', names)).toBeUndefined();
    expect(didYouMean('xyz', names)).toBeUndefined();
    expect(closestMatch('ab', ['xy'])).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });

  it('allows at most three edits', () => {
    expect(closestMatch('consumer.offset.sync.XXXXXX', names)).toBeUndefined();
    expect(closestMatch('consumer.offset.sync.eXXXle', names)).toBe('consumer.offset.sync.enable');
  });
});
