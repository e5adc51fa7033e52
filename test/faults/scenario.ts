/**
 * The fault scenario of issue 16, shared by the full suite (`npm run test:faults`, own clusters) and
 * its short subset in `npm test` (the shared clusters, worker faults only): a producer writes without
 * pause to a plain and an lz4 source topic (acks=all, every acknowledged offset remembered), a real
 * clink worker mirrors both, faults are injected one after another, and after each the recovery time
 * is measured: from the end of the fault until both mirrors reach the source's high watermarks taken
 * at that moment. At the end the producer stops, the mirrors reach lag 0, and an independent consumer
 * (Kafka's own ConsoleConsumer, in a JVM) reads every record of both topics on both clusters; they are
 * compared by partition, offset, timestamp, headers, key and value.
 * Invariants: every wait is a wait-for-condition with a generous deadline and a message saying what
 * was awaited; the worker and producer are stopped whatever failed (stop()).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { waitFor } from '../../src/util/wait-for.js';
import { describeRun, recordRun } from '../helpers/explain.js';
import { clinkHome, repoRoot, tempDir, type ClinkHome } from '../helpers/run-clink.js';

const LIBS = path.join(repoRoot, 'kafka', 'libs-4.1.1', '*');
export const PARTITIONS = 3;
const LINK = 'fault-link';

export interface Endpoint {
  name: string;
  bootstrap: string;
}

export interface Recovery {
  fault: string;
  /** From the end of the fault until both mirrors held the source's records of that moment. */
  recoverySeconds: number;
}

export interface Comparison {
  topic: string;
  sourceRecords: number;
  destinationRecords: number;
  lost: number;
  duplicated: number;
  mismatched: number;
  extra: number;
  acknowledged: number;
  acknowledgedMissing: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function kafka(bootstrap: string, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 10_000, retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 } });
}

/** Continuous producer: explicit partitions, unique values, every acknowledged offset remembered. */
class ContinuousProducer {
  readonly acked = new Map<string, Map<string, string>>(); // topic → "p:offset" → value
  sent = 0;
  failedSends = 0;
  private seq = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private producer: Producer | undefined;

  constructor(private readonly bootstrap: string, private readonly topics: string[]) {
    for (const t of topics) this.acked.set(t, new Map());
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  private async connect(): Promise<Producer> {
    if (!this.producer) {
      const p = kafka(this.bootstrap, 'clink-fault-producer').producer({ allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 } });
      await p.connect();
      this.producer = p;
    }
    return this.producer;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const producer = await this.connect();
        for (const topic of this.topics) {
          const messages = Array.from({ length: 12 }, () => {
            const n = this.seq++;
            return { partition: n % PARTITIONS, key: n % 7 === 0 ? null : `k${n % 13}`, value: `${topic}:${n}:${'x'.repeat(40 + (n % 60))}`, headers: { seq: String(n), origin: 'fault-suite' } };
          });
          const meta = await producer.send({ topic, acks: -1, timeout: 10_000, messages });
          this.sent += messages.length;
          const acked = this.acked.get(topic)!;
          for (const m of meta) {
            const values = messages.filter((x) => x.partition === m.partition).map((x) => x.value);
            values.forEach((v, i) => acked.set(`${m.partition}:${BigInt(m.baseOffset ?? '0') + BigInt(i)}`, v));
          }
        }
      } catch {
        this.failedSends++;
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await sleep(300);
      }
      await sleep(40);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.producer?.disconnect().catch(() => undefined);
  }
}

async function highWatermarks(admin: Admin, topic: string): Promise<number[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
}

export class FaultScenario {
  readonly home: ClinkHome;
  readonly stateDir = tempDir('clink-fault-state-');
  readonly topics: { plain: string; lz4: string };
  readonly recoveries: Recovery[] = [];
  producer: ContinuousProducer | undefined;
  private readonly env: Record<string, string>;

  constructor(readonly source: Endpoint, readonly destination: Endpoint, prefix: string) {
    this.home = clinkHome();
    this.env = { CLINK_STATE_DIR: this.stateDir };
    this.topics = { plain: `${prefix}-plain`, lz4: `${prefix}-lz4` };
  }

  get link(): string {
    return LINK;
  }

  get workerLog(): string {
    return path.join(this.stateDir, 'links', LINK, 'worker.log');
  }

  get statusFile(): string {
    return path.join(this.stateDir, 'links', LINK, 'status.json');
  }

  async clink(args: string[], timeoutMs = 120_000) {
    return this.home.run(args, { env: this.env, timeoutMs });
  }

  async must(args: string[], timeoutMs = 120_000): Promise<string> {
    const r = await this.clink(args, timeoutMs);
    if (r.exitCode !== 0) throw new Error(`${describeRun({ command: ['clink', ...args], exitCode: r.exitCode, stderr: r.stderr })}\n  worker log tail:\n${this.logTail(20)}`);
    return r.stdout;
  }

  logTail(lines: number): string {
    try {
      return fs.readFileSync(this.workerLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no worker log)';
    }
  }

  /** Topics, link, mirrors, worker, producer. */
  async setUp(): Promise<void> {
    const admin = kafka(this.source.bootstrap, 'clink-fault-setup').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: this.topics.plain, numPartitions: PARTITIONS },
          { topic: this.topics.lz4, numPartitions: PARTITIONS, configEntries: [{ name: 'compression.type', value: 'lz4' }] },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    await this.must(['cluster', 'add', 'fault-dst', '--bootstrap-server', this.destination.bootstrap]);
    await this.must(['link', 'create', LINK, '--source-bootstrap-server', this.source.bootstrap]);
    this.producer = new ContinuousProducer(this.source.bootstrap, [this.topics.plain, this.topics.lz4]);
    this.producer.start();
    for (const t of Object.values(this.topics)) await this.must(['mirror', 'create', t, '--link', LINK, '--no-start']);
    await this.must(['worker', 'start', LINK]);
    await this.caughtUp('set-up');
  }

  workerPid(): number {
    const status = JSON.parse(fs.readFileSync(this.statusFile, 'utf8')) as { pid: number };
    return status.pid;
  }

  /** Both mirrors hold at least what the source held when this was called; returns the seconds it took. */
  async caughtUp(fault: string, timeoutMs = 240_000): Promise<number> {
    const started = Date.now();
    const src = kafka(this.source.bootstrap, 'clink-fault-probe').admin();
    const dst = kafka(this.destination.bootstrap, 'clink-fault-probe').admin();
    try {
      const target = await waitFor(async () => {
        try {
          await src.connect();
          return await Promise.all(Object.values(this.topics).map((t) => highWatermarks(src, t)));
        } catch {
          return undefined;
        }
      }, { timeoutMs, intervalMs: 500, message: `the source did not answer after ${fault}` });
      let last: number[][] = [];
      await waitFor(async () => {
        try {
          await dst.connect();
          last = await Promise.all(Object.values(this.topics).map((t) => highWatermarks(dst, t)));
        } catch {
          return false;
        }
        return last.every((hw, i) => hw.length === PARTITIONS && hw.every((h, p) => h >= (target[i]?.[p] ?? 0)));
      }, {
        timeoutMs, intervalMs: 250,
        message: () => `the mirrors did not catch up after ${fault}: destination ${JSON.stringify(last)} < source ${JSON.stringify(target)}; worker log:\n${this.logTail(25)}`,
      });
    } finally {
      await Promise.all([src.disconnect().catch(() => undefined), dst.disconnect().catch(() => undefined)]);
    }
    const seconds = (Date.now() - started) / 1000;
    this.recoveries.push({ fault, recoverySeconds: Number(seconds.toFixed(2)) });
    return seconds;
  }

  /** SIGKILL the worker after a random 0.5–3 s, start it again, wait until caught up. */
  async killWorker(index: number): Promise<void> {
    await sleep(500 + Math.floor(Math.random() * 2500));
    const pid = this.workerPid();
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), { timeoutMs: 30_000, message: `worker ${pid} survived SIGKILL` });
    await this.must(['worker', 'start', LINK]);
    if (this.workerPid() === pid) throw new Error('the restarted worker reports the killed pid');
    await this.caughtUp(`worker SIGKILL #${index}`);
  }

  /** SIGKILL the worker and start it again, without waiting for a catch-up (the way out of a stall). */
  async restartWorker(): Promise<void> {
    const pid = this.workerPid();
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), { timeoutMs: 30_000, message: `worker ${pid} survived SIGKILL` });
    await this.must(['worker', 'start', LINK]);
  }

  /** Pause one mirror: the destination must not move while the source does; resume and catch up. */
  async pauseResume(): Promise<{ heldWhilePaused: boolean }> {
    const topic = this.topics.plain;
    await this.must(['mirror', 'pause', topic, '--link', LINK]);
    const dst = kafka(this.destination.bootstrap, 'clink-fault-pause').admin();
    const src = kafka(this.source.bootstrap, 'clink-fault-pause').admin();
    await Promise.all([dst.connect(), src.connect()]);
    try {
      // The worker applies the pause from the store; wait until the destination stands still while the source grows.
      let held = await highWatermarks(dst, topic);
      await waitFor(async () => {
        const before = held;
        const s0 = await highWatermarks(src, topic);
        await waitFor(async () => (await highWatermarks(src, topic)).reduce((a, b) => a + b, 0) >= s0.reduce((a, b) => a + b, 0) + 60, { timeoutMs: 60_000, message: 'the producer did not advance the source' });
        held = await highWatermarks(dst, topic);
        return held.every((h, p) => h === before[p]);
      }, { timeoutMs: 120_000, intervalMs: 0, message: 'the paused mirror kept copying' });
      const described = await this.must(['mirror', 'describe', topic, '--link', LINK, '-o', 'json']);
      if (!described.includes('PAUSED')) throw new Error(`mirror describe did not say PAUSED: ${described.slice(0, 500)}`);
    } finally {
      await Promise.all([dst.disconnect(), src.disconnect()]);
    }
    await this.must(['mirror', 'resume', topic, '--link', LINK]);
    await this.caughtUp('mirror pause/resume');
    return { heldWhilePaused: true };
  }

  /** Stops the producer, waits for lag 0, reads both clusters with Kafka's ConsoleConsumer and compares. */
  async finish(): Promise<Comparison[]> {
    await this.producer?.stop();
    await this.caughtUp('final (producer stopped)');
    const results: Comparison[] = [];
    for (const topic of Object.values(this.topics)) {
      const [src, dst] = await Promise.all([readAll(this.source.bootstrap, topic), readAll(this.destination.bootstrap, topic)]);
      results.push(compare(topic, src, dst, this.producer?.acked.get(topic) ?? new Map()));
    }
    return results;
  }

  async stop(): Promise<void> {
    await this.producer?.stop().catch(() => undefined);
    await this.clink(['worker', 'stop', LINK], 60_000).catch(() => undefined);
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface ReadRecord {
  line: string;
  value: string;
}

/** Every record of `topic` as Kafka's ConsoleConsumer prints it (timestamp, partition, offset, headers, key, value), by "p:offset". */
async function readAll(bootstrap: string, topic: string): Promise<Map<string, ReadRecord>> {
  const admin = kafka(bootstrap, 'clink-fault-reader').admin();
  await admin.connect();
  const total = (await highWatermarks(admin, topic).finally(() => admin.disconnect())).reduce((a, b) => a + b, 0);
  const args = [
    '-Xmx512m', '-XX:TieredStopAtLevel=1', '-cp', LIBS, 'org.apache.kafka.tools.consumer.ConsoleConsumer',
    '--bootstrap-server', bootstrap, '--topic', topic, '--from-beginning', '--max-messages', String(total), '--timeout-ms', '60000',
    '--property', 'print.timestamp=true', '--property', 'print.partition=true', '--property', 'print.offset=true',
    '--property', 'print.headers=true', '--property', 'print.key=true', '--property', 'print.value=true',
  ];
  const started = Date.now();
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  recordRun({ command: ['java', ...args.slice(4)], exitCode: out.code, stderr: out.stderr, ms: Date.now() - started });
  if (out.code !== 0) throw new Error(`ConsoleConsumer on ${bootstrap} failed:\n${describeRun({ command: ['java', 'ConsoleConsumer', topic], exitCode: out.code, stderr: out.stderr })}`);
  const records = new Map<string, ReadRecord>();
  for (const line of out.stdout.split('\n')) {
    if (!line) continue;
    const fields = line.split('\t');
    const partition = /^Partition:(\d+)$/.exec(fields[1] ?? '')?.[1];
    const offset = /^Offset:(\d+)$/.exec(fields[2] ?? '')?.[1];
    if (partition === undefined || offset === undefined) throw new Error(`unexpected ConsoleConsumer line: ${line}`);
    records.set(`${partition}:${offset}`, { line, value: fields.at(-1) ?? '' });
  }
  if (records.size !== total) throw new Error(`ConsoleConsumer read ${records.size} of ${total} records of ${topic} on ${bootstrap}`);
  return records;
}

export function compare(topic: string, src: Map<string, ReadRecord>, dst: Map<string, ReadRecord>, acked: Map<string, string>): Comparison {
  let lost = 0;
  let mismatched = 0;
  for (const [at, record] of src) {
    const copy = dst.get(at);
    if (!copy) lost++;
    else if (copy.line !== record.line) mismatched++;
  }
  const extra = [...dst.keys()].filter((at) => !src.has(at)).length;
  const seen = new Map<string, number>();
  for (const r of dst.values()) seen.set(r.value, (seen.get(r.value) ?? 0) + 1);
  const sourceSeen = new Map<string, number>();
  for (const r of src.values()) sourceSeen.set(r.value, (sourceSeen.get(r.value) ?? 0) + 1);
  // A value the destination holds more often than the source (the producer's own retries repeat a value on both).
  const duplicated = [...seen].filter(([v, n]) => n > (sourceSeen.get(v) ?? 0)).length;
  let acknowledgedMissing = 0;
  for (const [at, value] of acked) if (src.get(at)?.value !== value || dst.get(at)?.value !== value) acknowledgedMissing++;
  return { topic, sourceRecords: src.size, destinationRecords: dst.size, lost, duplicated, mismatched, extra, acknowledged: acked.size, acknowledgedMissing };
}
