/**
 * Every connection one link needs, for one set of connection settings: the raw source and destination
 * clusters (fetch, produce, offsets), kafkajs admins for topic sync, the link's fetcher and the
 * destination producer. Connections are made lazily and a failed attempt is retried on next use.
 * Invariants: a session never changes its endpoints (new credentials or addresses mean a new session,
 * see sessionKey); close() closes everything the session ever opened, including connections that
 * finish opening after close() was called, and resolves within a bounded time.
 */
import type { Admin } from 'kafkajs';
import type { ClusterRecord } from '../core/model/cluster.js';
import type { LinkRecord } from '../core/model/link.js';
import type { ClusterEndpoint } from '../core/ports.js';
import { createKafka } from '../kafka/client.js';
import { toKafkaJsConfig } from '../kafka/client-config.js';
import { RawCluster, type RawKafkaConfig } from '../kafka/raw/index.js';
import type { LinkEngineDeps } from './engine-api.js';
import { Fetcher } from './fetcher.js';
import type { LinkSettings } from './link-settings.js';
import { CoalescingProducer } from './producer.js';

export function sessionKey(link: LinkRecord, destination: ClusterRecord, settings: LinkSettings): string {
  return JSON.stringify([link.sourceBootstrapServers, link.sourceClientConfig, destination.bootstrapServers, destination.clientConfig, settings.socketTimeoutMs]);
}

const within = <T>(work: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([work.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class LinkSession {
  readonly fetcher: Fetcher;
  /** Fetched-but-unwritten bytes of the whole link (copiers stop fetching above the limit). */
  readonly budget = { queued: 0, limit: 64 * 1024 * 1024 };
  readonly source: () => Promise<RawCluster>;
  readonly dest: () => Promise<RawCluster>;
  readonly producer: () => Promise<CoalescingProducer>;
  readonly sourceAdmin: () => Promise<Admin>;
  readonly destAdmin: () => Promise<Admin>;
  private readonly closers: (() => Promise<unknown>)[] = [];
  private closed = false;

  constructor(
    readonly key: string,
    link: LinkRecord,
    destination: ClusterRecord,
    private readonly deps: LinkEngineDeps,
    settings: () => LinkSettings,
  ) {
    const clientId = `clink-link-${link.name}`;
    const sourceEp: ClusterEndpoint = { bootstrapServers: link.sourceBootstrapServers, clientConfig: link.sourceClientConfig, label: 'source cluster' };
    const destEp: ClusterEndpoint = { bootstrapServers: destination.bootstrapServers, clientConfig: destination.clientConfig, label: `destination cluster "${destination.name}"` };
    const timeout = settings().socketTimeoutMs;
    this.source = this.lazy(() => this.raw(sourceEp, clientId, timeout));
    this.dest = this.lazy(async () => {
      try {
        const cluster = await this.raw(destEp, clientId, 30_000);
        deps.reportLinkError(undefined);
        return cluster;
      } catch (error) {
        deps.reportLinkError(`cannot reach the destination cluster "${destination.name}" at ${destination.bootstrapServers}: ${messageOf(error)}`);
        throw error;
      }
    });
    const metrics = deps.metrics;
    this.producer = this.lazy(async () => new CoalescingProducer(await this.dest(), { timeoutMs: 30_000, ...(metrics ? { observe: (s: number, f: boolean) => metrics.produceRequest(s, f) } : {}) }));
    this.sourceAdmin = this.lazy(() => this.admin(sourceEp, clientId));
    this.destAdmin = this.lazy(() => this.admin(destEp, clientId));
    this.fetcher = new Fetcher(this.source, () => settings().fetch, metrics ? (s, f) => metrics.fetchRequest(s, f) : undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await within(this.fetcher.close(), 3000);
    await Promise.all(this.closers.splice(0).map((close) => within(close(), 3000)));
  }

  /** Memoises a connection; a failed attempt is forgotten so the next call tries again. */
  private lazy<T>(open: () => Promise<T>): () => Promise<T> {
    let pending: Promise<T> | undefined;
    return () => {
      if (this.closed) return Promise.reject(new Error('the link session is closed'));
      pending ??= open().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    };
  }

  private track(close: () => Promise<unknown>): void {
    if (this.closed) void within(close(), 3000);
    else this.closers.push(close);
  }

  private async raw(endpoint: ClusterEndpoint, clientId: string, requestTimeout: number): Promise<RawCluster> {
    const config = await toKafkaJsConfig({ ...endpoint.clientConfig, 'bootstrap.servers': endpoint.bootstrapServers }, { clientId, env: this.deps.env });
    const cluster = new RawCluster({
      brokers: config.brokers,
      clientId: config.clientId,
      ...(config.ssl ? { ssl: config.ssl } : {}),
      ...(config.sasl ? { sasl: config.sasl as unknown as RawKafkaConfig['sasl'] } : {}),
      requestTimeout: config.requestTimeout ?? requestTimeout,
      connectionTimeout: config.connectionTimeout ?? 5000,
    });
    this.track(() => cluster.close());
    await cluster.connect();
    return cluster;
  }

  private async admin(endpoint: ClusterEndpoint, clientId: string): Promise<Admin> {
    const admin = (await createKafka(endpoint, this.deps.env, { retries: 2, clientId })).admin();
    this.track(() => admin.disconnect());
    await admin.connect();
    return admin;
  }
}
