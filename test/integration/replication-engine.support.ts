/**
 * Helpers of replication-engine.test.ts: real LinkRecord/ClusterRecord/MirrorRecord objects for the
 * test clusters, an in-process engine that records every report, a mirror created the way
 * `mirror create` creates it, and a reader that decodes every record of a partition (raw fetch + the
 * kafkajs RecordBatch decoder) so source and destination can be compared offset by offset.
 * Invariant: nothing here waits by sleeping; every wait is a waitFor on an observable condition.
 */
import { createRequire } from 'node:module';
import type { Kafka, Message } from 'kafkajs';
import type { ClusterRecord } from '../../src/core/model/cluster.js';
import type { LinkRecord } from '../../src/core/model/link.js';
import type { MirrorRecord, MirrorStatus, MirrorStatusReport } from '../../src/core/model/mirror.js';
import { RawCluster, fetchRaw, nextOffsetOf } from '../../src/kafka/raw/index.js';
import type { LinkEngine } from '../../src/replication/engine-api.js';
import { createLinkEngine } from '../../src/replication/engine.js';
import { listOffset } from '../../src/replication/raw-admin.js';
import { waitFor } from '../../src/util/wait-for.js';
import { getClusters, kafkaFor, withAdmin, type ClusterSide } from '../helpers/kafka.js';

const load = createRequire(import.meta.url);
const Decoder = load('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const decodeBatch = load('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
  isControlBatch: boolean;
  records: { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, unknown> }[];
}>;

export function linkRecord(name: string, configs: Record<string, string> = {}, bootstrap = getClusters().source.bootstrap): LinkRecord {
  const now = new Date().toISOString();
  return { name, linkId: `${name}-id`, destination: 'dest', sourceBootstrapServers: bootstrap, sourceClientConfig: {}, configs, createdAt: now, updatedAt: now };
}

export function destinationRecord(): ClusterRecord {
  return { name: 'dest', bootstrapServers: getClusters().destination.bootstrap, clientConfig: {}, createdAt: new Date().toISOString() };
}

export function mirrorRecord(link: string, topic: string, partitions: number, desiredState: MirrorRecord['desiredState'] = 'ACTIVE'): MirrorRecord {
  return { link, mirrorTopic: topic, sourceTopic: topic, desiredState, partitions, configOverrides: {}, createdAt: '2026-01-01T00:00:00.000Z', stateChangedAtMs: Date.now() };
}

export async function createTopic(side: ClusterSide, topic: string, partitions: number, configs: Record<string, string> = {}): Promise<void> {
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  await withAdmin(side, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries }], waitForLeaders: true }));
}

/** A source topic and its (empty) mirror topic with the same partition count, as `mirror create` makes it. */
export async function createMirrorPair(topic: string, partitions: number, sourceConfigs: Record<string, string> = {}): Promise<void> {
  await Promise.all([createTopic('source', topic, partitions, sourceConfigs), createTopic('destination', topic, partitions)]);
}

export async function produce(kafka: Kafka, topic: string, batches: Message[][], options: { compression?: number; partition?: number } = {}): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const messages of batches) {
      await producer.send({ topic, ...(options.compression === undefined ? {} : { compression: options.compression }), messages: messages.map((m) => ({ ...m, ...(options.partition === undefined ? {} : { partition: options.partition }) })) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface LogEntry {
  level: string;
  message: string;
}

/** An engine in this process plus everything it reported. */
export class EngineRun {
  readonly engine: LinkEngine;
  readonly reports = new Map<string, MirrorStatusReport>();
  readonly history: MirrorStatusReport[] = [];
  readonly logs: LogEntry[] = [];
  linkError: string | undefined;

  constructor(env: NodeJS.ProcessEnv = {}) {
    const log = (level: string) => (message: string) => void this.logs.push({ level, message });
    this.engine = createLinkEngine({
      env,
      log: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
      report: (report) => {
        this.reports.set(report.mirrorTopic, report);
        this.history.push(report);
      },
      reportLinkError: (error) => void (this.linkError = error),
    });
  }

  /** Waits for a report of `topic` that satisfies `check`. */
  async waitFor(topic: string, what: string, check: (report: MirrorStatusReport) => boolean, timeoutMs = 60_000): Promise<MirrorStatusReport> {
    return waitFor(() => {
      const report = this.reports.get(topic);
      return report !== undefined && check(report) && report;
    }, { timeoutMs, message: () => `${topic}: ${what}; last report ${JSON.stringify(this.reports.get(topic))}; logs ${JSON.stringify(this.logs.slice(-8))}` });
  }

  async waitForStatus(topic: string, status: MirrorStatus, timeoutMs?: number): Promise<MirrorStatusReport> {
    return this.waitFor(topic, `status ${status}`, (r) => r.status === status, timeoutMs);
  }
}

export const raw = (side: ClusterSide): RawCluster => new RawCluster({ brokers: [getClusters()[side].bootstrap], clientId: 'clink-engine-test' });

/** Log start and high watermark of every partition (waiting out leaderless new partitions). */
export async function highWatermarks(side: ClusterSide, topic: string): Promise<{ partition: number; low: number; high: number }[]> {
  const offsets = await waitFor(async () => {
    try {
      return await withAdmin(side, (admin) => admin.fetchTopicOffsets(topic));
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable === true) return undefined;
      throw error;
    }
  }, { timeoutMs: 15_000, message: `offsets of ${topic} on the ${side} cluster stayed unavailable` });
  return offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })).sort((a, b) => a.partition - b.partition);
}

/** Waits until the mirror's high watermarks equal the source's (all partitions). */
export async function waitForCaughtUp(topic: string, timeoutMs = 60_000): Promise<void> {
  let last = '';
  await waitFor(async () => {
    const [s, d] = await Promise.all([highWatermarks('source', topic), highWatermarks('destination', topic)]);
    last = JSON.stringify({ s, d });
    return s.length === d.length && s.every((p, i) => p.high === d[i]?.high);
  }, { timeoutMs, intervalMs: 250, message: () => `mirror ${topic} did not catch up: ${last}` });
}

export interface DecodedRecord {
  offset: number;
  key: string | null;
  value: string | null;
  headers: string;
  timestamp: string;
  control: boolean;
}

const hex = (b: Buffer | null): string | null => (b === null ? null : b.toString('hex'));

/** Every record (control records included, flagged) of a partition, decoded, in offset order. */
export async function readPartition(cluster: RawCluster, topic: string, partition: number): Promise<DecodedRecord[]> {
  const out: DecodedRecord[] = [];
  let offset = await listOffset(cluster, topic, partition, 'earliest');
  for (;;) {
    const r = await fetchRaw(cluster, { topic, partition, offset, maxBytes: 4 << 20, maxWaitMs: 0, isolation: 'read_uncommitted' });
    if (r.errorCode !== 0) throw new Error(`fetch ${topic}-${partition}@${offset}: ${r.errorName}`);
    if (offset < r.logStartOffset) offset = r.logStartOffset;
    if (r.batches.length === 0) return out;
    for (const batch of r.batches) {
      if (nextOffsetOf(batch) <= offset) continue;
      const decoded = await decodeBatch(new Decoder(batch.bytes));
      for (const rec of decoded.records) {
        if (BigInt(rec.offset) < offset) continue;
        const headers = JSON.stringify(Object.entries(rec.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => hex(x as Buffer)) : hex(v as Buffer)]));
        out.push({ offset: Number(rec.offset), key: hex(rec.key), value: hex(rec.value), headers, timestamp: rec.timestamp, control: decoded.isControlBatch });
      }
      offset = nextOffsetOf(batch);
    }
    if (offset >= r.highWatermark) return out;
  }
}

export const FILLER_KEY_HEX = Buffer.from('__clink.gap').toString('hex');

/**
 * Compiles the child entry and every source file it imports (TypeScript → ESM, no type check) into
 * node_modules/.cache, so a plain `node` can run the engine in a process of its own.
 */
export async function compileChild(entry: string): Promise<string> {
  const ts = (await import('typescript')).default;
  const { mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
  const { dirname, join, relative, resolve } = await import('node:path');
  const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
  const out = join(root, `node_modules/.cache/clink-engine-child-${process.pid}`);
  const todo = [resolve(entry)];
  const done = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)\.js'/g)) todo.push(resolve(dirname(file), `${m[1]}.ts`));
    const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return join(out, relative(root, resolve(entry))).replace(/\.ts$/, '.js');
}
