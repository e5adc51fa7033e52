/**
 * Catch-up copy rate of the replication engine: a preloaded source topic (1 KiB records, 6 partitions,
 * 200 MB by default, written by Kafka's own ProducerPerformance) is mirrored into a fresh destination
 * topic by createLinkEngine, exactly as a link's worker runs it. The clock runs from apply() until
 * every destination high watermark equals the source's; offsets are checked by the engine on every
 * append (a mismatch would show as a FAILED mirror and fail the run).
 *
 * Build + run from the repository root:
 *   npx tsc --module nodenext --moduleResolution nodenext --target es2022 --strict --skipLibCheck \
 *     --outDir node_modules/.cache/clink-bench --rootDir . bench/engine-catch-up.ts
 *   echo '{"type":"module"}' > node_modules/.cache/clink-bench/package.json
 *   node node_modules/.cache/clink-bench/bench/engine-catch-up.js --source 127.0.0.1:19092 \
 *     --dest 127.0.0.1:29092 --topic bench-src --populate --mb 200 [--window 4] [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { admin } from './kafka-admin.js';
import type { MirrorStatusReport } from '../src/core/model/mirror.js';
import { RawCluster } from '../src/kafka/raw/index.js';
import { createLinkEngine } from '../src/replication/engine.js';
import { listOffsets } from '../src/replication/raw-admin.js';

const { values: opts } = parseArgs({
  options: {
    source: { type: 'string', default: '127.0.0.1:19092' },
    dest: { type: 'string', default: '127.0.0.1:29092' },
    topic: { type: 'string', default: 'bench-engine-src' },
    populate: { type: 'boolean', default: false },
    mb: { type: 'string', default: '200' },
    'record-size': { type: 'string', default: '1024' },
    partitions: { type: 'string', default: '6' },
    'batch-size': { type: 'string', default: '16384' },
    window: { type: 'string' },
    runs: { type: 'string', default: '1' },
    configs: { type: 'string', default: '' },
  },
});

function populate(): void {
  const records = Math.round((Number(opts.mb) * 1024 * 1024) / Number(opts['record-size']));
  const run = spawnSync('java', [
    '-Xmx512m', '-cp', `${process.cwd()}/kafka/libs-4.1.1/*`, 'org.apache.kafka.tools.ProducerPerformance', '--topic', opts.topic,
    '--num-records', String(records), '--record-size', opts['record-size'], '--throughput', '-1', '--producer-props',
    `bootstrap.servers=${opts.source}`, 'acks=1', `batch.size=${opts['batch-size']}`, 'linger.ms=10',
  ], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ProducerPerformance failed (${run.status})`);
  console.error(run.stdout.trim().split('\n').at(-1));
}

async function once(run: number): Promise<void> {
  const ends = await admin(opts.source, (a) => a.fetchTopicOffsets(opts.topic));
  const mirror = `${opts.topic}-mirror-${Date.now().toString(36)}`;
  await admin(opts.dest, (a) => a.createTopics({ topics: [{ topic: mirror, numPartitions: ends.length }], waitForLeaders: true }));
  const records = ends.reduce((sum, e) => sum + Number(e.high) - Number(e.low), 0);
  const target = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  let failed: string | undefined;
  const onReport = (report: MirrorStatusReport) => {
    if (report.status === 'FAILED') failed = report.error;
  };
  // Completion is read from the destination itself every 10 ms (reports come at most once a second).
  const probe = new RawCluster({ brokers: [opts.dest], clientId: 'clink-bench-probe' });
  await probe.connect();
  const partitions = ends.map((e) => e.partition);
  const finished = (async () => {
    for (;;) {
      const highs = await listOffsets(probe, mirror, partitions, 'latest');
      if (failed || partitions.every((p) => Number(highs.get(p)) === target.get(p))) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const env = opts.window ? { ...process.env, CLINK_ENGINE_PRODUCE_WINDOW: opts.window } : process.env;
  const engine = createLinkEngine({
    env,
    log: { info: () => undefined, debug: () => undefined, warn: (m) => console.error(`WARN ${m}`), error: (m) => console.error(`ERROR ${m}`) },
    report: onReport,
    reportLinkError: (e) => e && console.error(`LINK ${e}`),
  });
  const now = new Date().toISOString();
  const configs = Object.fromEntries(opts.configs.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await engine.apply({
    link: { name: 'bench', linkId: 'bench', destination: 'dest', sourceBootstrapServers: opts.source, sourceClientConfig: {}, configs, createdAt: now, updatedAt: now },
    destination: { name: 'dest', bootstrapServers: opts.dest, clientConfig: {}, createdAt: now },
    mirrors: [{ link: 'bench', mirrorTopic: mirror, sourceTopic: opts.topic, desiredState: 'ACTIVE', partitions: ends.length, configOverrides: {}, createdAt: now, stateChangedAtMs: Date.now() }],
  });
  await finished;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await engine.stop();
  await probe.close();
  const dstEnds = await admin(opts.dest, (a) => a.fetchTopicOffsets(mirror));
  const endsMatch = ends.every((e) => dstEnds.find((d) => d.partition === e.partition)?.high === e.high);
  await admin(opts.dest, (a) => a.deleteTopics({ topics: [mirror] }));
  const mb = (records * Number(opts['record-size'])) / 1048576;
  console.log(JSON.stringify({
    run, partitions: ends.length, records, payloadMB: +mb.toFixed(1), window: opts.window ?? 'default', seconds: +seconds.toFixed(2),
    MBps: +(mb / seconds).toFixed(1), recordsPerSec: Math.round(records / seconds),
    nodeCpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100), endsMatch, failed: failed ?? null,
  }));
  if (!endsMatch || failed) process.exitCode = 1;
}

if (opts.populate) {
  await admin(opts.source, (a) => a.createTopics({ topics: [{ topic: opts.topic, numPartitions: Number(opts.partitions) }], waitForLeaders: true }));
  populate();
}
for (let run = 1; run <= Number(opts.runs); run++) await once(run);
