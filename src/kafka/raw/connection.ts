/**
 * A cluster as the raw layer sees it: kafkajs's own Cluster (metadata, broker pool, TLS, SASL with
 * re-authentication) built from a plain kafkajs config, leader lookup and dedicated broker connections.
 * Invariants: leader lookups never answer from metadata that reported the partition leaderless or stale
 * (they refresh and retry, bounded); dedicated connections are tracked and closed with the cluster;
 * produce dispatch slots are handed out strictly in call order.
 */
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions, logCreator as LogCreator, logLevel as LogLevel } from 'kafkajs';
import { NotFoundError, type ClinkError } from '../../core/errors.js';
import { RawBroker } from './broker.js';
import { KafkaErrorCode, KafkaProtocolError, isStaleMetadataError, wrapKafkaJsError } from './errors.js';
import {
  BrokerCtor,
  ClusterCtor,
  createSocketFactory,
  loggers,
  type KBroker,
  type KCluster,
  type KLogCreator,
} from './kafkajs-internals.js';

/** The subset of a kafkajs client config the raw layer understands. */
export interface RawKafkaConfig {
  brokers: string[];
  clientId?: string;
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
  /** Per-request timeout in ms on top of any broker-side wait (Fetch maxWait, Produce timeout). Default 30000. */
  requestTimeout?: number;
  connectionTimeout?: number;
  authenticationTimeout?: number;
  metadataMaxAge?: number;
  /** kafkajs logging; silent unless a level above NOTHING and a logCreator are given. */
  logLevel?: LogLevel;
  logCreator?: LogCreator;
}

const LEADER_LOOKUP_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const silent: KLogCreator = () => () => undefined;

/** A source or destination cluster: metadata, leaders and broker connections. */
export class RawCluster {
  private readonly cluster: KCluster;
  private readonly requestTimeout: number;
  private readonly authenticationTimeout: number;
  private readonly dedicated = new Set<KBroker>();
  private readonly tracked = new Set<string>();
  private dispatchTail: Promise<void> = Promise.resolve();

  constructor(config: RawKafkaConfig) {
    this.requestTimeout = config.requestTimeout ?? 30000;
    this.authenticationTimeout = config.authenticationTimeout ?? 10000;
    const logCreator = config.logCreator === undefined ? silent : (config.logCreator as unknown as KLogCreator);
    this.cluster = new ClusterCtor({
      logger: loggers.createLogger({ level: config.logLevel ?? loggers.LEVELS.NOTHING, logCreator }),
      socketFactory: createSocketFactory(),
      brokers: config.brokers,
      ssl: config.ssl,
      sasl: config.sasl as unknown as { mechanism: string } | undefined,
      clientId: config.clientId ?? 'clink',
      connectionTimeout: config.connectionTimeout ?? 10000,
      authenticationTimeout: this.authenticationTimeout,
      requestTimeout: this.requestTimeout,
      enforceRequestTimeout: true,
      metadataMaxAge: config.metadataMaxAge ?? 300000,
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 3000 },
    });
  }

  async connect(): Promise<void> {
    try {
      await this.cluster.connect();
    } catch (error) {
      throw wrapKafkaJsError(error, 'connecting to cluster');
    }
  }

  /** Re-reads metadata for every topic looked up so far (after NOT_LEADER / UNKNOWN_TOPIC answers). */
  async refreshMetadata(): Promise<void> {
    try {
      await this.cluster.refreshMetadata();
    } catch (error) {
      throw this.forgetTopicsIfOneVanished(wrapKafkaJsError(error, 'refreshing metadata'));
    }
  }

  /**
   * kafkajs refreshes metadata for every topic ever looked up and fails the whole refresh when one was
   * deleted; forget them all so the next lookup re-adds only the topics still in use.
   */
  private forgetTopicsIfOneVanished(error: ClinkError): ClinkError {
    if (error instanceof KafkaProtocolError && error.errorCode === KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      this.cluster.targetTopics.clear();
      this.tracked.clear();
    }
    return error;
  }

  /** Partition ids of a topic, sorted. Throws NotFoundError when the topic does not exist. */
  async partitionsOf(topic: string): Promise<number[]> {
    await this.track(topic);
    const ids = this.cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
    if (ids.length === 0) throw new NotFoundError(`topic ${topic} not found`, { context: { topic } });
    return ids.sort((a, b) => a - b);
  }

  /** Node id of the partition's leader, refreshing metadata while it is unknown or stale. */
  async leaderIdFor(topic: string, partition: number): Promise<number> {
    await this.track(topic);
    for (let attempt = 1; ; attempt++) {
      const meta = this.cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
      const usable = meta !== undefined && meta.leader >= 0 && !isStaleMetadataError(meta.partitionErrorCode);
      if (usable) return meta.leader;
      if (attempt >= LEADER_LOOKUP_ATTEMPTS) {
        if (meta === undefined) {
          throw new NotFoundError(`partition ${topic}-${partition} not found`, { context: { topic, partition } });
        }
        throw new KafkaProtocolError(meta.partitionErrorCode || 5, `no leader for ${topic}-${partition}`, {
          context: { topic, partition },
        });
      }
      await sleep(100 * 2 ** (attempt - 1));
      await this.refreshMetadata();
    }
  }

  /** The shared connection to the partition's leader (kafkajs keeps one socket for Fetch, one for the rest). */
  async leaderFor(topic: string, partition: number): Promise<RawBroker> {
    return this.broker(await this.leaderIdFor(topic, partition));
  }

  async broker(nodeId: number): Promise<RawBroker> {
    try {
      return new RawBroker(await this.cluster.findBroker({ nodeId }), this.requestTimeout);
    } catch (error) {
      throw wrapKafkaJsError(error, `connecting to broker ${nodeId}`, { nodeId });
    }
  }

  /**
   * A new, separately authenticated connection pair to a broker, for a busy fetch stream: a broker serves
   * one request at a time per socket, so a long-poll Fetch would otherwise delay everything behind it.
   */
  async openDedicated(nodeId: number): Promise<RawBroker> {
    let shared: KBroker;
    try {
      shared = await this.cluster.findBroker({ nodeId });
    } catch (error) {
      throw wrapKafkaJsError(error, `connecting to broker ${nodeId}`, { nodeId });
    }
    const { host, port } = shared.connectionPool;
    const broker = new BrokerCtor({
      connectionPool: await this.cluster.connectionPoolBuilder.build({ host, port }),
      logger: this.cluster.rootLogger,
      nodeId,
      versions: shared.versions,
      authenticationTimeout: this.authenticationTimeout,
    });
    try {
      await broker.connect();
    } catch (error) {
      await broker.disconnect().catch(() => undefined);
      throw wrapKafkaJsError(error, `connecting to broker ${host}:${port}`, { nodeId });
    }
    this.dedicated.add(broker);
    return new RawBroker(broker, this.requestTimeout, async () => {
      this.dedicated.delete(broker);
      await broker.disconnect().catch(() => undefined);
    });
  }

  /**
   * Takes the next place in this cluster's produce dispatch order. Call it synchronously when a produce is
   * requested, await `ready` just before handing the request to kafkajs, call `release` right after: the
   * requests then enter kafkajs, and so the broker sockets, in call order even when leader lookups in
   * between take different times (kafkajs itself keeps FIFO order from there on).
   */
  reserveDispatch(): { ready: Promise<void>; release: () => void } {
    const ready = this.dispatchTail;
    let release = () => {};
    this.dispatchTail = new Promise<void>((resolve) => (release = resolve));
    return { ready, release };
  }

  async close(): Promise<void> {
    const all = [...this.dedicated].map((b) => b.disconnect().catch(() => undefined));
    this.dedicated.clear();
    await Promise.all(all);
    await this.cluster.disconnect().catch(() => undefined);
  }

  private async track(topic: string): Promise<void> {
    try {
      if (!this.tracked.has(topic)) {
        await this.cluster.addMultipleTargetTopics([topic]);
        this.tracked.add(topic);
      }
      await this.cluster.refreshMetadataIfNecessary();
    } catch (error) {
      throw this.forgetTopicsIfOneVanished(wrapKafkaJsError(error, `looking up topic ${topic}`, { topic }));
    }
  }
}
