/**
 * The connections a link's periodic sync (offsets, ACLs) uses: a kafkajs admin on each cluster and,
 * for the offset sync, a raw destination cluster (high watermarks, direct offset commits). Each sync
 * owns its own connections, separate from the mirror engine's, so a slow sync never delays copying.
 * Invariants: clients are opened for one pair of endpoints (clientsKey) and closed as a whole;
 * close() resolves within a bounded time; every error leaving onCluster() is a ClinkError naming
 * the cluster it came from, never a credential.
 */
import type { Admin } from 'kafkajs';
import { ClinkError, isClinkError } from '../core/errors.js';
import type { ClusterEndpoint } from '../core/ports.js';
import { createKafka } from '../kafka/client.js';
import { toKafkaJsConfig } from '../kafka/client-config.js';
import { mapKafkaError } from '../kafka/map-error.js';
import { RawCluster, type RawKafkaConfig } from '../kafka/raw/index.js';
import type { LinkSnapshot } from './engine-api.js';

export interface SyncEndpoints {
  source: ClusterEndpoint;
  destination: ClusterEndpoint;
}

export interface SyncClients {
  endpoints: SyncEndpoints;
  sourceAdmin: Admin;
  destAdmin: Admin;
  /** Present when opened with `raw: true`. */
  destRaw?: RawCluster;
  /** The destination's cluster id, as the destination itself reports it. */
  destinationClusterId: string;
  close(): Promise<void>;
}

export function syncEndpoints(snapshot: LinkSnapshot): SyncEndpoints {
  const { link, destination } = snapshot;
  return {
    source: { bootstrapServers: link.sourceBootstrapServers, clientConfig: link.sourceClientConfig, label: 'source cluster' },
    destination: { bootstrapServers: destination.bootstrapServers, clientConfig: destination.clientConfig, label: `destination cluster "${destination.name}"` },
  };
}

/** Equal keys mean the same connections can be kept. */
export function clientsKey(snapshot: LinkSnapshot): string {
  const { source, destination } = syncEndpoints(snapshot);
  return JSON.stringify([source.bootstrapServers, source.clientConfig, destination.bootstrapServers, destination.clientConfig]);
}

export const within = <T>(work: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([work.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);

/** Runs `work` against one cluster and turns any failure into a ClinkError that names it. */
export async function onCluster<T>(endpoint: ClusterEndpoint, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isClinkError(error) && error.message.includes(endpoint.bootstrapServers)) throw error;
    if (isClinkError(error)) {
      throw new ClinkError(error.code, `the ${endpoint.label} at ${endpoint.bootstrapServers}: ${error.message}`, {
        cause: error,
        retriable: error.retriable,
        ...(error.suggestion ? { suggestion: error.suggestion } : {}),
      });
    }
    throw mapKafkaError(error, { label: endpoint.label, bootstrapServers: endpoint.bootstrapServers });
  }
}

async function openRaw(endpoint: ClusterEndpoint, env: NodeJS.ProcessEnv, clientId: string): Promise<RawCluster> {
  const config = await toKafkaJsConfig({ ...endpoint.clientConfig, 'bootstrap.servers': endpoint.bootstrapServers }, { clientId, env });
  return new RawCluster({
    brokers: config.brokers,
    clientId: config.clientId,
    ...(config.ssl ? { ssl: config.ssl } : {}),
    ...(config.sasl ? { sasl: config.sasl as unknown as RawKafkaConfig['sasl'] } : {}),
    requestTimeout: config.requestTimeout ?? 30_000,
    connectionTimeout: config.connectionTimeout ?? 5_000,
  });
}

export async function openSyncClients(snapshot: LinkSnapshot, env: NodeJS.ProcessEnv, options: { clientId: string; raw: boolean }): Promise<SyncClients> {
  const endpoints = syncEndpoints(snapshot);
  const closers: Array<() => Promise<unknown>> = [];
  const close = async (): Promise<void> => {
    await Promise.all(closers.splice(0).map((c) => within(c(), 3_000)));
  };
  try {
    const admin = async (endpoint: ClusterEndpoint): Promise<Admin> =>
      onCluster(endpoint, async () => {
        const client = (await createKafka(endpoint, env, { retries: 2, clientId: options.clientId })).admin();
        closers.push(() => client.disconnect());
        await client.connect();
        return client;
      });
    const [sourceAdmin, destAdmin] = await Promise.all([admin(endpoints.source), admin(endpoints.destination)]);
    const { clusterId } = await onCluster(endpoints.destination, () => destAdmin.describeCluster());
    let destRaw: RawCluster | undefined;
    if (options.raw) {
      const raw = await openRaw(endpoints.destination, env, options.clientId);
      closers.push(() => raw.close());
      await onCluster(endpoints.destination, () => raw.connect());
      destRaw = raw;
    }
    return { endpoints, sourceAdmin, destAdmin, ...(destRaw ? { destRaw } : {}), destinationClusterId: clusterId, close };
  } catch (error) {
    await close();
    throw error;
  }
}
