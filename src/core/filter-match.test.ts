import { describe, expect, it } from 'vitest';
import { matchesAcl, matchesName, type AclBindingLike } from './filters.js';
import { parseAclFilters, parseGroupFilters, type NameFilter } from './filters.js';

const f = (name: string, patternType: NameFilter['patternType'] = 'LITERAL', filterType: NameFilter['filterType'] = 'INCLUDE'): NameFilter => ({
  name,
  patternType,
  filterType,
});

describe('matchesName', () => {
  it('selects nothing without filters', () => {
    expect(matchesName([], 'orders')).toBe(false);
  });

  it('treats the literal * as every name, and only the literal one', () => {
    expect(matchesName([f('*')], 'anything')).toBe(true);
    expect(matchesName([f('*', 'PREFIXED')], 'anything')).toBe(false);
    expect(matchesName([f('*', 'PREFIXED')], '*star')).toBe(true);
  });

  it('matches LITERAL exactly and PREFIXED by prefix, case-sensitively', () => {
    expect(matchesName([f('orders')], 'orders')).toBe(true);
    expect(matchesName([f('orders')], 'orders-eu')).toBe(false);
    expect(matchesName([f('orders', 'PREFIXED')], 'orders-eu')).toBe(true);
    expect(matchesName([f('orders', 'PREFIXED')], 'Orders-eu')).toBe(false);
  });

  it('lets an exclude win over any include, whatever the order', () => {
    const filters = [f('tmp', 'PREFIXED', 'EXCLUDE'), f('*'), f('tmp-keep')];
    expect(matchesName(filters, 'orders')).toBe(true);
    expect(matchesName(filters, 'tmp-keep')).toBe(false);
    expect(matchesName([f('a', 'LITERAL', 'EXCLUDE')], 'b')).toBe(false);
  });

  it('works on parsed filters (Confluent example)', () => {
    const filters = parseGroupFilters('{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"},{"name":"excluded","patternType":"PREFIXED","filterType":"EXCLUDE"}]}');
    expect(matchesName(filters, 'billing')).toBe(true);
    expect(matchesName(filters, 'excluded-group')).toBe(false);
  });
});

const binding = (over: Partial<AclBindingLike> = {}): AclBindingLike => ({
  resourceType: 'TOPIC',
  resourceName: 'foo',
  patternType: 'LITERAL',
  principal: 'User:alice',
  host: '*',
  operation: 'READ',
  permissionType: 'ALLOW',
  ...over,
});

const resourceFilter = (resourceType: string, name: string | null, patternType: string) =>
  parseAclFilters(
    JSON.stringify({
      aclFilters: [{ resourceFilter: { resourceType, patternType, ...(name === null ? {} : { name }) }, accessFilter: { operation: 'any', permissionType: 'any' } }],
    }),
  );

describe('matchesAcl', () => {
  // Expected results were checked against Kafka 4.1's ResourcePatternFilter#matches.
  it.each([
    ['TOPIC', 'foo-bar', 'MATCH', 'TOPIC', 'foo', 'PREFIXED', true],
    ['TOPIC', 'foo', 'MATCH', 'TOPIC', 'foo-bar', 'PREFIXED', false],
    ['TOPIC', 'foo', 'MATCH', 'TOPIC', '*', 'LITERAL', true],
    ['TOPIC', 'foo', 'LITERAL', 'TOPIC', '*', 'LITERAL', false],
    ['TOPIC', 'foo', 'ANY', 'TOPIC', 'foo', 'PREFIXED', true],
    ['ANY', null, 'ANY', 'GROUP', 'g', 'LITERAL', true],
    ['TOPIC', 'foo', 'PREFIXED', 'TOPIC', 'foo', 'PREFIXED', true],
    ['TOPIC', 'fo', 'PREFIXED', 'TOPIC', 'foo', 'PREFIXED', false],
    ['TOPIC', null, 'LITERAL', 'TOPIC', 'x', 'PREFIXED', false],
    ['GROUP', null, 'ANY', 'TOPIC', 'x', 'LITERAL', false],
  ] as const)('filter %s/%s/%s vs binding %s/%s/%s → %s', (ft, fname, fp, bt, bname, bp, expected) => {
    expect(matchesAcl(resourceFilter(ft, fname, fp), binding({ resourceType: bt, resourceName: bname, patternType: bp }))).toBe(expected);
  });

  it('matches principal and host exactly, and operation and permission unless ANY', () => {
    const filters = parseAclFilters(
      '{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"principal":"User:alice","host":"*","operation":"read","permissionType":"allow"}}]}',
    );
    expect(matchesAcl(filters, binding())).toBe(true);
    expect(matchesAcl(filters, binding({ principal: 'User:bob' }))).toBe(false);
    expect(matchesAcl(filters, binding({ host: '10.0.0.1' }))).toBe(false);
    expect(matchesAcl(filters, binding({ operation: 'WRITE' }))).toBe(false);
    expect(matchesAcl(filters, binding({ permissionType: 'DENY' }))).toBe(false);
    expect(matchesAcl(filters, binding({ operation: 'read', permissionType: 'allow' }))).toBe(true);
  });

  it('selects a binding when any filter matches, and nothing without filters', () => {
    const filters = [...resourceFilter('GROUP', null, 'ANY'), ...resourceFilter('TOPIC', 'foo', 'LITERAL')];
    expect(matchesAcl(filters, binding())).toBe(true);
    expect(matchesAcl(filters, binding({ resourceName: 'bar' }))).toBe(false);
    expect(matchesAcl([], binding())).toBe(false);
  });
});
