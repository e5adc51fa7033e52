/**
 * Steady-state mirror latency (issue 7): while clink's engine (bench/engine-live.ts, its own process)
 * mirrors a live 6-partition topic, a producer writes 1 KiB records into the source at fixed rates
 * (paced by a token bucket), and a reader on the destination measures, per record, the time it became
 * readable there minus its CreateTime, which the mirror preserves. Producer, reader and record
 * timestamps all use this process's clock.
 * Invariants: a record's latency is counted once, in the phase (rate) it was produced in: each phase
 * waits until every record it produced has been read before the next one starts; the achieved rate is
 * what the brokers acknowledged over the phase's duration, never the target.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { admin } from './kafka-admin.js';
import { patient, quantile, round, say, sleep, track } from './processes.js';
import { RawCluster, fetchFromBroker, nextOffsetOf, recordsSectionOf, type RawBatch } from '../src/kafka/raw/index.js';

const RECORD = 1024;
/** The bucket holds at most this much time's worth of tokens, so a stalled timer cannot cause a large burst. */
const BUCKET_MS = 200;
const TICK_MS = 5;
const MAX_SENDS_IN_FLIGHT = 64;

export interface RateResult {
  targetMBps: number;
  achievedMBps: number;
  seconds: number;
  produced: number;
  received: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface LatencyResult {
  partitions: number;
  recordSize: number;
  secondsPerRate: number;
  rates: RateResult[];
  /** The engine's process over the whole phase (warm-up and drains included). */
  engine: { cpuSeconds: number; peakRssMB: number };
}

/** Reads an unsigned LEB128 varint at `pos`; returns [value, next position]. */
function uvarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++] ?? 0;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
}
const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/** CreateTime of every record of an uncompressed batch (compressed ones: the batch's max timestamp each). */
function recordTimestamps(batch: RawBatch): number[] {
  const base = Number(batch.baseTimestamp);
  if (batch.codec !== 'none') return new Array<number>(batch.recordCount).fill(Number(batch.maxTimestamp));
  const records = recordsSectionOf(batch);
  const out: number[] = [];
  let pos = 0;
  for (let i = 0; i < batch.recordCount && pos < records.length; i++) {
    const [zlen, afterLen] = uvarint(records, pos);
    const [zdelta] = uvarint(records, afterLen + 1); // attributes (int8), then timestampDelta
    out.push(base + unzigzag(zdelta));
    pos = afterLen + unzigzag(zlen);
  }
  return out;
}

/** Reads the mirror topic from offset 0 on, calling `onRecords(readAtMs, createTimes)` per fetched batch. */
class DestinationReader {
  private stopped = false;
  private loop: Promise<void> | undefined;
  received = 0;
  error: unknown;

  constructor(private readonly cluster: RawCluster, private readonly topic: string, private readonly partitions: number,
    private readonly onRecords: (readAtMs: number, createTimes: number[]) => void) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => { this.error = error; });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    const offsets = Array.from({ length: this.partitions }, () => 0n);
    const leader = await this.cluster.leaderFor(this.topic, 0);
    for (let p = 1; p < this.partitions; p++) {
      if ((await this.cluster.leaderIdFor(this.topic, p)) !== leader.nodeId) throw new Error('the latency reader expects one destination broker');
    }
    while (!this.stopped) {
      const specs = offsets.map((offset, partition) => ({ topic: this.topic, partition, offset, maxBytes: 1 << 20 }));
      const results = await fetchFromBroker(leader, specs, { maxWaitMs: 100, minBytes: 1, isolation: 'read_uncommitted' });
      const readAt = Date.now();
      for (const r of results) {
        if (r.errorCode !== 0) throw new Error(`latency reader: fetch ${this.topic}-${r.partition}: ${r.errorName}`);
        for (const batch of r.batches) {
          if (nextOffsetOf(batch) <= (offsets[r.partition] ?? 0n)) continue;
          const times = recordTimestamps(batch);
          this.received += times.length;
          this.onRecords(readAt, times);
          offsets[r.partition] = nextOffsetOf(batch);
        }
      }
    }
  }
}

/** Sends 1 KiB records round-robin over the partitions at `recordsPerSec` for `ms`; returns how many were acknowledged. */
async function produceAtRate(producer: ReturnType<Kafka['producer']>, topic: string, partitions: number, recordsPerSec: number, ms: number): Promise<{ acked: number; seconds: number }> {
  const value = randomBytes(RECORD);
  const capacity = Math.max(1, (recordsPerSec * BUCKET_MS) / 1000);
  const inFlight = new Set<Promise<void>>();
  let tokens = 0;
  let acked = 0;
  let next = 0;
  let failure: unknown;
  const start = performance.now();
  let last = start;
  while (performance.now() - start < ms && failure === undefined) {
    const now = performance.now();
    tokens = Math.min(capacity, tokens + ((now - last) * recordsPerSec) / 1000);
    last = now;
    const n = Math.floor(tokens);
    if (n >= 1 && inFlight.size < MAX_SENDS_IN_FLIGHT) {
      tokens -= n;
      const messages = Array.from({ length: n }, () => ({ partition: next++ % partitions, value }));
      const sent: Promise<void> = producer.send({ topic, acks: 1, compression: CompressionTypes.None, messages }).then(
        () => { acked += n; },
        (error: unknown) => { failure = error; },
      ).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
    await sleep(TICK_MS);
  }
  const seconds = (performance.now() - start) / 1000;
  await Promise.all([...inFlight]);
  if (failure !== undefined) throw failure;
  return { acked, seconds };
}

export async function latencyBench(src: string, dst: string, options: { ratesMBps: number[]; seconds: number; partitions: number; childScript: string }): Promise<LatencyResult> {
  const topic = `bench-latency-${Date.now().toString(36)}`;
  const mirror = `${topic}.clink`;
  await admin(src, (a) => a.createTopics({ topics: [{ topic, numPartitions: options.partitions }], waitForLeaders: true }));
  const child = track(spawn(process.execPath, [options.childScript, src, dst, topic, mirror], { stdio: ['pipe', 'pipe', 'pipe'] }));
  let childErr = '';
  child.stderr.on('data', (d: Buffer) => { childErr += d.toString(); });
  const lines = createInterface({ input: child.stdout });
  const messages: string[] = [];
  let onLine: (() => void) | undefined;
  lines.on('line', (l) => { messages.push(l); onLine?.(); });
  const nextLine = (timeoutMs: number) => new Promise<string>((resolve, reject) => {
    const take = () => {
      const l = messages.shift();
      if (l !== undefined) { clearTimeout(timer); onLine = undefined; resolve(l); }
    };
    const timer = setTimeout(() => reject(new Error(`engine-live did not answer in time: ${childErr.slice(-1000)}`)), timeoutMs);
    onLine = take;
    take();
  });
  const producerKafka = new Kafka({ brokers: [src], clientId: 'clink-bench-latency', logLevel: logLevel.NOTHING });
  const producer = producerKafka.producer({ allowAutoTopicCreation: false });
  const dest = new RawCluster({ brokers: [dst], clientId: 'clink-bench-latency' });
  let current: number[] | undefined;
  const reader = new DestinationReader(dest, mirror, options.partitions, (readAt, times) => {
    if (current) for (const t of times) current.push(readAt - t);
  });
  try {
    if (JSON.parse(await nextLine(patient(60_000))).ready !== true) throw new Error('engine-live: unexpected first line');
    await Promise.all([producer.connect(), dest.connect()]);
    reader.start();
    // Warm-up: one record per partition must come through before anything is measured.
    await producer.send({ topic, acks: 1, messages: Array.from({ length: options.partitions }, (_, partition) => ({ partition, value: Buffer.alloc(RECORD) })) });
    let produced = options.partitions;
    const drained = async (what: string) => {
      // A stall deadline, not a total one: it moves on whenever a record arrives, so a slow machine only takes longer.
      let deadline = Date.now() + patient(30_000);
      let seen = reader.received;
      while (reader.received < produced) {
        if (reader.received > seen) [seen, deadline] = [reader.received, Date.now() + patient(30_000)];
        if (Date.now() > deadline) throw new Error(`${what}: ${produced - reader.received} records never reached the destination (none arrived for ${patient(30_000) / 1000} s)`);
        if (reader.error) throw reader.error;
        if (child.exitCode !== null) throw new Error(`engine-live exited ${child.exitCode}: ${childErr.slice(-1000)}`);
        await sleep(20);
      }
    };
    await drained('warm-up');
    const rates: RateResult[] = [];
    for (const targetMBps of options.ratesMBps) {
      const samples: number[] = [];
      current = samples;
      const sent = await produceAtRate(producer, topic, options.partitions, (targetMBps * 1048576) / RECORD, options.seconds * 1000);
      produced += sent.acked;
      await drained(`${targetMBps} MB/s`);
      current = undefined;
      const sorted = Float64Array.from(samples).sort();
      const result: RateResult = {
        targetMBps, achievedMBps: round((sent.acked * RECORD) / 1048576 / sent.seconds, 2), seconds: round(sent.seconds, 2),
        produced: sent.acked, received: samples.length,
        p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), p999Ms: quantile(sorted, 0.999), maxMs: sorted[sorted.length - 1] ?? NaN,
        meanMs: round(samples.reduce((s, x) => s + x, 0) / Math.max(1, samples.length), 1),
      };
      rates.push(result);
      say(`latency at ${targetMBps} MB/s (achieved ${result.achievedMBps}): p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`);
    }
    await reader.stop();
    child.stdin.end();
    const cost = JSON.parse(await nextLine(patient(30_000))) as { cpuSeconds: number; peakRssMB: number; failed: string | null };
    if (cost.failed) throw new Error(`the mirror failed: ${cost.failed}`);
    return {
      partitions: options.partitions, recordSize: RECORD, secondsPerRate: options.seconds, rates,
      engine: { cpuSeconds: round(cost.cpuSeconds, 2), peakRssMB: round(cost.peakRssMB) },
    };
  } finally {
    await reader.stop().catch(() => undefined);
    if (child.exitCode === null) child.stdin.end();
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(patient(15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([producer.disconnect().catch(() => undefined), dest.close()]);
    await admin(src, (a) => a.deleteTopics({ topics: [topic] })).catch(() => undefined);
    await admin(dst, (a) => a.deleteTopics({ topics: [mirror] })).catch(() => undefined);
  }
}
