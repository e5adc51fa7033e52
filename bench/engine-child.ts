/**
 * Child process of `npm run bench` (bench/run.ts): runs clink's replication engine (createLinkEngine,
 * exactly as a link's worker runs it) for one mirror topic until every destination high watermark
 * equals the source's, then prints one JSON line on stdout with the copy time and this process's cost
 * (CPU seconds of the copy phase, peak RSS = VmHWM from /proc/self/status) and, for transactional
 * topics, how long each destination marker took to land after EndTxn returned (p50/p99). Running in its own process
 * keeps the orchestrator's memory and CPU out of the copier's figures.
 *
 * Invocation: node engine-child.js <sourceBootstrap> <destBootstrap> <sourceTopic> <mirrorTopic>
 * The mirror topic must not exist yet; it is created here with the source's partition count.
 */
import { admin } from './kafka-admin.js';
import { createMirrorTopic, oneMirrorSnapshot, quietLog, vmKb } from './engine-setup.js';
import { quantile } from './processes.js';
import type { MirrorStatusReport } from '../src/core/model/mirror.js';
import { RawCluster } from '../src/kafka/raw/index.js';
import { createLinkEngine } from '../src/replication/engine.js';
import { listOffsets } from '../src/replication/raw-admin.js';

const [source = '', dest = '', topic = '', mirror = ''] = process.argv.slice(2);

const ends = await createMirrorTopic(source, dest, topic, mirror);
const records = ends.reduce((sum, e) => sum + Number(e.high) - Number(e.low), 0);
const target = new Map(ends.map((e) => [e.partition, Number(e.high)]));
let failed: string | undefined;
const probe = new RawCluster({ brokers: [dest], clientId: 'clink-bench-probe' });
await probe.connect();
const partitions = ends.map((e) => e.partition);
const rssBefore = vmKb('VmRSS');
/** How long each destination marker took to land after EndTxn returned (mirror.transactions=exact). */
const markerWaits: number[] = [];
const engine = createLinkEngine({
  env: process.env,
  log: { ...quietLog, debug: (_m, fields) => void (typeof fields?.markerWaitMs === 'number' && markerWaits.push(fields.markerWaitMs)) },
  report: (report: MirrorStatusReport) => {
    if (report.status === 'FAILED') failed = report.error;
  },
  reportLinkError: (e) => e && console.error(`LINK ${e}`),
});
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await engine.apply(oneMirrorSnapshot(source, dest, topic, mirror, ends.length));
// Completion is read from the destination itself every 10 ms (status reports come at most once a second).
for (;;) {
  const highs = await listOffsets(probe, mirror, partitions, 'latest');
  if (failed || partitions.every((p) => Number(highs.get(p)) === target.get(p))) break;
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const peakRssKb = vmKb('VmHWM');
await engine.stop();
await probe.close();
const dstEnds = await admin(dest, (a) => a.fetchTopicOffsets(mirror));
const sorted = [...markerWaits].sort((a, b) => a - b);
const endsMatch = ends.every((e) => dstEnds.find((d) => d.partition === e.partition)?.high === e.high);
process.stdout.write(`${JSON.stringify({
  records, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: peakRssKb / 1024, rssBeforeCopyMB: rssBefore / 1024,
  endsMatch, failed: failed ?? null, markerWait: { count: sorted.length, p50Ms: sorted.length ? quantile(sorted, 0.5) : null, p99Ms: sorted.length ? quantile(sorted, 0.99) : null, maxMs: sorted.at(-1) ?? null },
})}\n`);
process.exit(endsMatch && !failed ? 0 : 1);
