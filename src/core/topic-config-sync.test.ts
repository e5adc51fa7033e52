import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.js';
import {
  ALWAYS_SYNCED_TOPIC_CONFIGS,
  assertMirrorTopicConfigs,
  isSyncedTopicConfig,
  parseTopicConfigSyncInclude,
  SYNCABLE_TOPIC_CONFIGS,
} from './topic-config-sync.js';

const ALWAYS = ALWAYS_SYNCED_TOPIC_CONFIGS.join(',');

describe('parseTopicConfigSyncInclude', () => {
  it('defaults to every syncable config', () => {
    expect(parseTopicConfigSyncInclude('')).toEqual(SYNCABLE_TOPIC_CONFIGS);
    expect(SYNCABLE_TOPIC_CONFIGS).toContain('retention.ms');
    expect(SYNCABLE_TOPIC_CONFIGS).not.toContain('leader.replication.throttled.replicas');
  });

  it('accepts a custom list with every always-synced config, trimming and de-duplicating', () => {
    // The example from the Confluent docs: retention left out so the mirror can keep a longer one.
    const value = 'min.compaction.lag.ms, max.compaction.lag.ms,message.timestamp.type,message.timestamp.difference.max.ms,cleanup.policy,max.message.bytes,cleanup.policy';
    expect(parseTopicConfigSyncInclude(value)).toEqual([
      'min.compaction.lag.ms',
      'max.compaction.lag.ms',
      'message.timestamp.type',
      'message.timestamp.difference.max.ms',
      'cleanup.policy',
      'max.message.bytes',
    ]);
  });

  it('rejects configs that are never synced, with a hint for typos', () => {
    expect(() => parseTopicConfigSyncInclude(`${ALWAYS},confluent.value.schema.validation`)).toThrow(
      'topic.config.sync.include lists "confluent.value.schema.validation", which is not a topic config that can be synced',
    );
    try {
      parseTopicConfigSyncInclude(`${ALWAYS},retention.byte`);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidConfigError);
      expect((e as InvalidConfigError).suggestion).toBe('Did you mean `retention.bytes`?');
    }
  });

  it('rejects a list that leaves out always-synced configs', () => {
    expect(() => parseTopicConfigSyncInclude('cleanup.policy,retention.ms')).toThrow(
      'topic.config.sync.include must include max.message.bytes, message.timestamp.type, message.timestamp.difference.max.ms (always synced)',
    );
  });
});

describe('isSyncedTopicConfig / assertMirrorTopicConfigs', () => {
  const include = [...ALWAYS_SYNCED_TOPIC_CONFIGS, 'compression.type'];

  it('knows which configs the link owns', () => {
    expect(isSyncedTopicConfig('retention.ms')).toBe(true);
    expect(isSyncedTopicConfig('retention.ms', include)).toBe(false);
    expect(isSyncedTopicConfig('cleanup.policy', [])).toBe(true);
    expect(isSyncedTopicConfig('confluent.placement.constraints')).toBe(false);
  });

  it('lets mirror create set only configs that are not synced', () => {
    expect(() => assertMirrorTopicConfigs({ 'retention.ms': '1', 'leader.replication.throttled.replicas': '*' }, include)).not.toThrow();
    expect(() => assertMirrorTopicConfigs({ 'retention.ms': '1' })).toThrow('retention.ms is synced from the source topic and cannot be set on a mirror topic');
    expect(() => assertMirrorTopicConfigs({ 'cleanup.policy': 'compact', 'compression.type': 'lz4' }, include)).toThrow(
      'cleanup.policy, compression.type are synced from the source topic and cannot be set on a mirror topic',
    );
  });
});
