/**
 * Keeps a mirror topic's shape equal to its source's, every `topic.config.sync.ms` (and once before
 * any data is copied): partitions added on the source are created on the destination, and the source
 * topic's overrides of the synced configs (the link's include list) are set on the destination.
 * Invariants: AlterConfigs replaces all overrides, so the destination's own overrides of configs that
 * are not synced are always sent back unchanged; a config the destination does not know or refuses is
 * skipped and logged once, and never makes the other configs fail; partitions are only ever added.
 */
import type { Admin, ConfigResourceTypes, DescribeConfigResponse } from 'kafkajs';
import type { EngineLogger } from './engine-api.js';

const TOPIC = 2 as ConfigResourceTypes;
const TOPIC_CONFIG_SOURCE = 1;

export interface TopicSyncContext {
  sourceAdmin(): Promise<Admin>;
  destAdmin(): Promise<Admin>;
  include(): readonly string[];
  log: EngineLogger;
}

type Overrides = Map<string, string>;

interface Described {
  overrides: Overrides;
  known: Set<string>;
}

async function describe(admin: Admin, topic: string): Promise<Described> {
  const response: DescribeConfigResponse = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: topic }] });
  const entries = response.resources[0]?.configEntries ?? [];
  const overrides: Overrides = new Map();
  for (const e of entries) if (Number(e.configSource) === TOPIC_CONFIG_SOURCE && e.configValue !== null) overrides.set(e.configName, e.configValue);
  return { overrides, known: new Set(entries.map((e) => e.configName)) };
}

/** The broker refused the configs themselves (not a connection or authorization problem). */
const isRefusal = (error: unknown): boolean => ['INVALID_CONFIG', 'INVALID_REQUEST', 'POLICY_VIOLATION', 'UNSUPPORTED_VERSION'].includes(String((error as { type?: unknown }).type));

const same = (a: Overrides, b: Overrides): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

export class TopicSync {
  private readonly refused = new Set<string>();

  constructor(
    private readonly ctx: TopicSyncContext,
    readonly sourceTopic: string,
    readonly destTopic: string,
  ) {}

  /** Grows the destination to the source's partition count; returns the number of partitions to copy. */
  async syncPartitions(): Promise<number> {
    const [source, dest] = await Promise.all([this.ctx.sourceAdmin(), this.ctx.destAdmin()]);
    const count = async (admin: Admin, topic: string) => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0;
    const [sourceCount, destCount] = await Promise.all([count(source, this.sourceTopic), count(dest, this.destTopic)]);
    if (sourceCount > destCount) {
      this.ctx.log.info(`mirror topic ${this.destTopic}: source has ${sourceCount} partitions, adding ${sourceCount - destCount} on the destination`);
      await dest.createPartitions({ topicPartitions: [{ topic: this.destTopic, count: sourceCount }] });
      return sourceCount;
    }
    if (sourceCount < destCount) this.ctx.log.warn(`mirror topic ${this.destTopic} has ${destCount} partitions but its source only ${sourceCount}`);
    return Math.min(sourceCount, destCount);
  }

  /** Copies the synced configs; true when the destination was changed. */
  async syncConfigs(): Promise<boolean> {
    const [sourceAdmin, destAdmin] = await Promise.all([this.ctx.sourceAdmin(), this.ctx.destAdmin()]);
    const [source, dest] = await Promise.all([describe(sourceAdmin, this.sourceTopic), describe(destAdmin, this.destTopic)]);
    const include = new Set(this.ctx.include());
    const base: Overrides = new Map([...dest.overrides].filter(([k]) => !include.has(k)));
    const wanted: Overrides = new Map();
    for (const [key, value] of source.overrides) {
      if (!include.has(key) || this.refused.has(key)) continue;
      if (dest.known.has(key)) wanted.set(key, value);
      else this.refuse(key, 'the destination broker does not know it');
    }
    const desired: Overrides = new Map([...base, ...wanted]);
    if (same(desired, dest.overrides)) return false;
    try {
      await this.alter(destAdmin, desired);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Find the configs the destination refuses, one at a time; the others are applied.
      const accepted: Overrides = new Map(base);
      for (const [key, value] of wanted) {
        const attempt = new Map([...accepted, [key, value]]);
        try {
          await this.alter(destAdmin, attempt);
          accepted.set(key, value);
        } catch (refusal) {
          if (!isRefusal(refusal)) throw refusal;
          this.refuse(key, refusal instanceof Error ? refusal.message : String(refusal));
        }
      }
      await this.alter(destAdmin, accepted);
    }
    return true;
  }

  private async alter(admin: Admin, overrides: Overrides): Promise<void> {
    const configEntries = [...overrides].map(([name, value]) => ({ name, value }));
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: this.destTopic, configEntries }] });
  }

  private refuse(key: string, why: string): void {
    if (this.refused.has(key)) return;
    this.refused.add(key);
    this.ctx.log.warn(`mirror topic ${this.destTopic}: topic config ${key} is not synced: ${why}`);
  }
}
