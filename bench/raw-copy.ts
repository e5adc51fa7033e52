/**
 * Rough throughput of the raw batch layer: copy every partition of a source topic into a fresh
 * destination topic (fetchRaw → sanitiseForProduce → produceRaw), one worker per partition, with
 * `--inflight` produce requests outstanding per partition. Invariant checked on every ack: destination
 * base offset == source base offset; the run fails otherwise.
 *
 * Build + run from the repository root against two running clusters (bench/ is outside tsconfig's include):
 *   npx tsc --module nodenext --moduleResolution nodenext --target es2022 --strict --noUncheckedIndexedAccess \
 *     --skipLibCheck --outDir node_modules/.cache/clink-bench --rootDir . bench/raw-copy.ts
 *   echo '{"type":"module"}' > node_modules/.cache/clink-bench/package.json
 *   node node_modules/.cache/clink-bench/bench/raw-copy.js --source HOST:PORT --dest HOST:PORT \
 *     --topic bench-src --populate --mb 200 --partitions 6 [--batch-size 16384] --inflight 1
 * --populate creates the source topic and fills it with Kafka's ProducerPerformance (uncompressed 1 KiB
 * records, producer batch.size as given); later runs reuse it and copy into a new destination topic.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { admin } from './kafka-admin.js';
import {
  RawCluster, fetchRaw, nextOffsetOf, produceRaw, sanitiseForProduce, type ProducePartitionResult, type RawBatch,
} from '../src/kafka/raw/index.js';

const { values: opts } = parseArgs({
  options: {
    source: { type: 'string', default: '127.0.0.1:19092' },
    dest: { type: 'string', default: '127.0.0.1:29092' },
    topic: { type: 'string', default: 'bench-raw-src' },
    populate: { type: 'boolean', default: false },
    mb: { type: 'string', default: '200' },
    'record-size': { type: 'string', default: '1024' },
    partitions: { type: 'string', default: '6' },
    'batch-size': { type: 'string', default: '16384' },
    inflight: { type: 'string', default: '1' },
    'fetch-bytes': { type: 'string', default: '1048576' },
    /** One dedicated source connection per partition instead of the broker's shared fetch socket. */
    dedicated: { type: 'boolean', default: false },
  },
});
const recordSize = Number(opts['record-size']);
const partitions = Number(opts.partitions);
const inflight = Number(opts.inflight);
const fetchBytes = Number(opts['fetch-bytes']);

function populate(): void {
  const records = Math.round((Number(opts.mb) * 1024 * 1024) / recordSize);
  const libs = `${process.cwd()}/kafka/libs-4.1.1/*`; // run from the repository root
  const run = spawnSync('java', [
    '-Xmx512m', '-cp', libs, 'org.apache.kafka.tools.ProducerPerformance', '--topic', opts.topic,
    '--num-records', String(records), '--record-size', String(recordSize), '--throughput', '-1', '--producer-props',
    `bootstrap.servers=${opts.source}`, 'acks=1', `batch.size=${opts['batch-size']}`, 'linger.ms=10',
  ], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ProducerPerformance failed (${run.status})`);
  console.error(run.stdout.trim().split('\n').at(-1));
}

async function copyPartition(source: RawCluster, dest: RawCluster, dstTopic: string, partition: number, end: bigint) {
  let offset = 0n;
  let bytes = 0;
  let records = 0;
  let batches = 0;
  const window: Promise<void>[] = [];
  const broker = opts.dedicated ? await source.openDedicated(await source.leaderIdFor(opts.topic, partition)) : undefined;
  const check = (batch: RawBatch) => (r: ProducePartitionResult) => {
    if (r.errorCode !== 0 || r.baseOffset !== batch.baseOffset) {
      throw new Error(`p${partition}: produce ${r.errorName} base ${r.baseOffset} != source ${batch.baseOffset}`);
    }
  };
  while (offset < end) {
    const f = await fetchRaw(source, {
      topic: opts.topic, partition, offset, maxBytes: fetchBytes, maxWaitMs: 500, isolation: 'read_uncommitted', broker,
    });
    if (f.errorCode !== 0) throw new Error(`p${partition}: fetch ${f.errorName}`);
    for (const batch of f.batches) {
      if (nextOffsetOf(batch) <= offset || batch.isControl) continue;
      const sent = produceRaw(dest, { topic: dstTopic, partition, batch: sanitiseForProduce(batch), acks: -1, timeoutMs: 30_000 });
      window.push(sent.then(check(batch)));
      if (window.length >= inflight) await window.shift();
      bytes += batch.bytes.length;
      records += batch.recordCount;
      batches += 1;
      offset = nextOffsetOf(batch);
    }
  }
  await Promise.all(window);
  await broker?.close();
  return { bytes, records, batches };
}

async function main(): Promise<void> {
  if (opts.populate) {
    await admin(opts.source, (a) => a.createTopics({ topics: [{ topic: opts.topic, numPartitions: partitions }], waitForLeaders: true }));
    populate();
  }
  const dstTopic = `${opts.topic}-copy-${Date.now().toString(36)}`;
  await admin(opts.dest, (a) => a.createTopics({ topics: [{ topic: dstTopic, numPartitions: partitions }], waitForLeaders: true }));
  const ends = await admin(opts.source, (a) => a.fetchTopicOffsets(opts.topic));
  const source = new RawCluster({ brokers: [opts.source], clientId: 'clink-bench' });
  const dest = new RawCluster({ brokers: [opts.dest], clientId: 'clink-bench' });
  await Promise.all([source.connect(), dest.connect()]);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const results = await Promise.all(
    ends.map((e) => copyPartition(source, dest, dstTopic, e.partition, BigInt(e.high))),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all([source.close(), dest.close()]);
  const total = results.reduce((s, r) => ({ bytes: s.bytes + r.bytes, records: s.records + r.records, batches: s.batches + r.batches }));
  const dstEnds = await admin(opts.dest, (a) => a.fetchTopicOffsets(dstTopic));
  const mismatched = ends.filter((e) => dstEnds.find((d) => d.partition === e.partition)?.high !== e.high);
  console.log(JSON.stringify({
    partitions: ends.length, inflight, fetchBytes, dedicated: opts.dedicated, seconds: +seconds.toFixed(2),
    MBps: +(total.bytes / 1048576 / seconds).toFixed(1), recordsPerSec: Math.round(total.records / seconds),
    batches: total.batches, avgBatchKiB: +(total.bytes / total.batches / 1024).toFixed(1),
    nodeCpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100), endsMatch: mismatched.length === 0,
  }));
  if (mismatched.length > 0) process.exitCode = 1;
}

await main();
