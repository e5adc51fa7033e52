/**
 * The link's source fetcher: one loop per source broker, each sending one Fetch (read_committed, raw
 * batches) for every registered partition that broker leads and that wants data, like a Kafka replica
 * fetcher thread. A slow or idle broker never delays partitions led by another.
 * Invariants: a partition is in at most one Fetch at a time; its result (or the request's failure) is
 * handed to its client exactly once per request; partitions whose leader is unknown or stale are
 * resolved again before their next fetch; the partition order inside a request rotates, so a partition
 * whose batches exceed the response budget is not starved.
 */
import {
  fetchFromBroker, isStaleMetadataError, type FetchOptions, type FetchPartitionResult, type FetchPartitionSpec, type RawCluster,
} from '../kafka/raw/index.js';
import { ClusterUnreachableError, TimeoutError } from '../core/errors.js';
import { Backoff, Signal } from './scheduler.js';

export interface FetchClient {
  readonly sourceTopic: string;
  readonly partition: number;
  /** What to fetch now, or undefined while the partition does not want data. */
  fetchSpec(): FetchPartitionSpec | undefined;
  onFetched(result: FetchPartitionResult): void;
  onFetchError(error: unknown): void;
}

export type FetchSettings = Omit<FetchOptions, 'isolation'>;

export class Fetcher {
  private readonly clients = new Set<FetchClient>();
  private readonly leaders = new Map<FetchClient, number>();
  private readonly loops = new Map<number, Promise<void>>();
  private readonly signal = new Signal();
  /** A leader lookup pass is running; resolveAgain: another one was asked for meanwhile. */
  private resolving = false;
  private resolveAgain = false;
  private closed = false;
  private rotation = 0;

  constructor(
    private readonly source: () => Promise<RawCluster>,
    private readonly settings: () => FetchSettings,
    /** Told how long each Fetch took and whether it failed (the worker's metrics). */
    private readonly observe?: (seconds: number, failed: boolean) => void,
  ) {}

  register(client: FetchClient): void {
    this.clients.add(client);
    this.wake();
  }

  unregister(client: FetchClient): void {
    this.clients.delete(client);
    this.leaders.delete(client);
    this.signal.notify();
  }

  /** A client may want data now (new data room, backoff over). */
  wake(): void {
    if (this.closed) return;
    if ([...this.clients].some((c) => !this.leaders.has(c))) this.resolveLeaders();
    this.signal.notify();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.signal.close();
    await Promise.allSettled([...this.loops.values()]);
  }

  /**
   * Looks up the leader of every registered partition that wants data and has none, starting the
   * leader's fetch loop when needed. One pass at a time; a call during a pass asks for one more pass
   * after it, so a partition registered (or wanting data again) meanwhile is never left without one.
   */
  private resolveLeaders(): void {
    if (this.closed) return;
    if (this.resolving) {
      this.resolveAgain = true;
      return;
    }
    // Set before the pass starts: a pass that awaits nothing ends within this call (issue 18: the
    // flag was once set from the pass's own promise, after its `finally` had run, and stayed set).
    this.resolving = true;
    void (async () => {
      try {
        do {
          this.resolveAgain = false;
          await this.resolvePass();
        } while (this.resolveAgain && !this.closed);
      } finally {
        this.resolving = false;
        this.signal.notify();
      }
    })();
  }

  private async resolvePass(): Promise<void> {
    let unreachable: unknown;
    for (const client of [...this.clients]) {
      if (this.closed || this.leaders.has(client) || !this.clients.has(client) || client.fetchSpec() === undefined) continue;
      // When the cluster itself cannot be reached, every other partition is told at once.
      if (unreachable !== undefined) {
        client.onFetchError(unreachable);
        continue;
      }
      try {
        const cluster = await this.source();
        const leader = await cluster.leaderIdFor(client.sourceTopic, client.partition);
        if (!this.clients.has(client)) continue;
        this.leaders.set(client, leader);
        if (!this.loops.has(leader)) this.loops.set(leader, this.loop(leader));
      } catch (error) {
        if (error instanceof ClusterUnreachableError || error instanceof TimeoutError) unreachable = error;
        client.onFetchError(error);
      }
    }
  }

  private async loop(nodeId: number): Promise<void> {
    const backoff = new Backoff(200, 10_000);
    try {
      while (!this.closed) {
        const mine = [...this.clients].filter((c) => this.leaders.get(c) === nodeId);
        if (mine.length === 0) return;
        const start = this.rotation++ % mine.length;
        const rotated = [...mine.slice(start), ...mine.slice(0, start)];
        const batch: { client: FetchClient; spec: FetchPartitionSpec }[] = [];
        for (const client of rotated) {
          const spec = client.fetchSpec();
          if (spec) batch.push({ client, spec });
        }
        if (batch.length === 0) {
          await this.signal.wait(1000);
          continue;
        }
        try {
          const cluster = await this.source();
          const broker = await cluster.broker(nodeId);
          const began = performance.now();
          const results = await fetchFromBroker(broker, batch.map((b) => b.spec), { ...this.settings(), isolation: 'read_committed' }).catch((error: unknown) => {
            this.observe?.((performance.now() - began) / 1000, true);
            throw error;
          });
          this.observe?.((performance.now() - began) / 1000, results.some((r) => r.errorCode !== 0));
          let stale = false;
          results.forEach((result, i) => {
            const client = batch[i]?.client;
            if (!client || !this.clients.has(client)) return;
            if (isStaleMetadataError(result.errorCode)) {
              stale = true;
              this.leaders.delete(client);
            } else client.onFetched(result);
          });
          backoff.reset();
          if (stale) {
            await cluster.refreshMetadata().catch(() => undefined);
            this.resolveLeaders();
          }
        } catch (error) {
          for (const { client } of batch) {
            this.leaders.delete(client);
            if (this.clients.has(client)) client.onFetchError(error);
          }
          await this.signal.sleep(backoff.next());
          this.resolveLeaders();
        }
      }
    } finally {
      this.loops.delete(nodeId);
      if (!this.closed && [...this.clients].some((c) => this.leaders.get(c) === nodeId)) this.loops.set(nodeId, this.loop(nodeId));
    }
  }
}
