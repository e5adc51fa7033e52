/**
 * Reaches a cluster once: connect, authenticate, describe. Bounded by the endpoint's
 * request.timeout.ms (default 10 s here), so an unreachable bootstrap fails in time and never hangs.
 */
import kafkajs from 'kafkajs';
import type { ClusterEndpoint, ClusterInfo, ClusterProbePort } from '../core/ports.js';
import { TimeoutError } from '../core/errors.js';
import { mapKafkaError } from './map-error.js';
import { createKafka, describeSecurityOf } from './client.js';

const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

export class KafkaClusterProbe implements ClusterProbePort {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async describe(endpoint: ClusterEndpoint): Promise<ClusterInfo> {
    const subject = {
      label: endpoint.label,
      bootstrapServers: endpoint.bootstrapServers,
      security: describeSecurityOf(endpoint),
    };
    const timeoutMs = Number(endpoint.clientConfig['request.timeout.ms'] ?? DEFAULT_PROBE_TIMEOUT_MS);
    let admin: kafkajs.Admin | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const kafka = await createKafka(endpoint, this.env, { retries: 1, connectionTimeout: Math.min(timeoutMs, 5_000) });
      admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
      const work = (async () => {
        await admin!.connect();
        const description = await admin!.describeCluster();
        return {
          clusterId: description.clusterId,
          brokerCount: description.brokers.length,
          controllerId: description.controller ?? null,
        };
      })();
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TimeoutError(`timed out after ${timeoutMs} ms talking to the ${endpoint.label} at ${endpoint.bootstrapServers}`, {
            suggestion: 'Check that the address is right and reachable from here, or raise `request.timeout.ms`.',
          })),
          timeoutMs,
        );
      });
      return await Promise.race([work, deadline]);
    } catch (error) {
      throw mapKafkaError(error, subject);
    } finally {
      if (timer) clearTimeout(timer);
      await admin?.disconnect().catch(() => {});
    }
  }
}
