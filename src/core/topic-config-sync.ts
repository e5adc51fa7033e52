/**
 * Which source topic configs a link copies onto its mirror topics (Confluent's rules):
 *  - always synced (read-only on the mirror; must stay in any custom `topic.config.sync.include`);
 *  - synced by default, can be left out of `topic.config.sync.include` (then settable on the mirror);
 *  - never synced (anything else): independent per cluster, rejected in the include list.
 * Some names exist only on some Kafka versions (message.timestamp.difference.max.ms before 4.0,
 * message.timestamp.before/after.max.ms from 3.6); syncing skips configs the source does not report.
 * Invariant: `topic.config.sync.include` always resolves to a list containing every always-synced config.
 */
import { didYouMean } from './did-you-mean.js';
import { InvalidConfigError } from './errors.js';

export const ALWAYS_SYNCED_TOPIC_CONFIGS = ['cleanup.policy', 'max.message.bytes', 'message.timestamp.type', 'message.timestamp.difference.max.ms'] as const;

export const DEFAULT_SYNCED_TOPIC_CONFIGS = [
  'compression.type',
  'retention.ms',
  'retention.bytes',
  'delete.retention.ms',
  'min.compaction.lag.ms',
  'max.compaction.lag.ms',
  'min.cleanable.dirty.ratio',
  'segment.bytes',
  'segment.ms',
  'segment.jitter.ms',
  'segment.index.bytes',
  'index.interval.bytes',
  'flush.messages',
  'flush.ms',
  'file.delete.delay.ms',
  'preallocate',
  'unclean.leader.election.enable',
  'message.downconversion.enable',
  'min.insync.replicas',
  'message.timestamp.before.max.ms',
  'message.timestamp.after.max.ms',
  'confluent.segment.speculative.prefetch.enable',
] as const;

export const SYNCABLE_TOPIC_CONFIGS: readonly string[] = [...ALWAYS_SYNCED_TOPIC_CONFIGS, ...DEFAULT_SYNCED_TOPIC_CONFIGS];

/** The include list of `topic.config.sync.include`: a blank value means every syncable config. */
export function parseTopicConfigSyncInclude(value: string, name = 'topic.config.sync.include'): string[] {
  if (value.trim() === '') return [...SYNCABLE_TOPIC_CONFIGS];
  const listed = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  for (const config of listed) {
    if (!SYNCABLE_TOPIC_CONFIGS.includes(config)) {
      throw new InvalidConfigError(`${name} lists "${config}", which is not a topic config that can be synced`, {
        suggestion: didYouMean(config, SYNCABLE_TOPIC_CONFIGS) ?? `Syncable topic configs: ${SYNCABLE_TOPIC_CONFIGS.join(', ')}.`,
      });
    }
  }
  const missing = ALWAYS_SYNCED_TOPIC_CONFIGS.filter((c) => !listed.includes(c));
  if (missing.length > 0) {
    throw new InvalidConfigError(`${name} must include ${missing.join(', ')} (always synced)`, {
      suggestion: `Add ${missing.map((c) => `\`${c}\``).join(', ')} to \`${name}\`.`,
    });
  }
  return listed;
}

/** Whether `config` is copied from the source topic under the given include list. */
export function isSyncedTopicConfig(config: string, include: readonly string[] = SYNCABLE_TOPIC_CONFIGS): boolean {
  return (ALWAYS_SYNCED_TOPIC_CONFIGS as readonly string[]).includes(config) || include.includes(config);
}

/** Topic configs given at `mirror create` must be ones the link does not sync. */
export function assertMirrorTopicConfigs(configs: Record<string, string>, include: readonly string[] = SYNCABLE_TOPIC_CONFIGS): void {
  const synced = Object.keys(configs).filter((c) => isSyncedTopicConfig(c, include));
  if (synced.length === 0) return;
  const list = synced.join(', ');
  throw new InvalidConfigError(`${list} ${synced.length > 1 ? 'are' : 'is'} synced from the source topic and cannot be set on a mirror topic`, {
    suggestion: 'Remove them from `--config`, or leave them out of the link\'s `topic.config.sync.include` (always-synced configs cannot be left out).',
  });
}
