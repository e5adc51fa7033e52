/**
 * Which topics, consumer groups and ACL bindings a link's filters select.
 * Name filters: a name is selected when at least one INCLUDE filter matches it and no EXCLUDE filter
 * does (exclude wins); LITERAL matches the exact name, and the literal `*` matches every name;
 * PREFIXED matches names that start with the filter's name. No filters select nothing.
 * ACL filters: a binding is selected when any filter matches it, with the semantics of Kafka's
 * AclBindingFilter (ANY matches everything, MATCH also matches wildcard and prefixed patterns,
 * an absent name/principal/host matches any).
 * Invariant: pure functions; callers pass Kafka's upper-case enum names.
 */
import type { AclFilter, NameFilter } from './filters.js';

function nameMatches(filter: NameFilter, name: string): boolean {
  if (filter.patternType === 'PREFIXED') return name.startsWith(filter.name);
  return filter.name === '*' || filter.name === name;
}

export function matchesName(filters: readonly NameFilter[], name: string): boolean {
  let included = false;
  for (const filter of filters) {
    if (!nameMatches(filter, name)) continue;
    if (filter.filterType === 'EXCLUDE') return false;
    included = true;
  }
  return included;
}

export interface AclBindingLike {
  resourceType: string;
  resourceName: string;
  /** LITERAL or PREFIXED: the pattern type of the binding itself. */
  patternType: string;
  principal: string;
  host: string;
  operation: string;
  permissionType: string;
}

const WILDCARD = '*';

function resourceMatches(filter: AclFilter['resourceFilter'], binding: AclBindingLike): boolean {
  const type = binding.resourceType.toUpperCase();
  const pattern = binding.patternType.toUpperCase();
  if (filter.resourceType !== 'ANY' && filter.resourceType !== type) return false;
  if (filter.patternType !== 'ANY' && filter.patternType !== 'MATCH' && filter.patternType !== pattern) return false;
  if (filter.name === undefined) return true;
  if (filter.patternType !== 'MATCH') return filter.name === binding.resourceName;
  if (pattern === 'LITERAL') return filter.name === binding.resourceName || binding.resourceName === WILDCARD;
  if (pattern === 'PREFIXED') return filter.name.startsWith(binding.resourceName);
  return false;
}

function accessMatches(filter: AclFilter['accessFilter'], binding: AclBindingLike): boolean {
  if (filter.principal !== undefined && filter.principal !== binding.principal) return false;
  if (filter.host !== undefined && filter.host !== binding.host) return false;
  if (filter.operation !== 'ANY' && filter.operation !== binding.operation.toUpperCase()) return false;
  return filter.permissionType === 'ANY' || filter.permissionType === binding.permissionType.toUpperCase();
}

export function matchesAcl(filters: readonly AclFilter[], binding: AclBindingLike): boolean {
  return filters.some((f) => resourceMatches(f.resourceFilter, binding) && accessMatches(f.accessFilter, binding));
}
