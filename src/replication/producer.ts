/**
 * Coalesces the copiers' appends into few Produce requests: every send() made in the same turn of the
 * event loop joins a round, a round holds at most one batch per partition (the broker's rule) and a
 * byte budget, and rounds are handed to the raw layer in order, which writes them to the broker
 * sockets in call order.
 * Invariant: two sends for the same partition reach the broker in the order they were made (the
 * second goes into a later round than the first), so a copier may keep several appends in flight.
 */
import { produceRawMany, type ProducePartitionResult, type ProducePartitionSpec, type RawCluster } from '../kafka/raw/index.js';

interface Waiter {
  spec: ProducePartitionSpec;
  resolve: (result: ProducePartitionResult) => void;
  reject: (error: unknown) => void;
}

interface Round {
  waiters: Waiter[];
  keys: Set<string>;
  bytes: number;
}

export interface ProducerOptions {
  timeoutMs: number;
  /** Byte budget of one request (a single larger batch still goes alone). */
  maxRequestBytes?: number;
  /** Told how long each round's Produce took and whether it failed (the worker's metrics). */
  observe?: (seconds: number, failed: boolean) => void;
}

export class CoalescingProducer {
  private rounds: Round[] = [];
  private scheduled = false;
  private readonly maxBytes: number;
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly cluster: RawCluster,
    private readonly options: ProducerOptions,
  ) {
    this.maxBytes = options.maxRequestBytes ?? 8 * 1024 * 1024;
  }

  send(spec: ProducePartitionSpec): Promise<ProducePartitionResult> {
    const key = `${spec.topic}\u0000${spec.partition}`;
    const size = spec.batch.bytes.length;
    let at = -1;
    for (let i = this.rounds.length - 1; i >= 0; i--) {
      if (this.rounds[i]?.keys.has(key)) {
        at = i;
        break;
      }
    }
    let round = this.rounds.slice(at + 1).find((r) => r.bytes + size <= this.maxBytes || r.waiters.length === 0);
    if (round === undefined) {
      round = { waiters: [], keys: new Set(), bytes: 0 };
      this.rounds.push(round);
    }
    round.keys.add(key);
    round.bytes += size;
    this.inFlight++;
    const promise = new Promise<ProducePartitionResult>((resolve, reject) => round.waiters.push({ spec, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return promise.finally(() => {
      if (--this.inFlight === 0) for (const done of this.idle.splice(0)) done();
    });
  }

  /** Resolves once every send made so far has been answered (or failed). */
  async drained(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private flush(): void {
    const rounds = this.rounds;
    this.rounds = [];
    this.scheduled = false;
    for (const round of rounds) {
      const specs = round.waiters.map((w) => w.spec);
      const began = performance.now();
      const observe = (failed: boolean) => this.options.observe?.((performance.now() - began) / 1000, failed);
      produceRawMany(this.cluster, specs, { acks: -1, timeoutMs: this.options.timeoutMs }).then(
        (results) => {
          observe(results.some((r) => r.errorCode !== 0));
          round.waiters.forEach((w, i) => w.resolve(results[i] as ProducePartitionResult));
        },
        (error: unknown) => {
          observe(true);
          round.waiters.forEach((w) => w.reject(error));
        },
      );
    }
  }
}
