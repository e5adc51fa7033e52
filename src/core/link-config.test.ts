import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.js';
import {
  effectiveLinkConfigs,
  LINK_CONFIG_DEFS,
  linkCreateOutputConfigs,
  parseOffsetSpec,
  validateLinkConfigs,
} from './link-config.js';

const GROUPS = '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}';
const ACLS = '{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}';
const TOPICS = '{"topicFilters":[{"name":"orders","patternType":"PREFIXED","filterType":"INCLUDE"}]}';
const SECRET = 'hunter2-secret';
const JAAS = `org.apache.kafka.common.security.plain.PlainLoginModule required username="key" password="${SECRET}";`;

function errorOf(run: () => unknown): InvalidConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    const e = error as InvalidConfigError;
    expect(`${e.message} ${e.suggestion} ${JSON.stringify(e.context)}`).not.toContain(SECRET);
    return e;
  }
  throw new Error('expected an error');
}

describe('validateLinkConfigs: the dr-link.config example', () => {
  const entries = {
    'consumer.offset.sync.enable': 'true',
    'consumer.offset.group.filters': GROUPS,
    'consumer.offset.sync.ms': '1000',
    'acl.sync.enable': 'true',
    'acl.sync.ms': '1000',
    'acl.filters': ACLS,
    'topic.config.sync.ms': '1000',
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': JAAS,
  };

  it('types every config, applying defaults, and splits off the client configs', () => {
    const result = validateLinkConfigs(entries);
    expect(result.configs['consumer.offset.sync.enable']).toBe(true);
    expect(result.configs['consumer.offset.sync.ms']).toBe(1000);
    expect(result.configs['consumer.offset.group.filters']).toEqual([{ name: '*', patternType: 'LITERAL', filterType: 'INCLUDE' }]);
    expect(result.configs['acl.filters'][0]?.accessFilter.operation).toBe('ANY');
    expect(result.configs['link.mode']).toBe('DESTINATION');
    expect(result.configs['availability.check.consecutive.failure.threshold']).toBe(5);
    expect(result.configs['mirror.start.offset.spec']).toEqual({ type: 'earliest' });
    expect(result.configs['mirror.transactions']).toBe('exact');
    expect(result.configs['topic.config.sync.include']).toContain('retention.ms');
    expect(result.configs['cluster.link.prefix']).toBe('');
    expect(result.clientConfigs).toEqual({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': JAAS });
    expect(result.explicit.sort()).toEqual(['acl.filters', 'acl.sync.enable', 'acl.sync.ms', 'consumer.offset.group.filters', 'consumer.offset.sync.enable', 'consumer.offset.sync.ms', 'topic.config.sync.ms']);
    expect(result.values).toEqual(entries);
    expect(result.warnings).toEqual([]);
  });

  it('stores canonical strings', () => {
    const { values } = validateLinkConfigs({ 'cluster.link.paused': ' TRUE ', 'acl.sync.ms': '+0050', 'link.mode': 'destination', 'mirror.start.offset.spec': 'LATEST' });
    expect(values).toEqual({ 'cluster.link.paused': 'true', 'acl.sync.ms': '50', 'link.mode': 'DESTINATION', 'mirror.start.offset.spec': 'latest' });
  });

  it('keeps local.* client configs apart', () => {
    const result = validateLinkConfigs({ 'link.mode': 'SOURCE', 'local.security.protocol': 'SASL_SSL', 'local.sasl.jaas.config': JAAS, 'local.listener': 'SASL_SSL' });
    expect(Object.keys(result.localConfigs).sort()).toEqual(['local.listener', 'local.sasl.jaas.config', 'local.security.protocol']);
    expect(result.configs['link.mode']).toBe('SOURCE');
  });
});

describe('validateLinkConfigs: errors', () => {
  it.each([
    [{ 'consumer.offset.sync.enabel': 'true' }, 'unknown link config "consumer.offset.sync.enabel"', 'Did you mean `consumer.offset.sync.enable`?'],
    [{ 'ssl.trustore.location': '/ca.pem' }, 'unknown link config "ssl.trustore.location"', 'Did you mean `ssl.truststore.location`?'],
    [{ 'local.sasl.mechanizm': 'PLAIN' }, 'unknown link config "local.sasl.mechanizm"', 'Did you mean `local.sasl.mechanism`?'],
    [{ 'totally.different': 'x' }, 'unknown link config "totally.different"', 'Check the name against the configs listed by `clink link configuration list <link>`.'],
    [{ 'acl.sync.enable': 'yes' }, 'acl.sync.enable must be a boolean (true or false), not "yes"', 'Set `acl.sync.enable=true` or `acl.sync.enable=false`.'],
    [{ 'consumer.offset.sync.enable': 'true consumer.offset.sync.ms=1000' }, 'consumer.offset.sync.enable must be a boolean (true or false), not "true consumer.offset.sync.ms=1000"', 'Put each config on its own line; this value looks like several configs joined together.'],
    [{ 'acl.sync.ms': '-5' }, 'acl.sync.ms must be a positive integer, not "-5"', 'Set `acl.sync.ms=5000` or leave it out for the default.'],
    [{ 'acl.sync.ms': '0' }, 'acl.sync.ms must be a positive integer, not "0"'],
    [{ 'replica.fetch.backoff.ms': '1.5' }, 'replica.fetch.backoff.ms must be a non-negative integer, not "1.5"'],
    [{ 'replica.fetch.max.bytes': '99999999999' }, 'replica.fetch.max.bytes must be at most 2147483647, not "99999999999"'],
    [{ 'replica.socket.receive.buffer.bytes': '-2' }, 'replica.socket.receive.buffer.bytes must be an integer of at least -1, not "-2"'],
    [{ 'link.mode': 'MIRROR' }, 'unrecognized link mode "MIRROR"', 'Use "DESTINATION", "SOURCE", or "BIDIRECTIONAL".'],
    [{ 'connection.mode': 'OUTBOND' }, 'connection.mode must be one of OUTBOUND, INBOUND, not "OUTBOND"', 'Did you mean `OUTBOUND`?'],
    [{ 'connection.mode': 'sideways' }, 'connection.mode must be one of OUTBOUND, INBOUND, not "sideways"', 'Use "OUTBOUND" or "INBOUND".'],
    [{ 'mirror.start.offset.spec': 'beginning' }, 'mirror.start.offset.spec must be earliest, latest or an ISO-8601 timestamp, not "beginning"'],
    [{ 'mirror.start.offset.spec': '2024-02-30T00:00:00Z' }, 'mirror.start.offset.spec must be earliest, latest or an ISO-8601 timestamp, not "2024-02-30T00:00:00Z"'],
    [{ 'mirror.start.offset.spec': '2024-01-15' }, 'mirror.start.offset.spec must be earliest, latest or an ISO-8601 timestamp, not "2024-01-15"'],
    [{ 'mirror.transactions': 'exactly' }, 'mirror.transactions must be exact or fillers, not "exactly"'],
    [{ 'cluster.link.prefix': 'dr/' }, 'cluster.link.prefix may contain only letters, digits, ".", "_" and "-" (at most 200)'],
    [{ 'topic.config.sync.include': 'cleanup.policy,max.message.bytes,message.timestamp.type,message.timestamp.difference.max.ms,retention.msx' }, 'topic.config.sync.include lists "retention.msx", which is not a topic config that can be synced', 'Did you mean `retention.ms`?'],
    [{ 'topic.config.sync.include': 'retention.ms' }, 'topic.config.sync.include must include cleanup.policy, max.message.bytes, message.timestamp.type, message.timestamp.difference.max.ms (always synced)'],
    [{ 'consumer.offset.sync.enable': 'true', 'consumer.offset.group.filters': '{"groupFilters":[{"name":"a","patternType":"REGEX"}]}' }, 'invalid consumer.offset.group.filters: groupFilters[0].patternType must be one of LITERAL, PREFIXED, not "REGEX"'],
    [{ 'acl.sync.enable': 'true', 'acl.filters': '{"aclFilters":[' }, 'invalid JSON in acl.filters at character 16: unexpected end of input'],
    [{ 'consumer.offset.sync.enable': 'true' }, 'consumer.offset.sync.enable is true but consumer.offset.group.filters is not set', 'Set `consumer.offset.group.filters` to choose what is synced, or set `consumer.offset.sync.enable=false`.'],
    [{ 'consumer.offset.sync.enable': 'true', 'consumer.offset.group.filters': '{"groupFilters":[]}' }, 'consumer.offset.sync.enable is true but consumer.offset.group.filters selects nothing'],
    [{ 'acl.sync.enable': 'true' }, 'acl.sync.enable is true but acl.filters is not set'],
    [{ 'auto.create.mirror.topics.enable': 'TRUE' }, 'auto.create.mirror.topics.enable is true but auto.create.mirror.topics.filters is not set'],
    [{ 'acl.sync.enable': 'true', 'acl.filters': ACLS, 'cluster.link.prefix': 'dr_' }, 'acl.sync.enable cannot be used together with cluster.link.prefix', 'Use a link without a prefix to sync ACLs, or set `acl.sync.enable=false`.'],
  ])('rejects %j', (entries, message, suggestion?: string) => {
    const error = errorOf(() => validateLinkConfigs({ 'sasl.jaas.config': JAAS, ...entries }));
    expect(error.message).toBe(message);
    if (suggestion !== undefined) expect(error.suggestion).toBe(suggestion);
    expect(error.suggestion).toMatch(/[.?]$/);
  });

  it('reports every problem at once, with where each came from', () => {
    const lines: Record<string, number> = { 'acl.sync.ms': 3, 'consumer.offset.sync.enabel': 7 };
    const error = errorOf(() =>
      validateLinkConfigs(
        { 'acl.sync.ms': 'soon', 'consumer.offset.sync.enabel': 'true', 'sasl.jaas.config': JAAS },
        { locate: (key) => (lines[key] === undefined ? undefined : `dr-link.config line ${lines[key]}`) },
      ),
    );
    expect(error.message).toBe(
      '2 invalid link configs:\n' +
        '  - acl.sync.ms must be a positive integer, not "soon" (dr-link.config line 3)\n' +
        '  - unknown link config "consumer.offset.sync.enabel" (dr-link.config line 7)',
    );
    expect(error.suggestion).toBe('Set `acl.sync.ms=5000` or leave it out for the default. Did you mean `consumer.offset.sync.enable`?');
  });

  it('reports cross-config problems after value problems are fixed, naming the enabling entry', () => {
    const error = errorOf(() => validateLinkConfigs({ 'acl.sync.enable': 'true', 'consumer.offset.sync.enable': 'true' }, { locate: () => '--config' }));
    expect(error.message).toBe(
      '2 invalid link configs:\n  - consumer.offset.sync.enable is true but consumer.offset.group.filters is not set (--config)\n  - acl.sync.enable is true but acl.filters is not set (--config)',
    );
  });
});

describe('validateLinkConfigs: warnings', () => {
  it('warns about filters of disabled features and a group prefix without a link prefix', () => {
    expect(validateLinkConfigs({ 'acl.filters': ACLS, 'auto.create.mirror.topics.filters': TOPICS, 'consumer.group.prefix.enable': 'true' }).warnings).toEqual([
      'acl.filters is set but acl.sync.enable is false, so no ACLs are synced',
      'auto.create.mirror.topics.filters is set but auto.create.mirror.topics.enable is false, so no mirror topics are created automatically',
      'consumer.group.prefix.enable has no effect because cluster.link.prefix is not set',
    ]);
  });
});

describe('validateLinkConfigs: updates', () => {
  const current = { 'bootstrap.servers': 'a:9092', 'cluster.link.prefix': 'dr_', 'consumer.offset.sync.enable': 'true', 'consumer.offset.group.filters': GROUPS };

  it('merges the update into the stored configs and checks rules on the result', () => {
    const result = validateLinkConfigs({ 'consumer.offset.sync.ms': '2000' }, { current });
    expect(result.values).toEqual({ ...current, 'consumer.offset.sync.ms': '2000' });
    expect(result.configs['consumer.offset.sync.enable']).toBe(true);
    expect(validateLinkConfigs({ 'cluster.link.prefix': 'dr_' }, { current }).values['cluster.link.prefix']).toBe('dr_');
  });

  it('refuses to change create-only configs', () => {
    expect(errorOf(() => validateLinkConfigs({ 'cluster.link.prefix': 'x_' }, { current })).message).toBe('cluster.link.prefix cannot be changed after the link is created');
    expect(errorOf(() => validateLinkConfigs({ 'link.mode': 'SOURCE' }, { current })).message).toBe('link.mode cannot be changed after the link is created');
    expect(validateLinkConfigs({ 'link.mode': 'destination' }, { current }).configs['link.mode']).toBe('DESTINATION');
  });

  it('clears the filters of a feature that is disabled, unless they are set in the same update', () => {
    const off = validateLinkConfigs({ 'consumer.offset.sync.enable': 'false' }, { current });
    expect(off.values['consumer.offset.group.filters']).toBeUndefined();
    expect(off.configs['consumer.offset.group.filters']).toEqual([]);
    expect(off.warnings).toEqual(['consumer.offset.group.filters was cleared because consumer.offset.sync.enable is false']);
    const kept = validateLinkConfigs({ 'consumer.offset.sync.enable': 'false', 'consumer.offset.group.filters': GROUPS }, { current });
    expect(kept.values['consumer.offset.group.filters']).toBe(GROUPS);
  });

  it('checks enabling a feature against stored filters and the stored prefix', () => {
    expect(errorOf(() => validateLinkConfigs({ 'acl.sync.enable': 'true', 'acl.filters': ACLS }, { current })).message).toBe('acl.sync.enable cannot be used together with cluster.link.prefix');
  });
});

describe('parseOffsetSpec', () => {
  it.each([
    ['earliest', { type: 'earliest' }],
    ['', { type: 'earliest' }],
    ['Latest', { type: 'latest' }],
    ['2024-01-15T10:00:00Z', { type: 'timestamp', timestampMs: Date.UTC(2024, 0, 15, 10) }],
    ['2024-01-15T10:00Z', { type: 'timestamp', timestampMs: Date.UTC(2024, 0, 15, 10) }],
    ['2024-01-15T11:00:00.5+01:00', { type: 'timestamp', timestampMs: Date.UTC(2024, 0, 15, 10, 0, 0, 500) }],
    ['2024-01-15T05:00:00.123456-0500', { type: 'timestamp', timestampMs: Date.UTC(2024, 0, 15, 10, 0, 0, 123) }],
    ['2024-02-29T00:00:00z', { type: 'timestamp', timestampMs: Date.UTC(2024, 1, 29) }],
  ])('%j', (value, expected) => {
    expect(parseOffsetSpec(value)).toEqual(expected);
  });

  it.each(['2023-02-29T00:00:00Z', '2024-01-15T10:00:00', '2024-01-15T10:00:61Z', 'now'])('rejects %j', (value) => {
    expect(() => parseOffsetSpec(value)).toThrow(/must be earliest, latest or an ISO-8601 timestamp/);
  });
});

describe('registry', () => {
  it('has a valid default for every config', () => {
    for (const def of LINK_CONFIG_DEFS) expect(validateLinkConfigs({ [def.name]: def.default }).values[def.name]).toBe(def.default);
    expect(LINK_CONFIG_DEFS.map((d) => d.name)).toEqual(expect.arrayContaining(['availability.check.ms', 'cluster.link.retry.timeout.ms', 'cluster.link.paused']));
    expect(new Set(LINK_CONFIG_DEFS.map((d) => d.name)).size).toBe(LINK_CONFIG_DEFS.length);
  });
});

describe('effectiveLinkConfigs', () => {
  it('lists every link config with default markers, plus stored client configs redacted', () => {
    const rows = effectiveLinkConfigs({ 'acl.sync.ms': '1000', 'bootstrap.servers': 'a:9092', 'sasl.jaas.config': JAAS, 'ssl.key.password': '' });
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(rows.map((r) => r.name)).toEqual([...rows.map((r) => r.name)].sort());
    expect(byName.get('acl.sync.ms')).toMatchObject({ value: '1000', isDefault: false, source: 'DYNAMIC_CLUSTER_LINK_CONFIG', sensitive: false, readOnly: false });
    expect(byName.get('consumer.offset.sync.ms')).toMatchObject({ value: '30000', isDefault: true, source: 'DEFAULT_CONFIG' });
    expect(byName.get('sasl.jaas.config')).toMatchObject({ value: '********', sensitive: true, isDefault: false });
    expect(byName.get('ssl.key.password')).toMatchObject({ value: '', sensitive: true });
    expect(rows.length).toBe(LINK_CONFIG_DEFS.length + 3);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });
});

describe('linkCreateOutputConfigs', () => {
  it('prints only allow-listed configs, always link.mode, sorted', () => {
    expect(linkCreateOutputConfigs({ 'bootstrap.servers': 'myhost:1234', 'sasl.jaas.config': JAAS, 'acl.sync.ms': '1000', 'replica.fetch.max.bytes': '1', 'sasl.mechanism': 'PLAIN' })).toEqual([
      ['acl.sync.ms', '1000'],
      ['bootstrap.servers', 'myhost:1234'],
      ['link.mode', 'DESTINATION'],
      ['sasl.mechanism', 'PLAIN'],
    ]);
    expect(linkCreateOutputConfigs({ 'link.mode': 'SOURCE' })).toEqual([['link.mode', 'SOURCE']]);
  });
});
