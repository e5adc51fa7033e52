/**
 * What the use cases need from the outside world, as interfaces. Adapters in src/config and
 * src/kafka implement them; the CLI's composition root wires them; tests pass real ones or fakes
 * (fakes only for pure logic, never for Kafka).
 */
import type { ClusterRecord } from './model/cluster.js';
import type { LinkRecord } from './model/link.js';
import type { MirrorRecord } from './model/mirror.js';

export interface StoreData {
  schemaVersion: 1;
  currentCluster?: string;
  clusters: Record<string, ClusterRecord>;
  links: Record<string, LinkRecord>;
  /** Keyed by mirrorKey(link, mirrorTopic). */
  mirrors: Record<string, MirrorRecord>;
}

export interface ConfigStorePort {
  read(): Promise<StoreData>;
  /** Read-modify-write under an exclusive lock; the callback's mutations are saved only if it returns normally. */
  update<T>(mutate: (data: StoreData) => T | Promise<T>): Promise<T>;
}

/** How to reach one cluster: bootstrap servers plus client properties (references unresolved). */
export interface ClusterEndpoint {
  bootstrapServers: string;
  clientConfig: Record<string, string>;
  /** Which side this is, for messages: "source cluster", "cluster \"dr\"". */
  label: string;
}

export interface ClusterInfo {
  clusterId: string;
  brokerCount: number;
  controllerId: number | null;
}

export interface ClusterProbePort {
  /** Connects, authenticates and describes the cluster; throws ClinkErrors (unreachable, auth, timeout). */
  describe(endpoint: ClusterEndpoint): Promise<ClusterInfo>;
}
