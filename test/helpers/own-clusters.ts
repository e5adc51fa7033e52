/**
 * Clusters a test file starts for itself, for tests that kill, freeze or restart brokers (the global
 * source/destination clusters are shared by every test file and must never be disturbed).
 * Invariants: startOwnClusters either returns every cluster started or stops those it started and
 * throws; `stopAll` stops them all (also frozen or killed ones) and never throws.
 */
import { startKafkaCluster, type KafkaCluster, type StartKafkaClusterOptions } from '../../src/local-kafka/cluster.js';
import { readTail } from '../../src/local-kafka/log-tail.js';

export type { KafkaCluster } from '../../src/local-kafka/cluster.js';

export interface OwnClusters {
  clusters: KafkaCluster[];
  stopAll(): Promise<void>;
}

/** Starts one plaintext single-node cluster per name, in parallel. */
export async function startOwnClusters(names: string[], options: Partial<StartKafkaClusterOptions> = {}): Promise<OwnClusters> {
  const results = await Promise.allSettled(names.map((name) => startKafkaCluster({ ...options, name })));
  const clusters = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async (): Promise<void> => void (await Promise.allSettled(clusters.map((c) => c.stop())));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  return { clusters, stopAll };
}

/** The last lines of a cluster's server log, for failure messages. */
export async function brokerLogTail(cluster: KafkaCluster, lines = 30): Promise<string> {
  return `--- ${cluster.name} server.log (last ${lines} lines) ---\n${await readTail(cluster.logFile, lines)}`;
}
