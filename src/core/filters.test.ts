import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.js';
import { parseAclFilters, parseGroupFilters, parseTopicFilters } from './filters.js';

function errorOf(run: () => unknown): InvalidConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error('expected an error');
}

describe('parseGroupFilters / parseTopicFilters', () => {
  it('parses the dr-link.config example', () => {
    expect(parseGroupFilters('{"groupFilters": [{"name": "*","patternType": "LITERAL","filterType": "INCLUDE"}]}')).toEqual([
      { name: '*', patternType: 'LITERAL', filterType: 'INCLUDE' },
    ]);
  });

  it('normalises case, accepts PREFIX and WHITELIST/BLACKLIST, and defaults to LITERAL/INCLUDE', () => {
    expect(
      parseTopicFilters(
        '{"topicFilters":[{"name":"orders","patternType":"prefix","filterType":"include"},{"name":"tmp","patternType":"Prefixed","filterType":"BLACKLIST"},{"name":"audit"},{"name":"x","filterType":"whitelist"}]}',
      ),
    ).toEqual([
      { name: 'orders', patternType: 'PREFIXED', filterType: 'INCLUDE' },
      { name: 'tmp', patternType: 'PREFIXED', filterType: 'EXCLUDE' },
      { name: 'audit', patternType: 'LITERAL', filterType: 'INCLUDE' },
      { name: 'x', patternType: 'LITERAL', filterType: 'INCLUDE' },
    ]);
  });

  it('treats a blank value as no filters, and an empty list as no filters', () => {
    expect(parseGroupFilters('')).toEqual([]);
    expect(parseGroupFilters('  ')).toEqual([]);
    expect(parseGroupFilters('{"groupFilters":[]}')).toEqual([]);
  });

  it.each([
    ['{"groupFilters":[{"name":"a"},{"name":"b","patternType":"REGEX"}]}', 'invalid consumer.offset.group.filters: groupFilters[1].patternType must be one of LITERAL, PREFIXED, not "REGEX"'],
    ['{"groupFilters":[{"name":"a","filterType":"INCLUDED"}]}', 'invalid consumer.offset.group.filters: groupFilters[0].filterType must be one of INCLUDE, EXCLUDE, not "INCLUDED"', 'Did you mean `INCLUDE`?'],
    ['{"groupFilters":[{"name":"a","patterntype":"LITERAL"}]}', 'invalid consumer.offset.group.filters: groupFilters[0] has an unknown field "patterntype"', 'Did you mean `patternType`?'],
    ['{"groupFilters":[{"patternType":"LITERAL"}]}', 'invalid consumer.offset.group.filters: groupFilters[0].name must be a non-empty string'],
    ['{"groupFilters":[{"name":""}]}', 'invalid consumer.offset.group.filters: groupFilters[0].name must be a non-empty string'],
    ['{"groupFilters":[{"name":"a","patternType":5}]}', 'invalid consumer.offset.group.filters: groupFilters[0].patternType must be one of LITERAL, PREFIXED'],
    ['{"groupFilters":["a"]}', 'invalid consumer.offset.group.filters: groupFilters[0] must be a JSON object'],
    ['{"groupFilters":{"name":"a"}}', 'invalid consumer.offset.group.filters: groupFilters must be a JSON array'],
    ['{"topicFilters":[{"name":"a"}]}', 'invalid consumer.offset.group.filters: the value has an unknown field "topicFilters"'],
    ['{}', 'invalid consumer.offset.group.filters: the value must have a "groupFilters" array'],
    ['[]', 'invalid consumer.offset.group.filters: the value must be a JSON object'],
    ['{"groupFilters":[{"name":"a",}]}', 'invalid JSON in consumer.offset.group.filters at character 30: expected a double-quoted property name'],
    ['{"groupFilters": [{"name": "*","patternType": "LITERAL" "filterType": "INCLUDE"}]}', "invalid JSON in consumer.offset.group.filters at character 57: expected ',' or '}' after a property value"],
  ])('rejects %s', (text, message, suggestion?: string) => {
    const error = errorOf(() => parseGroupFilters(text));
    expect(error.message).toBe(message);
    if (suggestion !== undefined) expect(error.suggestion).toBe(suggestion);
    expect(error.suggestion).toMatch(/\.$|\?$/);
  });

  it('names the topic filter config and key', () => {
    expect(errorOf(() => parseTopicFilters('{"topicFilters":[{"name":"a","patternType":"x"}]}')).message).toBe(
      'invalid auto.create.mirror.topics.filters: topicFilters[0].patternType must be one of LITERAL, PREFIXED, not "x"',
    );
    expect(errorOf(() => parseTopicFilters('{"groupFilters":[]}')).suggestion).toBe("Write it as `{\"topicFilters\":[{\"name\":\"*\",\"patternType\":\"LITERAL\",\"filterType\":\"INCLUDE\"}]}`.");
  });
});

describe('parseAclFilters', () => {
  it('parses the dr-link.config example, normalising case', () => {
    expect(parseAclFilters('{ "aclFilters": [ { "resourceFilter": { "resourceType": "any", "patternType": "any" }, "accessFilter": { "operation": "any", "permissionType": "any" } } ] }')).toEqual([
      { resourceFilter: { resourceType: 'ANY', patternType: 'ANY' }, accessFilter: { operation: 'ANY', permissionType: 'ANY' } },
    ]);
  });

  it('keeps optional name, principal and host', () => {
    const [filter] = parseAclFilters(
      '{"aclFilters":[{"resourceFilter":{"resourceType":"Topic","name":"orders","patternType":"prefixed"},"accessFilter":{"principal":"User:alice","host":"*","operation":"describe_configs","permissionType":"Allow"}}]}',
    );
    expect(filter).toEqual({
      resourceFilter: { resourceType: 'TOPIC', name: 'orders', patternType: 'PREFIXED' },
      accessFilter: { principal: 'User:alice', host: '*', operation: 'DESCRIBE_CONFIGS', permissionType: 'ALLOW' },
    });
  });

  const acl = (resource: string, access: string) => `{"aclFilters":[{"resourceFilter":${resource},"accessFilter":${access}}]}`;
  const anyResource = '{"resourceType":"any","patternType":"any"}';
  const anyAccess = '{"operation":"any","permissionType":"any"}';
  it.each([
    [acl('{"resourceType":"table","patternType":"any"}', anyAccess), 'aclFilters[0].resourceFilter.resourceType must be one of ANY, TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID, DELEGATION_TOKEN, USER, not "table"'],
    [acl('{"patternType":"any"}', anyAccess), 'aclFilters[0].resourceFilter.resourceType must be one of ANY, TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID, DELEGATION_TOKEN, USER (it is missing)'],
    [acl('{"resourceType":"topic","patternType":"regex"}', anyAccess), 'aclFilters[0].resourceFilter.patternType must be one of ANY, MATCH, LITERAL, PREFIXED, not "regex"'],
    [acl(anyResource, '{"operation":"reed","permissionType":"any"}'), 'aclFilters[0].accessFilter.operation must be one of ANY, ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, CREATE_TOKENS, DESCRIBE_TOKENS, not "reed"'],
    [acl(anyResource, '{"operation":"any","permissionType":"permit"}'), 'aclFilters[0].accessFilter.permissionType must be one of ANY, ALLOW, DENY, not "permit"'],
    [acl(anyResource, '{"principal":"alice","operation":"any","permissionType":"any"}'), 'aclFilters[0].accessFilter.principal must look like "User:<name>", not "alice"'],
    [acl(anyResource, '{"operation":"any","permissionType":"any","hosts":"*"}'), 'aclFilters[0].accessFilter has an unknown field "hosts"'],
    [acl('{"resourceType":"any","patternType":"any","name":""}', anyAccess), 'aclFilters[0].resourceFilter.name must be a non-empty string when given'],
    ['{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"}}]}', 'aclFilters[0].accessFilter is missing'],
    ['{"aclFilters":[{"accessFilter":{"operation":"any","permissionType":"any"}}]}', 'aclFilters[0].resourceFilter is missing'],
  ])('rejects %s', (text, problem) => {
    expect(errorOf(() => parseAclFilters(text)).message).toBe(`invalid acl.filters: ${problem}`);
  });

  it('suggests the closest operation', () => {
    expect(errorOf(() => parseAclFilters(acl(anyResource, '{"operation":"reed","permissionType":"any"}'))).suggestion).toBe('Did you mean `READ`?');
  });
});
