/**
 * The shape of what the global setup hands to integration tests through vitest's provide/inject.
 * Invariant: values are plain JSON (they cross process boundaries); exactly one of the two variants
 * is provided per run, and `error` is the full startup failure, shown by every integration test.
 */
import type { SaslUsers } from '../../src/local-kafka/config-files.js';

export type ClusterSide = 'source' | 'destination';

export interface TestClusterInfo {
  name: ClusterSide;
  clusterId: string;
  /** PLAINTEXT listener: no authentication, super user. */
  bootstrap: string;
  /** SASL_PLAINTEXT/PLAIN listener behind StandardAuthorizer, if the cluster has one. */
  saslBootstrap?: string;
  users?: SaslUsers;
  /** Server log of a harness-started cluster (absent for external clusters). */
  logFile?: string;
}

export type ProvidedClusters =
  | { ok: true; source: TestClusterInfo; destination: TestClusterInfo }
  | { ok: false; error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    clinkClusters: ProvidedClusters;
  }
}
