/**
 * What integration tests use to reach the clusters of the global setup. Invariants: getClusters()
 * either returns both clusters or throws the setup's startup error, so no integration test can pass
 * (or be skipped) without Kafka; every client is quiet (logLevel NOTHING) and gives up quickly.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import { inject } from 'vitest';
import type { ClusterSide, TestClusterInfo } from '../setup/provided-context.js';

export type { ClusterSide, TestClusterInfo } from '../setup/provided-context.js';
/** Alias used by command tests. */
export type ClusterInfo = TestClusterInfo;

export interface TestClusters {
  source: TestClusterInfo;
  destination: TestClusterInfo;
}

export function getClusters(): TestClusters {
  const provided = inject('clinkClusters');
  if (provided === undefined) {
    throw new Error('no Kafka clusters were provided: run integration tests through the vitest "integration" project (test/integration/)');
  }
  if (!provided.ok) throw new Error(provided.error);
  return { source: provided.source, destination: provided.destination };
}

/** A name no other test (or earlier run against the same clusters) uses: `<prefix>-<12 hex>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export interface KafkaForOptions {
  /** Connect to the SASL/PLAIN listener as this user; default: the PLAINTEXT listener (super user). */
  sasl?: { username: string; password: string };
  clientId?: string;
}

export function kafkaFor(side: ClusterSide, options: KafkaForOptions = {}): Kafka {
  const cluster = getClusters()[side];
  const config: KafkaConfig = {
    clientId: options.clientId ?? 'clink-test',
    brokers: [cluster.bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 15_000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  };
  if (options.sasl) {
    if (!cluster.saslBootstrap) throw new Error(`the ${side} cluster has no SASL listener`);
    config.brokers = [cluster.saslBootstrap];
    config.sasl = { mechanism: 'plain', username: options.sasl.username, password: options.sasl.password };
  }
  return new Kafka(config);
}

/**
 * Consumer options for tests: short fetch waits (kafkajs' disconnect waits for the fetch in flight,
 * 5 s by default) and a short session. Spread them into `kafka.consumer({ groupId, ...FAST_CONSUMER })`.
 */
export const FAST_CONSUMER = { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 } as const;

/** Runs `body` with a connected admin client and always disconnects it. */
export async function withAdmin<T>(side: ClusterSide, body: (admin: Admin) => Promise<T>, options: KafkaForOptions = {}): Promise<T> {
  const admin = kafkaFor(side, options).admin();
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

/** One record written to `topic` as `sasl`'s user, no retries: 'written', or the Kafka error's type (e.g. TOPIC_AUTHORIZATION_FAILED). */
export async function tryWriteAs(side: ClusterSide, sasl: NonNullable<KafkaForOptions['sasl']>, topic: string): Promise<string> {
  const producer = kafkaFor(side, { sasl }).producer({ retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: `from ${sasl.username}` }], acks: -1 });
    return 'written';
  } catch (error) {
    return (error as { type?: string }).type ?? String(error);
  } finally {
    await producer.disconnect();
  }
}
