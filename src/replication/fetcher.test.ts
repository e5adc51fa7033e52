import { afterEach, describe, expect, it } from 'vitest';
import type { FetchPartitionResult, FetchPartitionSpec, RawCluster } from '../kafka/raw/index.js';
import { waitFor } from '../util/wait-for.js';
import { Fetcher, type FetchClient } from './fetcher.js';

/** A partition that wants data only when told to. */
class Client implements FetchClient {
  readonly sourceTopic = 't';
  wants = false;
  errors: unknown[] = [];
  constructor(readonly partition: number) {}
  fetchSpec(): FetchPartitionSpec | undefined {
    return this.wants ? { topic: 't', partition: this.partition, offset: 0n, maxBytes: 1024 } : undefined;
  }
  onFetched(_result: FetchPartitionResult): void {}
  onFetchError(error: unknown): void {
    this.errors.push(error);
  }
}

/** A source cluster whose leader lookups are counted and whose brokers never answer (no fetch completes). */
function fakeSource() {
  const lookups: number[] = [];
  const cluster = {
    leaderIdFor: async (_topic: string, partition: number) => {
      lookups.push(partition);
      return 1;
    },
    broker: () => new Promise(() => undefined),
  } as unknown as RawCluster;
  return { lookups, source: async () => cluster };
}

let fetcher: Fetcher | undefined;
afterEach(() => {
  void fetcher?.close(); // its fetch loop waits on a broker that never answers
});

describe('Fetcher leader lookups (issue 18)', () => {
  it('a lookup pass that had nothing to do (every partition idle) does not block the next one', async () => {
    const { lookups, source } = fakeSource();
    fetcher = new Fetcher(source, () => ({ maxWaitMs: 100 }));
    const client = new Client(0);
    fetcher.register(client); // wants no data yet: the pass awaits nothing and ends at once
    client.wants = true;
    fetcher.wake();
    await waitFor(() => lookups.length > 0, { timeoutMs: 2000, message: 'the leader of a partition that wants data was never looked up' });
    expect(lookups).toEqual([0]);
  });

  it('a partition registered while a pass is running is looked up by another pass', async () => {
    const { lookups, source } = fakeSource();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async () => {
      await gate;
      return source();
    };
    fetcher = new Fetcher(slow, () => ({ maxWaitMs: 100 }));
    const first = new Client(0);
    first.wants = true;
    fetcher.register(first); // pass 1 starts and waits for the source
    const late = new Client(1);
    late.wants = true;
    fetcher.register(late); // asks for another pass
    release();
    await waitFor(() => lookups.length === 2, { timeoutMs: 2000, message: `lookups ${JSON.stringify(lookups)}: the partition registered during a pass was never looked up` });
    expect([...lookups].sort()).toEqual([0, 1]);
  });
});
