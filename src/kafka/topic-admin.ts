/**
 * Topic metadata, configs and offsets through the kafkajs admin client, one short-lived connection
 * per call (CLI use). Errors are mapped to ClinkErrors naming the cluster; an unknown topic is
 * `undefined`, not an error, so callers decide what "missing" means.
 */
import type kafkajs from 'kafkajs';
import type { ClusterEndpoint, NewTopic, PartitionOffsets, TopicAdminPort, TopicDescription } from '../core/ports.js';
import { mapKafkaError } from './map-error.js';
import { createKafka, describeSecurityOf } from './client.js';
import { waitFor } from '../util/wait-for.js';

const TOPIC_RESOURCE = 2; // kafkajs ConfigResourceTypes.TOPIC

function isUnknownTopic(error: unknown): boolean {
  const e = error as { type?: string; message?: string };
  return e?.type === 'UNKNOWN_TOPIC_OR_PARTITION' || /does not host this topic-partition|UNKNOWN_TOPIC/i.test(e?.message ?? '');
}

export class KafkaTopicAdmin implements TopicAdminPort {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  private async withAdmin<T>(endpoint: ClusterEndpoint, work: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
    const kafka = await createKafka(endpoint, this.env, { retries: 2 });
    const admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 } });
    try {
      await admin.connect();
      return await work(admin);
    } catch (error) {
      throw mapKafkaError(error, { label: endpoint.label, bootstrapServers: endpoint.bootstrapServers, security: describeSecurityOf(endpoint) });
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  async describeTopic(endpoint: ClusterEndpoint, topic: string): Promise<TopicDescription | undefined> {
    return (await this.describeTopics(endpoint, [topic])).get(topic);
  }

  async describeTopics(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<Map<string, TopicDescription | undefined>> {
    return this.withAdmin(endpoint, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const wanted = [...new Set(topics)];
      const found = wanted.filter((t) => existing.has(t));
      const out = new Map<string, TopicDescription | undefined>(wanted.map((t) => [t, undefined]));
      if (found.length === 0) return out;
      const [{ topics: metadata }, described] = await Promise.all([
        admin.fetchTopicMetadata({ topics: found }),
        admin.describeConfigs({ resources: found.map((name) => ({ type: TOPIC_RESOURCE, name })), includeSynonyms: false }),
      ]);
      const partitions = new Map(metadata.map((m) => [m.name, m.partitions.length]));
      const configsOf = new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
      for (const name of found) {
        const configs: Record<string, string> = {};
        for (const entry of configsOf.get(name) ?? []) {
          const source = (entry as { configSource?: number }).configSource;
          // 1 = DYNAMIC_TOPIC_CONFIG: set on the topic itself
          if (!entry.isDefault && (source === undefined || source === 1) && entry.configValue !== null) {
            configs[entry.configName] = entry.configValue;
          }
        }
        out.set(name, { name, partitions: partitions.get(name) ?? 0, configs });
      }
      return out;
    });
  }

  async createTopic(endpoint: ClusterEndpoint, topic: NewTopic): Promise<void> {
    await this.createTopics(endpoint, [topic]);
  }

  async createTopics(endpoint: ClusterEndpoint, topics: readonly NewTopic[]): Promise<void> {
    if (topics.length === 0) return;
    await this.withAdmin(endpoint, async (admin) => {
      await admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          configEntries: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
        })),
      });
      // kafkajs's own wait for leaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which a busy or freshly
      // started broker answers until the new topic reaches its metadata; wait for every leader here.
      const expected = new Map(topics.map((t) => [t.name, t.partitions]));
      const names = topics.length === 1 ? `"${topics[0]!.name}"` : `${topics.length} new topics`;
      await waitFor(
        async () => {
          try {
            const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...expected.keys()] });
            const ready = metadata.filter((m) => m.partitions.length >= (expected.get(m.name) ?? 0) && m.partitions.every((p) => p.leader >= 0));
            return ready.length === expected.size || undefined;
          } catch (error) {
            if (isUnknownTopic(error) || (error as { type?: string }).type === 'LEADER_NOT_AVAILABLE') return undefined;
            throw error;
          }
        },
        { timeoutMs: 15_000 + 50 * topics.length, intervalMs: 100, message: `the leaders of the ${topics.length === 1 ? `new topic ${names}` : names} were not elected in time` },
      );
    });
  }

  async deleteTopic(endpoint: ClusterEndpoint, topic: string): Promise<void> {
    await this.withAdmin(endpoint, async (admin) => {
      await admin.deleteTopics({ topics: [topic] });
    });
  }

  async deleteTopics(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<void> {
    await this.withAdmin(endpoint, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const doomed = [...new Set(topics)].filter((t) => existing.has(t));
      if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
    });
  }

  async partitionOffsets(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<Map<string, PartitionOffsets[]>> {
    return this.withAdmin(endpoint, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const entries = await Promise.all(
        [...new Set(topics)].map(async (topic): Promise<[string, PartitionOffsets[]]> => {
          if (!existing.has(topic)) return [topic, []];
          try {
            const offsets = await admin.fetchTopicOffsets(topic);
            return [topic, offsets.map((o) => ({ partition: o.partition, logStartOffset: Number(o.low), highWatermark: Number(o.high) })).sort((a, b) => a.partition - b.partition)];
          } catch (error) {
            if (isUnknownTopic(error)) return [topic, []];
            throw error;
          }
        }),
      );
      return new Map(entries);
    });
  }
}
