import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidConfigError, NotFoundError, UsageError } from '../core/errors.js';
import { collectConfigFlags, describeOrigin, parseInlineConfig, parseInlineConfigs } from './inline-config.js';

const GROUP_FILTERS = '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"},{"name":"tmp","patternType":"PREFIXED","filterType":"EXCLUDE"}]}';

describe('parseInlineConfigs', () => {
  it('splits on commas and keeps `=` inside values', () => {
    expect(parseInlineConfigs(['a=1,b=x=y,c='])).toEqual({ a: '1', b: 'x=y', c: '' });
    expect(parseInlineConfig).toBe(parseInlineConfigs);
  });

  it('glues a segment without `=` back onto the previous value (JSON filters)', () => {
    expect({ ...parseInlineConfigs([`consumer.offset.sync.enable=true,consumer.offset.group.filters=${GROUP_FILTERS}`]) }).toEqual({
      'consumer.offset.sync.enable': 'true',
      'consumer.offset.group.filters': GROUP_FILTERS,
    });
    expect({ ...parseInlineConfigs(['topic.config.sync.include=cleanup.policy,max.message.bytes,retention.ms']) }).toEqual({
      'topic.config.sync.include': 'cleanup.policy,max.message.bytes,retention.ms',
    });
  });

  it('keeps a JSON value whole even when a later segment contains `=`', () => {
    const filters = '{"topicFilters":[{"name":"a=b","patternType":"LITERAL","filterType":"INCLUDE"},{"name":"x","patternType":"PREFIXED","filterType":"INCLUDE"}]}';
    expect({ ...parseInlineConfigs([`auto.create.mirror.topics.filters=${filters},cluster.link.paused=true`]) }).toEqual({
      'auto.create.mirror.topics.filters': filters,
      'cluster.link.paused': 'true',
    });
  });

  it('keeps a JAAS password containing `,k=` whole', () => {
    const jaas = 'x.Y required username="u" password="p,w=x";';
    expect(parseInlineConfigs([`sasl.jaas.config=${jaas},sasl.mechanism=PLAIN`])['sasl.jaas.config']).toBe(jaas);
  });

  it('merges several flags, the last occurrence winning, and trims keys', () => {
    expect({ ...parseInlineConfigs(['a=1,b=2', ' b =3', 'a=4,a=5']) }).toEqual({ a: '5', b: '3' });
  });

  it('ignores an empty flag value and a leading comma', () => {
    expect({ ...parseInlineConfigs(['', ',a=1']) }).toEqual({ a: '1' });
  });

  it('does not glue across separate flags', () => {
    expect(() => parseInlineConfigs(['a=1', 'oops'])).toThrow('failed to parse "key=value" pattern from configuration: oops');
  });

  it('rejects a first segment without `=` with Confluent\'s message', () => {
    let error: unknown;
    try {
      parseInlineConfigs(['consumer.offset.sync.enable,acl.sync.enable=true']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).message).toBe('failed to parse "key=value" pattern from configuration: consumer.offset.sync.enable');
    expect((error as InvalidConfigError).suggestion).toContain('`--config key=value,key2=value2`');
  });

  it('shortens a long unparsable segment', () => {
    expect(() => parseInlineConfigs(['x'.repeat(100)])).toThrow(/configuration: x{57}\.\.\.$/);
  });

  it('rejects an empty key without quoting the value', () => {
    expect(() => parseInlineConfigs(['=hunter2'])).toThrow(/^a --config entry has an empty key$/);
    expect(() => parseInlineConfigs(['a=1, =hunter2'])).toThrow(InvalidConfigError);
  });
});

describe('collectConfigFlags', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clink-inline-'));
    file = join(dir, 'dr-link.config');
    await writeFile(file, '# link\nconsumer.offset.sync.enable=true\n\nacl.sync.ms=1000\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads --config-file with file and line origins', async () => {
    const entries = await collectConfigFlags({ configFile: file });
    expect({ ...entries.values }).toEqual({ 'consumer.offset.sync.enable': 'true', 'acl.sync.ms': '1000' });
    expect(describeOrigin(entries.origins['acl.sync.ms'])).toBe(`${file} line 4`);
  });

  it('reads a single --config value naming an existing file, as Confluent does', async () => {
    const entries = await collectConfigFlags({ config: [file] });
    expect(entries.values['acl.sync.ms']).toBe('1000');
    expect(entries.origins['acl.sync.ms']).toEqual({ kind: 'file', file, line: 4 });
  });

  it('parses inline --config values with flag origins', async () => {
    const entries = await collectConfigFlags({ config: ['a=1', 'b=2'] });
    expect({ ...entries.values }).toEqual({ a: '1', b: '2' });
    expect(describeOrigin(entries.origins.a)).toBe('--config');
    expect(describeOrigin(undefined)).toBeUndefined();
  });

  it('treats a single --config value that is not a file as a key=value error', async () => {
    await expect(collectConfigFlags({ config: [join(dir, 'nope.config')] })).rejects.toThrow(/failed to parse "key=value" pattern/);
  });

  it('returns nothing when neither flag is given', async () => {
    expect(Object.keys((await collectConfigFlags({})).values)).toEqual([]);
  });

  it('rejects --config together with --config-file', async () => {
    const attempt = collectConfigFlags({ config: ['a=1'], configFile: file });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(collectConfigFlags({ config: ['a=1'], configFile: file })).rejects.toThrow('--config and --config-file cannot be used together');
  });

  it('reports a missing --config-file as not found', async () => {
    await expect(collectConfigFlags({ configFile: join(dir, 'missing.config') })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('uses injected file access', async () => {
    const entries = await collectConfigFlags(
      { config: ['virtual.config'] },
      { isFile: async (p) => p === 'virtual.config', readFile: async () => 'x=1' },
    );
    expect(entries.values.x).toBe('1');
  });
});
