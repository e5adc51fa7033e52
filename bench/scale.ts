/**
 * The scale phase of `npm run bench` (issue 15): for each size T×P (T topics of P partitions), the
 * source topics are preloaded with a few MB of 1 KiB records spread over every partition (at least
 * one record each), then, all through the real CLI in a temporary CLINK_CONFIG_DIR/CLINK_STATE_DIR:
 *   1. `clink mirror create clink.t1 … clink.tT --link scale-link --no-start` — one call for all;
 *   2. `clink worker start scale-link`: time until every destination high watermark equals the
 *      source's (catch-up), the worker's CPU seconds and peak RSS (VmHWM) at that point, from /proc;
 *   3. idle: the caught-up worker's CPU over `idleSeconds` (percent of one core);
 *   4. CLI latency with T mirrors: `mirror list`, `mirror describe`, `link describe`, `worker status`
 *      (median of `cliRuns` runs, each a CLI process of its own);
 *   5. a modest steady load (`loadMBps`, 1 KiB records round-robin over every partition) for
 *      `loadSeconds`; once a second the per-partition lag (source high watermark minus destination
 *      high watermark, destination read first so the lag is never under-counted) of every partition is
 *      sampled; p50/p99/max over all samples, and the worker's CPU during the load;
 *   6. MirrorMaker 2 (bench/mm2.ts, tasks.max 4) on the same source topics into same-named destination
 *      topics (clink's mirrors are deleted first, so the destination holds one copy at a time): time
 *      from the JVM's spawn and from the moment MM2 had created every destination topic until caught
 *      up, its CPU seconds and peak RSS at that point, and its idle CPU over the same window as clink's.
 * Invariants: every record is accounted for (the destination high watermarks equal the source's after
 * the catch-up and after the load); the worker is stopped (and SIGKILLed if `worker stop` fails) and
 * every topic of the size deleted before the next size starts, whatever failed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, CompressionTypes } from 'kafkajs';
import { admin } from './kafka-admin.js';
import { killMm2, startMm2 } from './mm2.js';
import { median, patient, quantile, round, run, say, sleep, type RunResult } from './processes.js';
import { RawCluster } from '../src/kafka/raw/index.js';
import { listOffsets } from '../src/replication/raw-admin.js';

export interface ScaleSize { topics: number; partitions: number }

export interface ScaleOptions {
  src: string;
  dst: string;
  sizes: ScaleSize[];
  /** Preload per size, spread over every partition (at least one 1 KiB record each). */
  mb: number;
  idleSeconds: number;
  loadSeconds: number;
  loadMBps: number;
  cliRuns: number;
  mm2: boolean;
  /** Profile the worker (node --cpu-prof into this directory, written when it stops). */
  cpuProfDir?: string;
  libs: string;
  repoRoot: string;
}

export interface ProcessCost { cpuSeconds: number; peakRssMB: number }

export interface ScaleResult {
  size: string;
  topics: number;
  partitionsPerTopic: number;
  partitions: number;
  records: number;
  payloadMB: number;
  /** `clink mirror create` of all T topics in one call, process start to exit. */
  mirrorCreateMs: number;
  clink: {
    /** `clink worker start` until every partition caught up. */
    catchUpSeconds: number;
    catchUp: ProcessCost;
    cpuSecondsPerGiB: number;
    idle: { seconds: number; cpuPercentOfCore: number; rssMB: number };
    load: { targetMBps: number; achievedMBps: number; seconds: number; samples: number; lagP50: number; lagP99: number; lagMax: number; cpuPercentOfCore: number; peakRssMB: number };
  };
  cliMs: { mirrorList: number; mirrorDescribe: number; linkDescribe: number; workerStatus: number };
  mm2: null | {
    tasks: number;
    secondsFromStart: number;
    /** From the moment every destination topic existed (leaves out MM2's JVM start, group join and topic creation). */
    secondsFromTopicsCreated: number;
    catchUp: ProcessCost;
    idle: { seconds: number; cpuPercentOfCore: number; rssMB: number };
  };
  mm2Error: string | null;
  error: string | null;
}

const RECORD = 1024;
const CLK_TCK = 100;

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** A /proc/<pid>/status field in MB (VmRSS, VmHWM). */
function vmMB(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const cost = (pid: number): ProcessCost => ({ cpuSeconds: round(cpuSecondsOf(pid), 2), peakRssMB: round(vmMB(pid, 'VmHWM')) });

async function idleOf(pid: number, seconds: number) {
  const c0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  return { seconds: round(wall, 1), cpuPercentOfCore: round(((cpuSecondsOf(pid) - c0) / wall) * 100, 2), rssMB: round(vmMB(pid, 'VmRSS')) };
}

/** High watermarks of every partition of `topics` (topic → partition → offset), 50 topics at a time. */
async function highWatermarks(cluster: RawCluster, topics: readonly string[], partitions: number): Promise<Map<string, bigint[]>> {
  const out = new Map<string, bigint[]>();
  const ids = Array.from({ length: partitions }, (_, p) => p);
  const queue = [...topics];
  await Promise.all(Array.from({ length: 50 }, async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
      const h = await listOffsets(cluster, t, ids, 'latest');
      out.set(t, ids.map((p) => h.get(p) ?? -1n));
    }
  }));
  return out;
}

async function chunks<T>(items: readonly T[], size: number, fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

async function createTopics(bootstrap: string, topics: readonly string[], partitions: number): Promise<void> {
  await admin(bootstrap, (a) => chunks(topics, 100, (c) => a.createTopics({ topics: c.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true })));
}

async function deleteTopics(bootstrap: string, topics: readonly string[]): Promise<void> {
  await admin(bootstrap, async (a) => {
    const existing = new Set(await a.listTopics());
    await chunks(topics.filter((t) => existing.has(t)), 200, (c) => a.deleteTopics({ topics: c, timeout: patient(60_000) }));
  }).catch((error: unknown) => say(`scale: could not delete topics: ${error instanceof Error ? error.message : String(error)}`));
}

/** Waits until every destination partition reached `target`; stall deadline (moves on whenever a partition progresses). */
async function caughtUp(probe: RawCluster, topics: readonly string[], target: Map<string, bigint[]>, partitions: number, what: string, alive: () => void): Promise<void> {
  let best = -1n;
  let deadline = Date.now() + patient(120_000);
  for (;;) {
    alive();
    const h = await highWatermarks(probe, topics, partitions).catch(() => new Map<string, bigint[]>());
    let sum = 0n;
    let done = true;
    for (const t of topics) {
      const want = target.get(t)!;
      const have = h.get(t);
      for (let p = 0; p < partitions; p++) {
        const v = have?.[p] ?? -1n;
        if (v > 0n) sum += v;
        if (v < (want[p] ?? 0n)) done = false;
      }
    }
    if (done) return;
    if (sum > best) [best, deadline] = [sum, Date.now() + patient(120_000)];
    if (Date.now() > deadline) throw new Error(`${what}: no progress for ${patient(120_000) / 1000} s (${best} records on the destination)`);
    await sleep(200);
  }
}

export async function scaleBench(o: ScaleOptions): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const size of o.sizes) results.push(await oneSize(o, size));
  return results;
}

async function oneSize(o: ScaleOptions, size: ScaleSize): Promise<ScaleResult> {
  const label = `${size.topics}x${size.partitions}`;
  const id = `scale${Date.now().toString(36)}`;
  const topics = Array.from({ length: size.topics }, (_, i) => `${id}-${i}`);
  const mirrors = topics.map((t) => `clink.${t}`);
  const partitions = size.topics * size.partitions;
  const perPartition = Math.max(1, Math.ceil((o.mb * 1024) / partitions));
  const records = perPartition * partitions;
  const cfg = mkdtempSync(join(tmpdir(), 'clink-bench-scale-'));
  const env = { ...process.env, CLINK_CONFIG_DIR: join(cfg, 'config'), CLINK_STATE_DIR: join(cfg, 'state'), CLINK_CLUSTER: 'scale-dest', NO_COLOR: '1', FORCE_COLOR: '0' };
  const clink = (args: string[], timeoutMs = patient(300_000), extraEnv: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [join(o.repoRoot, 'bin', 'clink.js'), ...args], { env: { ...env, ...extraEnv }, timeoutMs });
  const must = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> => {
    const r = await clink(args, patient(300_000), extraEnv);
    if (r.code !== 0) throw new Error(`clink ${args.slice(0, 3).join(' ')}… exited ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${Math.round(r.ms)} ms: ${r.stderr.slice(-2000)}`);
    return r;
  };
  const result: ScaleResult = {
    size: label, topics: size.topics, partitionsPerTopic: size.partitions, partitions, records, payloadMB: round((records * RECORD) / 1048576),
    mirrorCreateMs: NaN,
    clink: {
      catchUpSeconds: NaN, catchUp: { cpuSeconds: NaN, peakRssMB: NaN }, cpuSecondsPerGiB: NaN, idle: { seconds: 0, cpuPercentOfCore: NaN, rssMB: NaN },
      load: { targetMBps: o.loadMBps, achievedMBps: NaN, seconds: 0, samples: 0, lagP50: NaN, lagP99: NaN, lagMax: NaN, cpuPercentOfCore: NaN, peakRssMB: NaN },
    },
    cliMs: { mirrorList: NaN, mirrorDescribe: NaN, linkDescribe: NaN, workerStatus: NaN },
    mm2: null, mm2Error: null, error: null,
  };
  const srcProbe = new RawCluster({ brokers: [o.src], clientId: 'clink-bench-scale' });
  const dstProbe = new RawCluster({ brokers: [o.dst], clientId: 'clink-bench-scale' });
  let pid = 0;
  const workerAlive = () => {
    try {
      process.kill(pid, 0);
    } catch {
      throw new Error(`the worker (pid ${pid}) exited; log: ${join(cfg, 'state', 'links', 'scale-link', 'worker.log')}`);
    }
  };
  try {
    say(`scale ${label}: creating ${size.topics} source topics (${partitions} partitions), preloading ${records} records of 1 KiB`);
    await createTopics(o.src, topics, size.partitions);
    const kafka = new Kafka({ brokers: [o.src], clientId: 'clink-bench-scale', logLevel: logLevel.NOTHING });
    // Leaders of freshly created topics may still move (NOT_LEADER_OR_FOLLOWER): kafkajs retries those
    // after a metadata refresh, with more patience than its default 5 tries. A retried send may land
    // twice; the catch-up target is read from the high watermarks afterwards, so that does not matter.
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 } });
    await producer.connect();
    const value = randomBytes(RECORD);
    try {
      // At most 500 records (~0.5 MB) per request, well below the broker's message.max.bytes.
      const sends = topics.flatMap((topic) => Array.from({ length: size.partitions }, (_, partition) => ({ topic, partition })))
        .flatMap(({ topic, partition }) => Array.from({ length: perPartition }, () => ({ topic, partition })));
      await chunks(sends, 500, async (c) => {
        const byTopic = new Map<string, Array<{ partition: number; value: Buffer }>>();
        for (const { topic, partition } of c) {
          const list = byTopic.get(topic) ?? [];
          list.push({ partition, value });
          byTopic.set(topic, list);
        }
        await producer.sendBatch({ acks: 1, compression: CompressionTypes.None, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      });
    } finally {
      await producer.disconnect();
    }
    await Promise.all([srcProbe.connect(), dstProbe.connect()]);
    const target = await highWatermarks(srcProbe, topics, size.partitions);
    const mirrorTarget = new Map(topics.map((t, i) => [mirrors[i]!, target.get(t)!]));

    await must(['cluster', 'add', 'scale-dest', '--bootstrap-server', o.dst]);
    await must(['link', 'create', 'scale-link', '--source-bootstrap-server', o.src, '--config', 'cluster.link.prefix=clink.', '--no-start']);
    const created = await must(['mirror', 'create', ...mirrors, '--link', 'scale-link', '--no-start']);
    result.mirrorCreateMs = Math.round(created.ms);
    say(`scale ${label}: mirror create of ${size.topics} topics in one call: ${result.mirrorCreateMs} ms; starting the worker`);

    const t0 = performance.now();
    await must(['worker', 'start', 'scale-link'], o.cpuProfDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${o.cpuProfDir}` } : {});
    pid = Number(readFileSync(join(cfg, 'state', 'links', 'scale-link', 'worker.pid'), 'utf8').trim());
    await caughtUp(dstProbe, mirrors, mirrorTarget, size.partitions, `clink ${label} catch-up`, workerAlive);
    result.clink.catchUpSeconds = round((performance.now() - t0) / 1000, 2);
    result.clink.catchUp = cost(pid);
    result.clink.cpuSecondsPerGiB = round(result.clink.catchUp.cpuSeconds / ((records * RECORD) / 2 ** 30), 1);
    say(`scale ${label}: clink caught up in ${result.clink.catchUpSeconds} s, ${result.clink.catchUp.cpuSeconds} CPU-s, peak RSS ${result.clink.catchUp.peakRssMB} MB; idle for ${o.idleSeconds} s`);
    result.clink.idle = await idleOf(pid, o.idleSeconds);
    workerAlive();
    say(`scale ${label}: idle worker ${result.clink.idle.cpuPercentOfCore} % of a core, RSS ${result.clink.idle.rssMB} MB`);

    const time = async (args: string[]) => {
      const runs: number[] = [];
      for (let i = 0; i < o.cliRuns; i++) runs.push(Math.round((await must(args)).ms));
      return Math.round(median(runs));
    };
    result.cliMs = {
      mirrorList: await time(['mirror', 'list', '--link', 'scale-link']),
      mirrorDescribe: await time(['mirror', 'describe', mirrors[0]!, '--link', 'scale-link']),
      linkDescribe: await time(['link', 'describe', 'scale-link']),
      workerStatus: await time(['worker', 'status', 'scale-link']),
    };
    say(`scale ${label}: CLI ms ${JSON.stringify(result.cliMs)}`);

    result.clink.load = await steadyLoad(o, kafka, srcProbe, dstProbe, topics, mirrors, size.partitions, pid, workerAlive);
    say(`scale ${label}: under ${result.clink.load.achievedMBps} MB/s lag p99 ${result.clink.load.lagP99} records (max ${result.clink.load.lagMax}), worker ${result.clink.load.cpuPercentOfCore} % of a core`);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    say(`scale ${label} failed: ${result.error}`);
  } finally {
    if (pid) {
      const stopped = await clink(['worker', 'stop', 'scale-link'], patient(60_000)).catch(() => undefined);
      if (stopped?.code !== 0) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    await deleteTopics(o.dst, mirrors);
  }
  if (o.mm2 && result.error === null) {
    try {
      result.mm2 = await mm2Side(o, id, topics, size.partitions);
      say(`scale ${label}: MM2 caught up ${result.mm2.secondsFromStart} s after spawn (${result.mm2.secondsFromTopicsCreated} s after it had created every destination topic), ${result.mm2.catchUp.cpuSeconds} CPU-s, peak RSS ${result.mm2.catchUp.peakRssMB} MB, idle ${result.mm2.idle.cpuPercentOfCore} % of a core`);
    } catch (error) {
      result.mm2Error = error instanceof Error ? error.message : String(error);
      say(`scale ${label}: MM2 failed: ${result.mm2Error}`);
    }
  }
  await Promise.all([srcProbe.close(), dstProbe.close()]).catch(() => undefined);
  await deleteTopics(o.dst, topics);
  await deleteTopics(o.src, topics);
  rmSync(cfg, { recursive: true, force: true });
  return result;
}

async function steadyLoad(o: ScaleOptions, kafka: Kafka, srcProbe: RawCluster, dstProbe: RawCluster, topics: string[], mirrors: string[], partitions: number, pid: number, alive: () => void): Promise<ScaleResult['clink']['load']> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = randomBytes(RECORD);
  const perSecond = (o.loadMBps * 1048576) / RECORD;
  const all = topics.flatMap((topic) => Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  let next = 0;
  let acked = 0;
  let stop = false;
  const lags: number[] = [];
  const cpu0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  let produceSeconds = 0;
  let capped = 0;
  const sampler = (async () => {
    while (!stop) {
      alive();
      const d = await highWatermarks(dstProbe, mirrors, partitions);
      const s = await highWatermarks(srcProbe, topics, partitions);
      for (const [i, t] of topics.entries()) {
        const sh = s.get(t)!;
        const dh = d.get(mirrors[i]!)!;
        for (let p = 0; p < partitions; p++) lags.push(Math.max(0, Number((sh[p] ?? 0n) - (dh[p] ?? 0n))));
      }
      await sleep(1000);
    }
  })();
  try {
    // 100 ms ticks: each sends what is due, round-robin over every partition, without waiting for
    // earlier sends (at most 16 in flight), so a slow acknowledgement does not lower the rate.
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    while (performance.now() - t0 < o.loadSeconds * 1000 && failure === undefined) {
      const tick = performance.now();
      const due = Math.round(((tick - t0) / 1000) * perSecond) - next;
      if (due > 0 && inFlight.size >= 16) capped++;
      if (due > 0 && inFlight.size < 16) {
        const batch = new Map<string, Array<{ partition: number; value: Buffer }>>();
        for (let i = 0; i < due; i++) {
          const { topic, partition } = all[next++ % all.length]!;
          const list = batch.get(topic) ?? [];
          list.push({ partition, value });
          batch.set(topic, list);
        }
        const sent: Promise<void> = producer.sendBatch({ acks: 1, compression: CompressionTypes.None, topicMessages: [...batch].map(([topic, messages]) => ({ topic, messages })) })
          .then(() => { acked += due; }, (error: unknown) => { failure = error; })
          .finally(() => inFlight.delete(sent));
        inFlight.add(sent);
      }
      await sleep(Math.max(0, 100 - (performance.now() - tick)));
    }
    produceSeconds = (performance.now() - t0) / 1000;
    await Promise.all([...inFlight]);
    if (failure !== undefined) throw failure;
    if (process.env.CLINK_BENCH_DEBUG) say(`load: ${next} records due, ${acked} acked in ${produceSeconds.toFixed(1)} s, ${capped} ticks at the in-flight cap`);
  } finally {
    stop = true;
    await sampler.catch(() => undefined);
    await producer.disconnect();
  }
  const seconds = produceSeconds;
  const cpuPercentOfCore = round(((cpuSecondsOf(pid) - cpu0) / seconds) * 100, 1);
  // Every record produced reaches the destination.
  const target = await highWatermarks(srcProbe, topics, partitions);
  await caughtUp(dstProbe, mirrors, new Map(topics.map((t, i) => [mirrors[i]!, target.get(t)!])), partitions, 'after the steady load', alive);
  const sorted = Float64Array.from(lags).sort();
  return {
    targetMBps: o.loadMBps, achievedMBps: round((acked * RECORD) / 1048576 / seconds, 2), seconds: round(seconds, 1), samples: lags.length,
    lagP50: quantile(sorted, 0.5), lagP99: quantile(sorted, 0.99), lagMax: sorted[sorted.length - 1] ?? NaN, cpuPercentOfCore, peakRssMB: round(vmMB(pid, 'VmHWM')),
  };
}

async function mm2Side(o: ScaleOptions, id: string, topics: string[], partitions: number): Promise<NonNullable<ScaleResult['mm2']>> {
  const dir = mkdtempSync(join(tmpdir(), 'clink-bench-scale-mm2-'));
  const tasks = Math.min(topics.length * partitions, 4);
  const srcProbe = new RawCluster({ brokers: [o.src], clientId: 'clink-bench-scale-mm2' });
  const dstProbe = new RawCluster({ brokers: [o.dst], clientId: 'clink-bench-scale-mm2' });
  await Promise.all([srcProbe.connect(), dstProbe.connect()]);
  const target = await highWatermarks(srcProbe, topics, partitions);
  const t0 = performance.now();
  const jvm = startMm2(o.libs, dir, { index: id, src: o.src, dst: o.dst, topics: `^${id}-.*`, tasks, codec: 'none' });
  try {
    const alive = () => {
      if (jvm.exitCode !== null) throw new Error(`MirrorMaker exited ${jvm.exitCode}; log: ${join(dir, 'mm2.log')}`);
    };
    // MM2 creates the destination topics itself; offsets are read once all of them exist.
    const deadline = Date.now() + patient(300_000);
    for (;;) {
      alive();
      const existing = new Set(await admin(o.dst, (a) => a.listTopics()));
      if (topics.every((t) => existing.has(t))) break;
      if (Date.now() > deadline) throw new Error(`MM2 had not created the destination topics after ${patient(300_000) / 1000} s; log: ${join(dir, 'mm2.log')}`);
      await sleep(500);
    }
    const createdAt = performance.now();
    await caughtUp(dstProbe, topics, target, partitions, 'MM2 catch-up', alive);
    const doneAt = performance.now();
    const catchUp = cost(jvm.pid!);
    const idle = await idleOf(jvm.pid!, o.idleSeconds);
    alive();
    rmSync(dir, { recursive: true, force: true });
    return { tasks, secondsFromStart: round((doneAt - t0) / 1000, 2), secondsFromTopicsCreated: round((doneAt - createdAt) / 1000, 2), catchUp, idle };
  } finally {
    await killMm2(jvm);
    await Promise.all([srcProbe.close(), dstProbe.close()]).catch(() => undefined);
  }
}
