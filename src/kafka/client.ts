/**
 * Builds kafkajs clients from a ClusterEndpoint (bootstrap + Kafka client properties, references
 * resolved at this moment). kafkajs's own logger stays silent: its lines are not ours to vouch for
 * (they could carry connection details we never want in clink's output).
 */
import kafkajs from 'kafkajs';
import fs from 'node:fs/promises';
import type { ClusterEndpoint } from '../core/ports.js';
import { toKafkaJsConfig, describeSecurity } from './client-config.js';

export interface ClientTuning {
  retries?: number;
  connectionTimeout?: number;
  clientId?: string;
}

export function endpointProperties(endpoint: ClusterEndpoint): Record<string, string> {
  return { ...endpoint.clientConfig, 'bootstrap.servers': endpoint.bootstrapServers };
}

export function describeSecurityOf(endpoint: ClusterEndpoint): string {
  return describeSecurity(endpointProperties(endpoint));
}

export async function createKafka(endpoint: ClusterEndpoint, env: NodeJS.ProcessEnv, tuning: ClientTuning = {}): Promise<kafkajs.Kafka> {
  const config = await toKafkaJsConfig(endpointProperties(endpoint), {
    clientId: tuning.clientId ?? 'clink',
    env,
    readFile: (path: string) => fs.readFile(path, 'utf8'),
    readBinary: (path: string) => fs.readFile(path),
  });
  return new kafkajs.Kafka({
    ...config,
    connectionTimeout: tuning.connectionTimeout ?? config.connectionTimeout ?? 3_000,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: tuning.retries ?? 5, initialRetryTime: 100, maxRetryTime: 2_000 },
  });
}
