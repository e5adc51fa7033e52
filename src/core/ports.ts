/**
 * What the use cases need from the outside world, as interfaces. Adapters in src/config and
 * src/kafka implement them; the CLI's composition root wires them; tests pass real ones or fakes
 * (fakes only for pure logic, never for Kafka).
 */
import type { ClusterRecord } from './model/cluster.js';
import type { LinkRecord } from './model/link.js';
import type { MirrorRecord } from './model/mirror.js';
import type { AclBindingLike } from './filters.js';

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

export interface TopicDescription {
  name: string;
  partitions: number;
  /** Topic configs set on the topic itself (not broker or static defaults). */
  configs: Record<string, string>;
}

export interface PartitionOffsets {
  partition: number;
  logStartOffset: number;
  /** High watermark: the end offset consumers can read up to. */
  highWatermark: number;
}

export interface NewTopic {
  name: string;
  partitions: number;
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number;
  configs: Record<string, string>;
}

/** Topic metadata and offsets on one cluster. Every call is bounded by the endpoint's request timeout. */
export interface TopicAdminPort {
  describeTopic(endpoint: ClusterEndpoint, topic: string): Promise<TopicDescription | undefined>;
  /** Several topics over one connection (a missing topic maps to undefined). */
  describeTopics(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<Map<string, TopicDescription | undefined>>;
  createTopic(endpoint: ClusterEndpoint, topic: NewTopic): Promise<void>;
  /** Several topics in one CreateTopics request; resolves once every partition of every topic has a leader. */
  createTopics(endpoint: ClusterEndpoint, topics: readonly NewTopic[]): Promise<void>;
  deleteTopic(endpoint: ClusterEndpoint, topic: string): Promise<void>;
  /** Deletes those of `topics` that exist (best effort for clean-ups), over one connection. */
  deleteTopics(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<void>;
  /** Offsets of every partition of each topic (a missing topic maps to []), over one connection. */
  partitionOffsets(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<Map<string, PartitionOffsets[]>>;
}

export interface AclReaderPort {
  /**
   * Every TOPIC ACL of the cluster (one DescribeAcls); undefined when the cluster has no authorizer,
   * does not let clink describe its ACLs or does not answer in time (nothing can be said then).
   */
  topicAcls(endpoint: ClusterEndpoint): Promise<AclBindingLike[] | undefined>;
  /** The principal the endpoint's client config authenticates as, when it says so plainly (SASL username). */
  principalOf(endpoint: ClusterEndpoint): string | undefined;
}

/** Committed offsets of consumer groups: group → topic → partition → offset. */
export type GroupOffsets = Map<string, Map<string, Map<number, number>>>;

export interface GroupOffsetsPort {
  /** Committed offsets of every group that has committed offsets for any of these topics. */
  committedOffsets(endpoint: ClusterEndpoint, topics: readonly string[]): Promise<GroupOffsets>;
}

/** What the CLI needs from a link's worker process. */
export interface WorkerPort {
  readStatus(link: string): Promise<import('./model/mirror.js').WorkerStatusFile | undefined>;
  /** Starts the link's worker unless one is running; resolves once it reports ready. */
  ensureRunning(link: string): Promise<void>;
  /** Whether a live worker process holds the link's lock. */
  isRunning(link: string): Promise<boolean>;
}

/**
 * The recorded errors of failed mirror state transitions, one file per link beside the worker's
 * state (written by the CLI under a lock; the worker never writes it).
 */
export interface TransitionErrorLogPort {
  /** Adds the entries (the oldest beyond the bound are dropped); messages are scrubbed of the link's secrets. */
  record(link: string, entries: ReadonlyArray<{ topic: string; error: import('./model/transition-errors.js').TransitionError }>): Promise<void>;
  read(link: string): Promise<import('./model/transition-errors.js').TransitionErrorsByTopic>;
}
