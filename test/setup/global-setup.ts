/**
 * Vitest global setup of the `integration` project: one source and one destination cluster (sasl
 * flavour, i.e. a PLAINTEXT and a SASL/PLAIN listener in one JVM) per run, started in parallel, or
 * the clusters named by CLINK_TEST_{SOURCE,DESTINATION}_BOOTSTRAP (+ _SASL_BOOTSTRAP).
 * Invariants: the setup never throws — a startup failure is provided as `{ ok: false, error }` so
 * every integration test fails with it while unit tests still run; no JVM it started survives the run
 * (teardown, SIGINT/SIGTERM handlers and the library's exit hook all kill them).
 */
import { Kafka, logLevel } from 'kafkajs';
import type { TestProject } from 'vitest/node';
import { killAllClustersSync, startKafkaCluster, type KafkaCluster } from '../../src/local-kafka/cluster.js';
import { SASL_USERS } from '../../src/local-kafka/config-files.js';
import { isClinkError } from '../../src/core/errors.js';
import type { ClusterSide, ProvidedClusters, TestClusterInfo } from './provided-context.js';

const SIDES: readonly ClusterSide[] = ['source', 'destination'];
const log = (line: string): void => void process.stderr.write(`[kafka test clusters] ${line}\n`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const suggestion = isClinkError(error) && error.suggestion ? `\n${error.suggestion}` : '';
  return `the Kafka test clusters could not be started: ${text}${suggestion}`;
}

function onSignal(signal: NodeJS.Signals): void {
  killAllClustersSync();
  // Without another listener (vitest normally has one), restore the default: die of the signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

async function startAll(): Promise<{ clusters: KafkaCluster[]; provided: ProvidedClusters }> {
  const begin = Date.now();
  const results = await Promise.allSettled(
    SIDES.map(async (name) => {
      const started = Date.now();
      const cluster = await startKafkaCluster({ name, flavour: 'sasl' });
      log(`${name} ready in ${seconds(Date.now() - started)}: ${cluster.bootstrap} (sasl ${cluster.saslBootstrap})`);
      return cluster;
    }),
  );
  const clusters = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) return { clusters, provided: { ok: false, error: describeError(failure.reason) } };
  log(`both ready in ${seconds(Date.now() - begin)}`);
  const info = (c: KafkaCluster): TestClusterInfo => ({
    name: c.name as ClusterSide, clusterId: c.clusterId, bootstrap: c.bootstrap, saslBootstrap: c.saslBootstrap, users: c.users, logFile: c.logFile,
  });
  const [source, destination] = clusters.map(info);
  return { clusters, provided: source && destination ? { ok: true, source, destination } : { ok: false, error: 'internal: a cluster is missing' } };
}

async function describeExternal(): Promise<ProvidedClusters> {
  const infos: TestClusterInfo[] = [];
  for (const name of SIDES) {
    const prefix = `CLINK_TEST_${name.toUpperCase()}`;
    const bootstrap = process.env[`${prefix}_BOOTSTRAP`] ?? '';
    const saslBootstrap = process.env[`${prefix}_SASL_BOOTSTRAP`] || undefined;
    const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
    try {
      await admin.connect();
      const { clusterId } = await admin.describeCluster();
      infos.push({ name, clusterId, bootstrap, ...(saslBootstrap ? { saslBootstrap, users: SASL_USERS } : {}) });
    } catch (error) {
      return { ok: false, error: `${prefix}_BOOTSTRAP=${bootstrap} is not reachable: ${(error as Error).message}` };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  const [source, destination] = infos;
  return source && destination ? { ok: true, source, destination } : { ok: false, error: 'internal: a cluster is missing' };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.CLINK_TEST_SOURCE_BOOTSTRAP && process.env.CLINK_TEST_DESTINATION_BOOTSTRAP) {
    project.provide('clinkClusters', await describeExternal());
    log('using the clusters named by CLINK_TEST_*_BOOTSTRAP');
    return async () => undefined;
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let clusters: KafkaCluster[] = [];
  try {
    const result = await startAll();
    clusters = result.clusters;
    project.provide('clinkClusters', result.provided);
    if (!result.provided.ok) {
      log(result.provided.error);
      await Promise.allSettled(clusters.map((c) => c.stop()));
    }
  } catch (error) {
    project.provide('clinkClusters', { ok: false, error: describeError(error) });
  }
  return async () => {
    const begin = Date.now();
    await Promise.allSettled(clusters.map((c) => c.stop()));
    killAllClustersSync();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (clusters.length > 0) log(`stopped in ${seconds(Date.now() - begin)}`);
  };
}
