/**
 * `npm run bench` (issue 7): clink against MirrorMaker 2 and against Kafka's own producer/consumer
 * limit, its steady-state latency and its CLI, measured in one run on the same local clusters.
 *
 * First (full runs only) an untimed warm-up (ProducerPerformance and one clink copy), so no codec meets cold brokers.
 * Per codec (none, lz4, zstd): a 6-partition source topic of 1 KiB records is preloaded with Kafka's
 * ProducerPerformance (compression.type=<codec>, 16 KiB batches), then
 *   1. clink: createLinkEngine in a child process (bench/engine-child.ts) copies it into a new mirror
 *      topic; clock until every destination high watermark equals the source's; the child reports its
 *      CPU seconds and peak RSS (VmHWM);
 *   2. the producer half of the limit: ProducerPerformance writing the same volume into the
 *      destination, right after clink's copy so both see the machine in the same state;
 *   3. MirrorMaker 2 dedicated mode (IdentityReplicationPolicy, tasks.max=6, target producer with the
 *      same codec) copies it to the same-named topic on the destination; clock until every destination
 *      high watermark reaches the source's, reported both from the JVM's spawn and from the first
 *      record on the destination (the latter leaves MM2's startup out and is used for the ratio);
 *   4. the consumer half of the limit: ConsumerPerformance reading the source topic (fetch.MB.sec,
 *      rebalance excluded); limit = the slower of the two halves.
 * Then transactions (bench/txn, skipped with --skip-txn): two 6-partition topics with the same number of
 * 1 KiB records, one written by a plain ProducerPerformance and one by a transactional one
 * (--transaction-duration-ms 100), each copied by the engine child with mirror.transactions=exact; the
 * transactional copy also reports how long each destination marker took to land after EndTxn (p50/p99),
 * the wait every source transaction adds to the mirror's lag.
 * Then steady-state latency (bench/latency.ts: 1, 5 and 20 MB/s into a live mirror, per-record
 * CreateTime → readable on the destination), then the CLI (bench/cli-failover.ts: `clink --version`,
 * `clink mirror list` with N mirrors, and `clink mirror failover` of all N with their source frozen).
 *
 * `--phase http` runs only the scrape cost of the worker's /metrics endpoint (bench/http-scrape.ts:
 * --mirrors N × 6 partitions, --scrapes N, no Kafka) and writes bench/results/<timestamp>-http.json.
 *
 * Flags: --quick (32 MB, no warm-up, 2 s per latency rate, 3 CLI runs), --mb N, --codecs none,lz4,zstd,
 * --rates 1,5,20, --latency-seconds N, --mirrors N (default 100), --cli-runs N, --skip-warmup,
 * --txn-records N (default 100000, quick 10000), --skip-txn, --skip-mm2, --skip-latency, --skip-cli, --skip-failover, --cpu-prof DIR (profile the engine child
 * with node --cpu-prof; Node refuses --cpu-prof in NODE_OPTIONS, so the scale phase's detached worker is not profiled),
 * --scale 1x6,20x10,… (the scale phase's sizes, topics x partitions; `none` skips it; bench/scale.ts),
 * --scale-only (nothing but the scale phase), --clink-bin PATH (the scale phase runs that clink build, for before/after), --scale-mb N,
 * --idle-seconds N, --load-seconds N, --load-mbps N, --source/--dest HOST:PORT (use running clusters instead of starting two),
 * --out DIR (default bench/results), --patience F (multiply every wait by F >= 1, for loaded machines;
 * waits measure nothing). Invariant: every JVM and child started here is killed before exit.
 * Build: `npm run bench` compiles this with bench/tsconfig.json into bench/.build.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { cliAndFailover, type CliResult } from './cli-failover.js';
import { admin } from './kafka-admin.js';
import { latencyBench, type LatencyResult } from './latency.js';
import { httpScrapeBench } from './http-scrape.js';
import { killMm2, startMm2 } from './mm2.js';
import { scaleBench, type ScaleResult, type ScaleSize } from './scale.js';
import { killChildren, patient, round, run, say, setPatience, sleep, track } from './processes.js';
import { startKafkaCluster, type KafkaCluster } from '../src/local-kafka/cluster.js';
import { ensureKafkaJars } from '../src/local-kafka/jars.js';
import { KAFKA_VERSION, repoRoot } from '../src/local-kafka/paths.js';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    mb: { type: 'string' },
    codecs: { type: 'string', default: 'none,lz4,zstd' },
    mirrors: { type: 'string', default: '100' },
    'cli-runs': { type: 'string' },
    'skip-mm2': { type: 'boolean', default: false },
    'skip-txn': { type: 'boolean', default: false },
    'txn-records': { type: 'string' },
    'skip-cli': { type: 'boolean', default: false },
    'skip-latency': { type: 'boolean', default: false },
    'skip-failover': { type: 'boolean', default: false },
    'skip-warmup': { type: 'boolean', default: false },
    rates: { type: 'string', default: '1,5,20' },
    'latency-seconds': { type: 'string' },
    'cpu-prof': { type: 'string' },
    source: { type: 'string' },
    dest: { type: 'string' },
    out: { type: 'string', default: join(repoRoot, 'bench', 'results') },
    patience: { type: 'string', default: '1' },
    phase: { type: 'string' },
    scrapes: { type: 'string', default: '200' },
    scale: { type: 'string' },
    'scale-only': { type: 'boolean', default: false },
    'scale-mb': { type: 'string', default: '8' },
    'idle-seconds': { type: 'string' },
    'load-seconds': { type: 'string' },
    'load-mbps': { type: 'string', default: '1' },
  },
});
setPatience(Number(opts.patience));
const MB = Number(opts.mb ?? (opts.quick ? 32 : 1024));
const RECORD = 1024;
const PARTITIONS = 6;
const RECORDS = Math.round((MB * 1048576) / RECORD);
const PAYLOAD_MB = (RECORDS * RECORD) / 1048576;
const GIB = PAYLOAD_MB / 1024;
const SCALE_ONLY = opts['scale-only'];
const CODECS = SCALE_ONLY ? [] : opts.codecs.split(',').filter(Boolean);
/** T×P: T topics of P partitions each; `none` skips the phase. */
const SCALE_SIZES: ScaleSize[] = (opts.scale ?? (opts.quick ? '1x6,20x10' : '1x6,20x10,100x10,1000x10')).split(',').filter((s) => s && s !== 'none').map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s);
  if (!m) throw new Error(`--scale wants sizes like 1x6,20x10 (topics x partitions), got "${s}"`);
  return { topics: Number(m[1]), partitions: Number(m[2]) };
});
const CLI_RUNS = Number(opts['cli-runs'] ?? (opts.quick ? 3 : 5));
const MIRRORS = Number(opts.mirrors);
const RATES = opts.rates.split(',').filter(Boolean).map(Number);
const LATENCY_SECONDS = Number(opts['latency-seconds'] ?? (opts.quick ? 2 : 20));
const LATENCY_TARGET_RATE = 5;
const TXN_RECORDS = Number(opts['txn-records'] ?? (opts.quick ? 10_000 : 100_000));
const TXN_DURATION_MS = 100;
const IDLE_SECONDS = Number(opts['idle-seconds'] ?? (opts.quick ? 15 : 60));
const LOAD_SECONDS = Number(opts['load-seconds'] ?? (opts.quick ? 10 : 30));
/** Untimed copy before the first measurement, so no codec is measured against brokers whose JIT is still cold (full runs only). */
const WARMUP = !opts['skip-warmup'] && !opts.quick;
const WARMUP_MB = 128;
const loadAverage = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { killChildren(); process.exit(130); });
const clusters: KafkaCluster[] = [];
const BROKER_JVM = ['-Xms1g', '-Xmx1g', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true'];

let LIBS = '';
const TOOL_JVM = ['-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true'];
async function javaTool(main: string, args: string[]): Promise<string> {
  const r = await run('java', [...TOOL_JVM, '-cp', `${LIBS}/*`, main, ...args]);
  if (r.code !== 0) throw new Error(`${main} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

const highs = async (bootstrap: string, topic: string): Promise<Map<number, number>> =>
  new Map((await admin(bootstrap, (a) => a.fetchTopicOffsets(topic))).map((e) => [e.partition, Number(e.high)]));

function producerProps(bootstrap: string, codec: string): string[] {
  return ['--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=1', 'batch.size=16384', 'linger.ms=10', `compression.type=${codec}`];
}

/** ProducerPerformance: returns its own MB/s and records/s (last summary line). */
async function producerPerf(bootstrap: string, topic: string, codec: string, records = RECORDS): Promise<{ MBps: number; recordsPerSec: number }> {
  const out = await javaTool('org.apache.kafka.tools.ProducerPerformance', [
    '--topic', topic, '--num-records', String(records), '--record-size', String(RECORD), '--throughput', '-1', ...producerProps(bootstrap, codec),
  ]);
  const m = /([\d.]+) records\/sec \(([\d.]+) MB\/sec\)[^\n]*$/.exec(out.trim());
  if (!m) throw new Error(`unexpected ProducerPerformance output: ${out.slice(-500)}`);
  return { recordsPerSec: Math.round(Number(m[1])), MBps: round(Number(m[2])) };
}

/** ConsumerPerformance: fetch.MB.sec / fetch.nMsg.sec (group join excluded). */
async function consumerPerf(bootstrap: string, topic: string): Promise<{ MBps: number; recordsPerSec: number; seconds: number }> {
  const out = await javaTool('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(RECORDS), '--group', `bench-limit-${Date.now()}`, '--timeout', String(patient(60_000)), '--hide-header',
  ]);
  const line = out.trim().split('\n').at(-1) ?? '';
  const cols = line.split(',').map((s) => s.trim());
  const fetchMs = Number(cols[7]);
  const MBps = Number(cols[8]);
  const recordsPerSec = Number(cols[9]);
  if (!Number.isFinite(MBps) || Number(cols[4]) < RECORDS) throw new Error(`unexpected ConsumerPerformance output: ${out.slice(-500)}`);
  return { MBps: round(MBps), recordsPerSec: Math.round(recordsPerSec), seconds: round(fetchMs / 1000, 2) };
}

/** ProducerPerformance as a transactional producer: one transaction every TXN_DURATION_MS over all partitions. */
async function transactionalPerf(bootstrap: string, topic: string, records: number): Promise<void> {
  await javaTool('org.apache.kafka.tools.ProducerPerformance', [
    '--topic', topic, '--num-records', String(records), '--record-size', String(RECORD), '--throughput', '-1',
    '--transactional-id', `bench-txn-${Date.now().toString(36)}`, '--transaction-duration-ms', String(TXN_DURATION_MS),
    '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all', 'batch.size=16384', 'linger.ms=10', 'compression.type=none',
  ]);
}

interface MarkerWait { count: number; p50Ms: number | null; p99Ms: number | null; maxMs: number | null }

/** Transactional vs plain catch-up of the same volume, and the destination marker wait. */
async function transactionsBench(src: string, dst: string) {
  const copy = async (transactional: boolean) => {
    const topic = `bench-${transactional ? 'txn' : 'plain'}-${Date.now().toString(36)}`;
    await admin(src, (a) => a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true }));
    if (transactional) await transactionalPerf(src, topic, TXN_RECORDS);
    else await producerPerf(src, topic, 'none', TXN_RECORDS);
    const offsets = [...(await highs(src, topic)).values()].reduce((a, b) => a + b, 0);
    const r = await clinkCopy(src, dst, topic);
    await admin(src, (a) => a.deleteTopics({ topics: [topic] })).catch(() => undefined);
    await admin(dst, (a) => a.deleteTopics({ topics: [`${topic}.clink`] })).catch(() => undefined);
    return {
      seconds: r.seconds, recordsPerSec: Math.round(TXN_RECORDS / r.seconds), MBps: round((TXN_RECORDS * RECORD) / 1048576 / r.seconds),
      markers: offsets - TXN_RECORDS, markerWait: r.markerWait, cpuSeconds: r.cpuSeconds, peakRssMB: r.peakRssMB,
    };
  };
  const plain = await copy(false);
  const transactional = await copy(true);
  return { records: TXN_RECORDS, partitions: PARTITIONS, transactionMs: TXN_DURATION_MS, plain, transactional, ratio: round(transactional.recordsPerSec / plain.recordsPerSec, 2) };
}
export type TransactionsResult = Awaited<ReturnType<typeof transactionsBench>>;

async function clinkCopy(src: string, dst: string, topic: string) {
  const child = join(repoRoot, 'bench', '.build', 'bench', 'engine-child.js');
  const prof = opts['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', opts['cpu-prof']] : [];
  const r = await run(process.execPath, [...prof, child, src, dst, topic, `${topic}.clink`]);
  if (r.code !== 0) throw new Error(`engine child exited ${r.code}: ${r.stderr.slice(-2000)} ${r.stdout}`);
  const res = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { records: number; seconds: number; cpuSeconds: number; peakRssMB: number; rssBeforeCopyMB: number; markerWait: MarkerWait };
  return {
    seconds: round(res.seconds, 2), MBps: round(PAYLOAD_MB / res.seconds), recordsPerSec: Math.round(res.records / res.seconds),
    cpuSeconds: round(res.cpuSeconds, 2), cpuSecondsPerGiB: round(res.cpuSeconds / GIB, 2), peakRssMB: round(res.peakRssMB), rssBeforeCopyMB: round(res.rssBeforeCopyMB),
    markerWait: res.markerWait,
  };
}

async function mm2Copy(src: string, dst: string, topic: string, codec: string, index: number) {
  const dir = mkdtempSync(join(tmpdir(), 'clink-bench-mm2-'));
  const target = await highs(src, topic);
  const t0 = Date.now();
  const jvm = startMm2(LIBS, dir, { index, src, dst, topics: `^${topic.replace(/[.]/g, '\\\\.')}$`, tasks: PARTITIONS, codec });
  let firstAt = 0;
  let doneAt = 0;
  try {
    const deadline = t0 + patient(Math.max(180_000, (MB / 4) * 1000));
    // One client without retries, so no poll hangs in kafkajs's retry loop while the topic does not exist yet;
    // the first record's time is taken when the poll that saw it returned (later, i.e. in MM2's favour).
    const probe = new Kafka({ brokers: [dst], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await probe.connect();
    try {
      while (Date.now() < deadline) {
        if (jvm.exitCode !== null) throw new Error(`MirrorMaker exited ${jvm.exitCode}; log: ${join(dir, 'mm2.log')}`);
        const h = new Map((await probe.fetchTopicOffsets(topic).catch(() => [])).map((e) => [e.partition, Number(e.high)]));
        const sum = [...h.values()].reduce((s, v) => s + v, 0);
        if (!firstAt && sum > 0) firstAt = Date.now();
        if (h.size === target.size && [...target].every(([p, v]) => (h.get(p) ?? -1) >= v)) { doneAt = Date.now(); break; }
        await sleep(100);
      }
    } finally {
      await probe.disconnect();
    }
    if (!doneAt) throw new Error(`MirrorMaker did not finish in time; log: ${join(dir, 'mm2.log')}`);
  } finally {
    await killMm2(jvm);
  }
  const log = readFileSync(join(dir, 'mm2.log'), 'utf8');
  const producerCodecs = [...new Set([...log.matchAll(/^\s*compression\.type = (\w+)/gm)].map((m) => m[1]))];
  const dstHighs = await highs(dst, topic);
  const records = [...dstHighs.values()].reduce((s, v) => s + v, 0);
  rmSync(dir, { recursive: true, force: true });
  const seconds = (doneAt - firstAt) / 1000;
  const fromStart = (doneAt - t0) / 1000;
  return {
    seconds: round(seconds, 2), MBps: round(PAYLOAD_MB / seconds), recordsPerSec: Math.round(RECORDS / seconds),
    secondsFromStart: round(fromStart, 2), MBpsFromStart: round(PAYLOAD_MB / fromStart), startupSeconds: round((firstAt - t0) / 1000, 2),
    destinationRecords: records, clientCompressionTypesInLog: producerCodecs,
  };
}

function machine() {
  const mem = totalmem();
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0] ?? '';
  return {
    nproc: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGiB: round(mem / 2 ** 30), node: process.version, java, kafka: KAFKA_VERSION,
    loadAverageAtStart: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

type CodecResult = {
  records: number; payloadMB: number; preload: { MBps: number; recordsPerSec: number };
  clink: Awaited<ReturnType<typeof clinkCopy>>; mm2: Awaited<ReturnType<typeof mm2Copy>> | null; mm2Error: string | null;
  limit: { consumer: Awaited<ReturnType<typeof consumerPerf>>; producer: Awaited<ReturnType<typeof producerPerf>>; MBps: number; recordsPerSec: number };
  ratios: { clinkVsMm2: number | null; clinkVsMm2FromStart: number | null; clinkVsLimit: number };
  /** 1-minute load average just before clink's copy and just before the limit's producer. */
  loadAverage: { beforeClink: number; beforeLimitProducer: number };
};

/** `--phase http`: the /metrics scrape cost alone (no Kafka needed). */
async function httpPhase(): Promise<void> {
  const started = new Date();
  const result = await httpScrapeBench(MIRRORS, Number(opts.scrapes));
  const argv = process.argv.slice(2);
  const report = { startedAt: started.toISOString(), command: `npm run bench -- ${argv.join(' ')}`, machine: machine(), loadAverage: loadAverage(), http: result };
  mkdirSync(opts.out, { recursive: true });
  const file = join(opts.out, `${started.toISOString().replace(/[:.]/g, '-')}-http.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`/metrics of ${result.mirrors} mirrors x ${result.partitionsPerMirror} partitions: ${result.series} series, ${Math.round(result.bytes / 1024)} KiB`);
  console.log(`  ms per scrape over HTTP (${result.scrapes} scrapes): median ${result.msPerScrape.median}, p95 ${result.msPerScrape.p95}, mean ${result.msPerScrape.mean}; render alone: median ${result.inProcessRenderMs.median}`);
  console.log(`  worker RSS: ${result.rssMB.withoutEndpoint} MB without the endpoint, ${result.rssMB.listening} MB listening, ${result.rssMB.afterScrapes} MB after the scrapes: +${result.rssMB.added} MB`);
  console.log(`  V8 heap in use: ${result.heapMB.withoutEndpoint} MB without, ${result.heapMB.afterScrapes} MB after the scrapes: +${result.heapMB.added} MB`);
  console.log(`  written to ${file}`);
}

async function main(): Promise<void> {
  if (opts.phase === 'http') return httpPhase();
  if (opts.phase !== undefined) throw new Error(`unknown --phase "${opts.phase}": the only phase is http`);
  const started = new Date();
  LIBS = await ensureKafkaJars();
  let src = opts.source ?? '';
  let dst = opts.dest ?? '';
  // The CLI phase's own source cluster (it gets frozen) starts together with the others.
  const names = [...(!src || !dst ? ['bench-source', 'bench-destination'] : []), ...(opts['skip-cli'] || SCALE_ONLY ? [] : ['bench-failover-source'])];
  const t = Date.now();
  const started2 = await Promise.allSettled(names.map((name) => startKafkaCluster({ name, jvmOptions: BROKER_JVM })));
  for (const s of started2) if (s.status === 'fulfilled') clusters.push(s.value);
  const bad = started2.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (bad) throw bad.reason;
  const byName = (name: string) => clusters[names.indexOf(name)];
  if (!src || !dst) [src, dst] = [byName('bench-source')!.bootstrap, byName('bench-destination')!.bootstrap];
  say(`clusters up in ${((Date.now() - t) / 1000).toFixed(1)} s: source ${src}, destination ${dst}`);
  if (WARMUP && CODECS.length > 0) {
    const topic = `bench-warmup-${Date.now().toString(36)}`;
    say(`warm-up: ${WARMUP_MB} MB through ProducerPerformance and the clink engine (not measured)`);
    await admin(src, (a) => a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true }));
    await producerPerf(src, topic, 'none', WARMUP_MB * 1024);
    await clinkCopy(src, dst, topic);
    await admin(src, (a) => a.deleteTopics({ topics: [topic] })).catch(() => undefined);
    await admin(dst, (a) => a.deleteTopics({ topics: [`${topic}.clink`] })).catch(() => undefined);
  }
  const results: Record<string, CodecResult> = {};
  for (const [index, codec] of CODECS.entries()) {
    const topic = `bench-${codec}-${Date.now().toString(36)}`;
    await admin(src, (a) => a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true }));
    say(`${codec}: preloading ${PAYLOAD_MB.toFixed(0)} MB (${RECORDS} records) into ${topic}`);
    const preload = await producerPerf(src, topic, codec);
    say(`${codec}: clink engine catch-up`);
    const loadBeforeClink = loadAverage();
    const clink = await clinkCopy(src, dst, topic);
    say(`${codec}: clink ${clink.MBps} MB/s, ${clink.cpuSecondsPerGiB} CPU-s/GiB, peak RSS ${clink.peakRssMB} MB`);
    // The producer half of the limit right after clink's copy, so both see the machine in the same state.
    say(`${codec}: limit, producer half (ProducerPerformance into the destination)`);
    const loadBeforeLimit = loadAverage();
    const limitTopic = `${topic}.limit`;
    await admin(dst, (a) => a.createTopics({ topics: [{ topic: limitTopic, numPartitions: PARTITIONS }], waitForLeaders: true }));
    const producer = await producerPerf(dst, limitTopic, codec);
    let mm2: CodecResult['mm2'] = null;
    let mm2Error: string | null = null;
    if (!opts['skip-mm2']) {
      say(`${codec}: MirrorMaker 2 catch-up`);
      try {
        mm2 = await mm2Copy(src, dst, topic, codec, index);
        say(`${codec}: MM2 ${mm2.MBps} MB/s after ${mm2.startupSeconds} s startup`);
      } catch (error) {
        mm2Error = error instanceof Error ? error.message : String(error);
        say(`${codec}: MM2 failed: ${mm2Error}`);
      }
    }
    say(`${codec}: limit, consumer half (ConsumerPerformance on the source)`);
    const consumer = await consumerPerf(src, topic);
    const slower = consumer.MBps <= producer.MBps ? consumer : producer;
    const limit = { consumer, producer, MBps: slower.MBps, recordsPerSec: slower.recordsPerSec };
    say(`${codec}: limit ${limit.MBps} MB/s (consumer ${consumer.MBps}, producer ${producer.MBps})`);
    results[codec] = {
      records: RECORDS, payloadMB: round(PAYLOAD_MB), preload, clink, mm2, mm2Error, limit, loadAverage: { beforeClink: loadBeforeClink, beforeLimitProducer: loadBeforeLimit },
      ratios: {
        clinkVsMm2: mm2 ? round(clink.MBps / mm2.MBps, 2) : null, clinkVsMm2FromStart: mm2 ? round(clink.MBps / mm2.MBpsFromStart, 2) : null,
        clinkVsLimit: round(clink.MBps / limit.MBps, 2),
      },
    };
    await admin(src, (a) => a.deleteTopics({ topics: [topic] })).catch(() => undefined);
    await admin(dst, (a) => a.deleteTopics({ topics: [`${topic}.clink`, topic, limitTopic] })).catch(() => undefined);
  }
  let transactions: TransactionsResult | null = null;
  let transactionsError: string | null = null;
  if (!opts['skip-txn'] && !SCALE_ONLY) {
    say(`transactions: ${TXN_RECORDS} records, plain and in ${TXN_DURATION_MS} ms transactions, ${PARTITIONS} partitions`);
    try {
      transactions = await transactionsBench(src, dst);
      const t = transactions.transactional;
      say(`transactions: plain ${transactions.plain.recordsPerSec} rec/s, transactional ${t.recordsPerSec} rec/s (${t.markers} markers, wait p50 ${t.markerWait.p50Ms} ms p99 ${t.markerWait.p99Ms} ms)`);
    } catch (error) {
      transactionsError = error instanceof Error ? error.message : String(error);
      say(`transactions failed: ${transactionsError}`);
    }
  }
  let latency: LatencyResult | null = null;
  let latencyError: string | null = null;
  if (!opts['skip-latency'] && !SCALE_ONLY) {
    say(`latency: ${RATES.join(', ')} MB/s for ${LATENCY_SECONDS} s each, clink mirroring live`);
    try {
      latency = await latencyBench(src, dst, { ratesMBps: RATES, seconds: LATENCY_SECONDS, partitions: PARTITIONS, childScript: join(repoRoot, 'bench', '.build', 'bench', 'engine-live.js') });
    } catch (error) {
      latencyError = error instanceof Error ? error.message : String(error);
      say(`latency failed: ${latencyError}`);
    }
  }
  let cli: CliResult | null = null;
  if (!opts['skip-cli'] && !SCALE_ONLY) {
    say(`CLI: --version and mirror list with ${MIRRORS} mirrors${opts['skip-failover'] ? '' : ', then failover of all of them with the source frozen'}`);
    cli = await cliAndFailover(byName('bench-failover-source')!, { dst, mirrors: MIRRORS, cliRuns: CLI_RUNS, failover: !opts['skip-failover'], repoRoot });
  }
  let scale: ScaleResult[] = [];
  if (SCALE_SIZES.length > 0) {
    say(`scale: ${SCALE_SIZES.map((z) => `${z.topics}x${z.partitions}`).join(', ')} (topics x partitions), ${opts['scale-mb']} MB preloaded each, idle ${IDLE_SECONDS} s, load ${opts['load-mbps']} MB/s for ${LOAD_SECONDS} s`);
    scale = await scaleBench({
      src, dst, sizes: SCALE_SIZES, mb: Number(opts['scale-mb']), idleSeconds: IDLE_SECONDS, loadSeconds: LOAD_SECONDS, loadMBps: Number(opts['load-mbps']),
      cliRuns: CLI_RUNS, mm2: !opts['skip-mm2'], libs: LIBS, repoRoot, ...(opts['cpu-prof'] ? { cpuProfDir: opts['cpu-prof'] } : {}),
    });
  }

  const peakRss = Object.keys(results).length === 0 ? null : Math.max(...Object.values(results).map((r) => r.clink.peakRssMB));
  const target = (name: string, goal: string, measured: string, met: boolean | null) => ({ name, goal, measured, met });
  const targets = [
    ...Object.entries(results).map(([codec, r]) => target(`catch-up vs MM2 (${codec})`, codec === 'none' ? '>= 1.5x' : '>= 2x',
      r.ratios.clinkVsMm2 === null ? 'not measured' : `${r.ratios.clinkVsMm2}x`, r.ratios.clinkVsMm2 === null ? null : r.ratios.clinkVsMm2 >= (codec === 'none' ? 1.5 : 2))),
    ...Object.entries(results).map(([codec, r]) => target(`catch-up vs limit (${codec})`, '>= 70 %', `${Math.round(r.ratios.clinkVsLimit * 100)} %`, r.ratios.clinkVsLimit >= 0.7)),
    target('worker peak RSS', '<= 200 MB', peakRss === null ? 'not measured' : `${peakRss} MB`, peakRss === null ? null : peakRss <= 200),
    ...(results.none ? [target('catch-up CPU-s per GiB (none)', '<= 4', `${results.none.clink.cpuSecondsPerGiB}`, results.none.clink.cpuSecondsPerGiB <= 4)] : []),
    ...scale.filter((r) => r.partitions >= 1000).flatMap((r) => [
      target(`caught-up worker CPU at ${r.partitions} partitions`, '< 5 % of a core', `${r.clink.idle.cpuPercentOfCore} %`, Number.isFinite(r.clink.idle.cpuPercentOfCore) ? r.clink.idle.cpuPercentOfCore < 5 : null),
      target(`worker peak RSS at ${r.partitions} partitions`, '<= 300 MB', `${r.clink.load.peakRssMB} MB`, Number.isFinite(r.clink.load.peakRssMB) ? r.clink.load.peakRssMB <= 300 : null),
    ]),
    target('clink --version', '<= 300 ms', cli ? `${cli.versionMs} ms` : 'not measured', cli ? cli.versionMs <= 300 : null),
    ...(() => {
      const at = latency?.rates.find((r) => r.targetMBps === LATENCY_TARGET_RATE);
      return [target(`mirror latency p99 at ${LATENCY_TARGET_RATE} MB/s`, '<= 1000 ms', at ? `${at.p99Ms} ms (achieved ${at.achievedMBps} MB/s)` : 'not measured', at ? at.p99Ms <= 1000 : null)];
    })(),
    target(`failover of ${MIRRORS} mirrors, source frozen`, '<= 3000 ms', cli?.failover ? `${cli.failover.failoverMs} ms` : 'not measured',
      cli?.failover ? cli.failover.failoverMs <= 3000 && cli.failover.stoppedAfter === cli.failover.mirrors : null),
  ];
  const argv = process.argv.slice(2);
  const report = {
    startedAt: started.toISOString(), durationSeconds: round((Date.now() - started.getTime()) / 1000), mode: opts.quick ? 'quick' : 'full',
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`, machine: machine(),
    setup: { recordSize: RECORD, partitions: PARTITIONS, payloadMB: round(PAYLOAD_MB), records: RECORDS, preloadBatchSize: 16384, clusters: opts.source ? 'external' : 'started by the bench (1 GiB heap, G1)' },
    codecs: results, transactions, transactionsError, latency, latencyError, cli, scale, targets,
  };
  mkdirSync(opts.out, { recursive: true });
  const file = join(opts.out, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  const rows: string[][] = [['codec', 'clink MB/s', 'clink rec/s', 'MM2 MB/s', 'MM2 incl. start', 'limit MB/s (cons/prod)', 'vs MM2', 'vs limit', 'CPU-s/GiB', 'peak RSS MB']];
  for (const [codec, r] of Object.entries(results)) {
    rows.push([codec, String(r.clink.MBps), String(r.clink.recordsPerSec), r.mm2 ? String(r.mm2.MBps) : '-', r.mm2 ? String(r.mm2.MBpsFromStart) : '-',
      `${r.limit.MBps} (${r.limit.consumer.MBps}/${r.limit.producer.MBps})`, r.ratios.clinkVsMm2 === null ? '-' : `${r.ratios.clinkVsMm2}x`,
      `${Math.round(r.ratios.clinkVsLimit * 100)} %`, String(r.clink.cpuSecondsPerGiB), String(r.clink.peakRssMB)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  if (rows.length > 1) {
    console.log(`\n${PAYLOAD_MB.toFixed(0)} MB of 1 KiB records, ${PARTITIONS} partitions, Kafka ${KAFKA_VERSION}, ${report.machine.nproc} CPUs`);
    for (const r of rows) console.log(line(r));
  }
  if (latency) {
    console.log(`\nsteady-state mirror latency (produce CreateTime -> readable on the destination), ${latency.secondsPerRate} s per rate:`);
    const lrows = [['target MB/s', 'achieved MB/s', 'records', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
      ...latency.rates.map((r) => [r.targetMBps, r.achievedMBps, r.received, r.p50Ms, r.p99Ms, r.p999Ms, r.maxMs].map(String))];
    const lw = lrows[0]!.map((_, i) => Math.max(...lrows.map((r) => (r[i] ?? '').length)));
    for (const r of lrows) console.log(r.map((c, i) => c.padEnd(lw[i] ?? 0)).join('  '));
  }
  if (transactions) {
    const { plain, transactional: t } = transactions;
    console.log(`\ntransactions (${transactions.records} records of 1 KiB, ${transactions.partitions} partitions, ${transactions.transactionMs} ms source transactions, mirror.transactions=exact):`);
    console.log(`  plain ${plain.recordsPerSec} rec/s (${plain.MBps} MB/s); transactional ${t.recordsPerSec} rec/s (${t.MBps} MB/s, ${t.markers} markers) = ${transactions.ratio}x`);
    console.log(`  destination marker wait after EndTxn: p50 ${t.markerWait.p50Ms} ms, p99 ${t.markerWait.p99Ms} ms, max ${t.markerWait.maxMs} ms over ${t.markerWait.count} markers`);
  }
  if (cli) console.log(`\nclink --version: ${cli.versionMs} ms (median of ${CLI_RUNS}); clink mirror list with ${MIRRORS} mirrors: ${cli.mirrorListMs} ms`);
  if (cli?.failover) console.log(`clink mirror failover of ${cli.failover.mirrors} mirrors with the source frozen: ${cli.failover.failoverMs} ms (${cli.failover.stoppedAfter} STOPPED afterwards)`);
  if (scale.length > 0) {
    console.log(`\nscale (1 KiB records, ${opts['scale-mb']} MB per size, idle ${IDLE_SECONDS} s, load ${opts['load-mbps']} MB/s for ${LOAD_SECONDS} s):`);
    const srows = [['size', 'partitions', 'create ms', 'catch-up s', 'CPU-s', 'peak RSS MB', 'idle % core', 'load lag p99', 'load % core', 'list ms', 'describe ms', 'link desc ms', 'status ms', 'MM2 s (after topics)', 'MM2 CPU-s', 'MM2 RSS MB', 'MM2 idle %'],
      ...scale.map((r) => [r.size, r.partitions, r.mirrorCreateMs, r.clink.catchUpSeconds, r.clink.catchUp.cpuSeconds, r.clink.catchUp.peakRssMB, r.clink.idle.cpuPercentOfCore,
        r.clink.load.lagP99, r.clink.load.cpuPercentOfCore, r.cliMs.mirrorList, r.cliMs.mirrorDescribe, r.cliMs.linkDescribe, r.cliMs.workerStatus,
        r.mm2 ? `${r.mm2.secondsFromStart} (${r.mm2.secondsFromTopicsCreated})` : r.mm2Error ? 'failed' : '-', r.mm2?.catchUp.cpuSeconds ?? '-', r.mm2?.catchUp.peakRssMB ?? '-', r.mm2?.idle.cpuPercentOfCore ?? '-'].map(String))];
    const sw = srows[0]!.map((_, i) => Math.max(...srows.map((r) => (r[i] ?? '').length)));
    for (const r of srows) console.log(r.map((c, i) => c.padEnd(sw[i] ?? 0)).join('  '));
    for (const r of scale) if (r.error) console.log(`  ${r.size} failed: ${r.error}`);
  }
  console.log('\ntargets:');
  for (const t of targets) console.log(`  ${t.met === null ? 'n/a   ' : t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.measured} (target ${t.goal})`);
  console.log(`\nresults: ${file}`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
} finally {
  killChildren();
  await Promise.all(clusters.map((c) => c.stop().catch(() => undefined)));
}
