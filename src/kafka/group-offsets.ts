/**
 * Reads committed consumer-group offsets with the kafkajs admin client (ListGroups, then
 * OffsetFetch per group for the given topics). Read-only: never joins or writes a group.
 */
import type { ClusterEndpoint, GroupOffsets, GroupOffsetsPort } from '../core/ports.js';
import { mapKafkaError } from './map-error.js';
import { createKafka, describeSecurityOf } from './client.js';

export class KafkaGroupOffsets implements GroupOffsetsPort {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async committedOffsets(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<GroupOffsets> {
    const kafka = await createKafka(endpoint, this.env, { retries: 1 });
    const admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const wanted = topics.filter((t) => existing.has(t));
      const result: GroupOffsets = new Map();
      if (wanted.length === 0) return result;
      const { groups } = await admin.listGroups();
      for (const { groupId } of groups) {
        const fetched = await admin.fetchOffsets({ groupId, topics: [...wanted] });
        for (const { topic, partitions } of fetched) {
          for (const { partition, offset } of partitions) {
            const value = Number(offset);
            if (value < 0) continue;
            const byTopic = result.get(groupId) ?? new Map<string, Map<number, number>>();
            const byPartition = byTopic.get(topic) ?? new Map<number, number>();
            byPartition.set(partition, value);
            byTopic.set(topic, byPartition);
            result.set(groupId, byTopic);
          }
        }
      }
      return result;
    } catch (error) {
      throw mapKafkaError(error, { label: endpoint.label, bootstrapServers: endpoint.bootstrapServers, security: describeSecurityOf(endpoint) });
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
}
