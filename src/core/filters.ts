/**
 * The filter JSON of cluster-link configs, as Confluent defines it:
 *   consumer.offset.group.filters      {"groupFilters":[{"name","patternType","filterType"}]}
 *   auto.create.mirror.topics.filters  {"topicFilters":[{"name","patternType","filterType"}]}
 *   acl.filters                        {"aclFilters":[{"resourceFilter":{resourceType,name?,patternType},
 *                                                      "accessFilter":{principal?,host?,operation,permissionType}}]}
 * Values are case-insensitive and normalised to Kafka's upper-case names; field names are exact.
 * Name filters default to LITERAL/INCLUDE; `PREFIX` is accepted for PREFIXED (Confluent's docs use
 * both) and WHITELIST/BLACKLIST for INCLUDE/EXCLUDE (early versions). A blank value means no filters.
 * Invariant: every schema error names the JSON path that fails (`groupFilters[1].patternType`).
 */
import { didYouMean } from './did-you-mean.js';
import { InvalidConfigError } from './errors.js';
import { parseJsonValue } from './json-text.js';

export type NamePatternType = 'LITERAL' | 'PREFIXED';
export type FilterType = 'INCLUDE' | 'EXCLUDE';

export interface NameFilter {
  name: string;
  patternType: NamePatternType;
  filterType: FilterType;
}

export const ACL_RESOURCE_TYPES = ['ANY', 'TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN', 'USER'] as const;
export const ACL_PATTERN_TYPES = ['ANY', 'MATCH', 'LITERAL', 'PREFIXED'] as const;
export const ACL_OPERATIONS = [
  'ANY', 'ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'CREATE_TOKENS', 'DESCRIBE_TOKENS',
] as const;
export const ACL_PERMISSION_TYPES = ['ANY', 'ALLOW', 'DENY'] as const;

export interface AclFilter {
  resourceFilter: { resourceType: (typeof ACL_RESOURCE_TYPES)[number]; name?: string; patternType: (typeof ACL_PATTERN_TYPES)[number] };
  accessFilter: { principal?: string; host?: string; operation: (typeof ACL_OPERATIONS)[number]; permissionType: (typeof ACL_PERMISSION_TYPES)[number] };
}

export const GROUP_FILTERS_EXAMPLE = '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}';
export const TOPIC_FILTERS_EXAMPLE = '{"topicFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}';
export const ACL_FILTERS_EXAMPLE =
  '{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}';

type Json = Record<string, unknown>;

class Schema {
  constructor(private readonly config: string) {}

  fail(path: string, problem: string, suggestion?: string): never {
    throw new InvalidConfigError(`invalid ${this.config}: ${path} ${problem}`, {
      suggestion: suggestion ?? 'Check the filter format in the Cluster Linking documentation.',
      context: { key: this.config, path },
    });
  }

  object(value: unknown, path: string, fields: readonly string[], hint?: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'must be a JSON object', hint);
    for (const key of Object.keys(value as Json)) {
      if (!fields.includes(key)) this.fail(path, `has an unknown field "${key}"`, didYouMean(key, fields) ?? hint ?? `Known fields: ${fields.join(', ')}.`);
    }
    return value as Json;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'must be a JSON array');
    return value as unknown[];
  }

  string(value: unknown, path: string, required: boolean): string | undefined {
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value === '') this.fail(path, required ? 'must be a non-empty string' : 'must be a non-empty string when given');
    return value as string;
  }

  choice<T extends string>(value: unknown, path: string, allowed: readonly T[], aliases: Record<string, T> = {}, fallback?: T): T {
    if (value === undefined && fallback !== undefined) return fallback;
    const upper = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
    const found = upper === undefined ? undefined : ((allowed as readonly string[]).includes(upper) ? (upper as T) : aliases[upper]);
    if (found === undefined) {
      const got = typeof value === 'string' ? `, not "${value}"` : value === undefined ? ' (it is missing)' : '';
      this.fail(path, `must be one of ${allowed.join(', ')}${got}`, typeof value === 'string' ? didYouMean(upper as string, allowed) : undefined);
    }
    return found as T;
  }

  /** `{"<listKey>":[…]}` → the list; a blank value → []. */
  list(text: string, listKey: string, example: string): { items: unknown[]; s: Schema } {
    if (text.trim() === '') return { items: [], s: this };
    const hint = `Write it as \`${example}\`.`;
    const root = this.object(parseJsonValue(text, this.config, example), 'the value', [listKey], hint);
    if (!(listKey in root)) this.fail('the value', `must have a "${listKey}" array`, hint);
    return { items: this.array(root[listKey], listKey), s: this };
  }
}

function parseNameFilters(text: string, config: string, listKey: string, example: string): NameFilter[] {
  const { items, s } = new Schema(config).list(text, listKey, example);
  return items.map((item, i) => {
    const path = `${listKey}[${i}]`;
    const o = s.object(item, path, ['name', 'patternType', 'filterType']);
    return {
      name: s.string(o.name, `${path}.name`, true) as string,
      patternType: s.choice(o.patternType, `${path}.patternType`, ['LITERAL', 'PREFIXED'] as const, { PREFIX: 'PREFIXED' }, 'LITERAL'),
      filterType: s.choice(o.filterType, `${path}.filterType`, ['INCLUDE', 'EXCLUDE'] as const, { WHITELIST: 'INCLUDE', BLACKLIST: 'EXCLUDE' }, 'INCLUDE'),
    };
  });
}

export function parseGroupFilters(text: string, config = 'consumer.offset.group.filters'): NameFilter[] {
  return parseNameFilters(text, config, 'groupFilters', GROUP_FILTERS_EXAMPLE);
}

export function parseTopicFilters(text: string, config = 'auto.create.mirror.topics.filters'): NameFilter[] {
  return parseNameFilters(text, config, 'topicFilters', TOPIC_FILTERS_EXAMPLE);
}

export function parseAclFilters(text: string, config = 'acl.filters'): AclFilter[] {
  const { items, s } = new Schema(config).list(text, 'aclFilters', ACL_FILTERS_EXAMPLE);
  return items.map((item, i) => {
    const path = `aclFilters[${i}]`;
    const o = s.object(item, path, ['resourceFilter', 'accessFilter']);
    if (o.resourceFilter === undefined) s.fail(`${path}.resourceFilter`, 'is missing', `Write it as \`${ACL_FILTERS_EXAMPLE}\`.`);
    if (o.accessFilter === undefined) s.fail(`${path}.accessFilter`, 'is missing', `Write it as \`${ACL_FILTERS_EXAMPLE}\`.`);
    const r = s.object(o.resourceFilter, `${path}.resourceFilter`, ['resourceType', 'name', 'patternType']);
    const a = s.object(o.accessFilter, `${path}.accessFilter`, ['principal', 'host', 'operation', 'permissionType']);
    const name = s.string(r.name, `${path}.resourceFilter.name`, false);
    const principal = s.string(a.principal, `${path}.accessFilter.principal`, false);
    if (principal !== undefined && !/^[^:]+:.+$/.test(principal)) {
      s.fail(`${path}.accessFilter.principal`, `must look like "User:<name>", not "${principal}"`, 'Write the principal with its type, for example `User:alice`.');
    }
    const host = s.string(a.host, `${path}.accessFilter.host`, false);
    return {
      resourceFilter: {
        resourceType: s.choice(r.resourceType, `${path}.resourceFilter.resourceType`, ACL_RESOURCE_TYPES),
        ...(name === undefined ? {} : { name }),
        patternType: s.choice(r.patternType, `${path}.resourceFilter.patternType`, ACL_PATTERN_TYPES),
      },
      accessFilter: {
        ...(principal === undefined ? {} : { principal }),
        ...(host === undefined ? {} : { host }),
        operation: s.choice(a.operation, `${path}.accessFilter.operation`, ACL_OPERATIONS),
        permissionType: s.choice(a.permissionType, `${path}.accessFilter.permissionType`, ACL_PERMISSION_TYPES),
      },
    };
  });
}

export { matchesAcl, matchesName, type AclBindingLike } from './filter-match.js';
