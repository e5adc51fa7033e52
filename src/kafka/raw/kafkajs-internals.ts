/**
 * Typed access to the kafkajs 2.2.4 internals the raw layer stands on (Cluster, Broker, ConnectionPool,
 * loggers, socket factory, error table, CRC-32C). kafkajs is pinned exactly, so these shapes are stable.
 * Invariant: this is the only file that loads kafkajs's private modules; every value leaving it is typed
 * by the interfaces below, so no `any` reaches the raw layer's public API.
 */
import { createRequire } from 'node:module';
import type { ConnectionOptions } from 'node:tls';

const load = createRequire(import.meta.url);

/** What kafkajs's `createRequest` needs from an encoder: a backing buffer and the written view. */
export interface EncodedBody {
  readonly buf: Buffer;
  readonly buffer: Buffer;
}

/** A protocol request as kafkajs's `Connection.send` takes it. */
export interface ProtocolRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  encode(): Promise<EncodedBody>;
  expectResponse?(): boolean;
}

/** A response decoder as kafkajs's `Connection.send` takes it; `decode` gets the payload after the correlation id. */
export interface ProtocolResponse<T> {
  decode(payload: Buffer): Promise<T & { clientSideThrottleTime?: number }>;
  parse(decoded: T): Promise<T>;
}

/** One socket of a ConnectionPool. kafkajs's connect() is not re-entrant: concurrent calls open extra sockets. */
export interface KConnection {
  isConnected(): boolean;
  connect(): Promise<boolean>;
}

export interface KConnectionPool {
  /** [0] carries everything but Fetch, [1] carries Fetch (see ConnectionPool.getConnectionByRequest). */
  readonly pool: KConnection[];
  readonly host: string;
  readonly port: number;
  readonly connectionTimeout: number;
  send<T>(protocol: {
    request: ProtocolRequest;
    response: ProtocolResponse<T>;
    requestTimeout?: number;
    logResponseError?: boolean;
  }): Promise<T>;
  destroy(): Promise<void>;
}

export interface ApiVersionRange {
  minVersion: number;
  maxVersion: number;
}

export interface KBroker {
  readonly nodeId: number | null;
  readonly connectionPool: KConnectionPool;
  versions: Record<number, ApiVersionRange> | null;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
}

export interface KPartitionMetadata {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface KBrokerMetadata {
  nodeId: number;
  host: string;
  port: number;
  rack?: string | null;
}

export interface KLogger {
  namespace(name: string): KLogger;
  error(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  info(message: string, extra?: object): void;
  debug(message: string, extra?: object): void;
}

/** kafkajs log entries as its logCreator sees them. */
export interface KLogEntry {
  namespace: string;
  level: number;
  label: string;
  log: { message: string; [key: string]: unknown };
}
export type KLogCreator = (level: number) => (entry: KLogEntry) => void;

export interface KSaslConfig {
  mechanism: string;
  [key: string]: unknown;
}

export interface KClusterOptions {
  logger: KLogger;
  socketFactory: unknown;
  brokers: string[];
  ssl?: boolean | ConnectionOptions;
  sasl?: KSaslConfig;
  clientId: string;
  connectionTimeout: number;
  authenticationTimeout?: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  metadataMaxAge: number;
  allowAutoTopicCreation: boolean;
  maxInFlightRequests: number | null;
  retry: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
}

export interface KCluster {
  readonly connectionPoolBuilder: { build(target: { host: string; port: number }): Promise<KConnectionPool> };
  readonly brokerPool: { metadata: { brokers: KBrokerMetadata[] } | null };
  readonly rootLogger: KLogger;
  /** Topics whose metadata every refresh requests. */
  targetTopics: Set<string>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): KPartitionMetadata[];
  findBroker(target: { nodeId: number }): Promise<KBroker>;
}

export interface KBrokerOptions {
  connectionPool: KConnectionPool;
  logger: KLogger;
  nodeId?: number;
  versions?: Record<number, ApiVersionRange> | null;
  authenticationTimeout?: number;
}

export interface KErrorCode {
  type: string;
  code: number;
  retriable: boolean;
  message: string;
}

/** kafkajs error shape (KafkaJSError and subclasses) as far as the raw layer inspects it. */
export interface KError extends Error {
  retriable?: boolean;
  type?: string;
  code?: number;
}

export const ClusterCtor = load('kafkajs/src/cluster/index.js') as new (options: KClusterOptions) => KCluster;
export const BrokerCtor = load('kafkajs/src/broker/index.js') as new (options: KBrokerOptions) => KBroker;
export const loggers = load('kafkajs/src/loggers/index.js') as {
  createLogger(options: { level: number; logCreator: KLogCreator }): KLogger;
  LEVELS: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
};
export const createSocketFactory = load('kafkajs/src/network/socketFactory.js') as () => unknown;
export const kafkajsErrorCodes = (load('kafkajs/src/protocol/error.js') as { errorCodes: KErrorCode[] }).errorCodes;
/** CRC-32C (Castagnoli) of a buffer as an unsigned 32-bit integer. */
export const crc32c = load('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (data: Buffer) => number;

export function isKafkaJsError(error: unknown): error is KError {
  return error instanceof Error && error.name.startsWith('KafkaJS');
}
