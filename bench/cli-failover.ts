/**
 * The CLI part of `npm run bench` (issue 7), all through the real CLI (`node bin/clink.js`) in a
 * temporary CLINK_CONFIG_DIR / CLINK_STATE_DIR: one destination cluster, one link and N mirror topics
 * (1 partition each, created with `mirror create --no-start`), then
 *   1. `clink --version` and `clink mirror list` with N mirrors, median of several runs;
 *   2. failover with the source gone: `clink worker start <link>`, wait until every mirror is ACTIVE
 *      and caught up, freeze the source broker (SIGSTOP: a hung broker that accepts connections and
 *      answers nothing) and time `clink mirror failover <N topics> --link <link>` from process start to
 *      exit; then check that every mirror is STOPPED.
 * The source is a single-broker cluster of this phase's own, so freezing it never disturbs the other
 * phases or clusters given with --source/--dest. Invariants: the worker is stopped and the frozen
 * broker thawed before this returns, whatever failed (the caller stops the cluster).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { admin } from './kafka-admin.js';
import { median, patient, round, run, say, sleep, type RunResult } from './processes.js';
import type { KafkaCluster } from '../src/local-kafka/cluster.js';

export interface CliResult {
  mirrors: number;
  mirrorCreateSecondsEach: number;
  versionMs: number;
  versionRunsMs: number[];
  mirrorListMs: number;
  mirrorListRunsMs: number[];
  failover: FailoverResult | null;
  failoverError: string | null;
}

export interface FailoverResult {
  mirrors: number;
  /** How the source was stopped before the failover. */
  sourceStopped: 'SIGSTOP';
  /** `clink worker start` until every mirror reported ACTIVE with its records copied. */
  workerStartToActiveSeconds: number;
  /** `clink mirror failover <all> --link …`, from spawning the process to its exit. */
  failoverMs: number;
  exitCode: number | null;
  /** Mirrors listed STOPPED afterwards (should equal `mirrors`). */
  stoppedAfter: number;
  /** Partition rows the failover printed (one per mirror when the lag is known, -1 rows otherwise). */
  rows: number;
}

const RECORDS_PER_TOPIC = 10;

interface MirrorListRow { mirror_topic_name: string; mirror_status: string; max_per_partition_mirror_lag?: number }

/** `source` is a single-broker cluster of this phase's own (the caller stops it; this may freeze it and always thaws it). */
export async function cliAndFailover(source: KafkaCluster, options: { dst: string; mirrors: number; cliRuns: number; failover: boolean; repoRoot: string }): Promise<CliResult> {
  const cfg = mkdtempSync(join(tmpdir(), 'clink-bench-cli-'));
  const env = { ...process.env, CLINK_CONFIG_DIR: join(cfg, 'config'), CLINK_STATE_DIR: join(cfg, 'state'), CLINK_CLUSTER: 'bench-dest', NO_COLOR: '1', FORCE_COLOR: '0' };
  const clink = (args: string[], timeoutMs = patient(120_000)) => run(process.execPath, [join(options.repoRoot, 'bin', 'clink.js'), ...args], { env, timeoutMs });
  const must = async (args: string[]): Promise<RunResult> => {
    const r = await clink(args);
    if (r.code !== 0) throw new Error(`clink ${args.join(' ')} exited ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${Math.round(r.ms)} ms: ${r.stderr.slice(-2000)}`);
    return r;
  };
  let workerStarted = false;
  let frozen = false;
  const names = Array.from({ length: options.mirrors }, (_, i) => `clibench${Date.now().toString(36)}-${i}`);
  try {
    await must(['cluster', 'add', 'bench-dest', '--bootstrap-server', options.dst]);
    await must(['link', 'create', 'bench-link', '--source-bootstrap-server', source.bootstrap, '--cluster', 'bench-dest']);
    await admin(source.bootstrap, (a) => a.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true }));
    const producer = new Kafka({ brokers: [source.bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.sendBatch({ topicMessages: names.map((topic) => ({ topic, messages: Array.from({ length: RECORDS_PER_TOPIC }, (_, i) => ({ value: `record ${i}` })) })) });
    await producer.disconnect();
    const t0 = Date.now();
    // All of them in one call (one store write, one CreateTopics request).
    await must(['mirror', 'create', ...names, '--link', 'bench-link', '--no-start']);
    const createSeconds = (Date.now() - t0) / 1000;
    const time = async (args: string[]) => {
      const runs: number[] = [];
      for (let i = 0; i < options.cliRuns; i++) {
        const r = await must(args);
        runs.push(Math.round(r.ms));
        if (args[0] === 'mirror' && i === 0) {
          const listed = names.filter((n) => r.stdout.includes(n)).length;
          if (listed !== options.mirrors) throw new Error(`mirror list showed ${listed} of ${options.mirrors} mirrors`);
        }
      }
      return runs;
    };
    await must(['--version']); // warm the file cache once, as a user's second call would
    const versionRunsMs = await time(['--version']);
    const mirrorListRunsMs = await time(['mirror', 'list']);
    const result: CliResult = {
      mirrors: options.mirrors, mirrorCreateSecondsEach: round(createSeconds / options.mirrors, 3),
      versionMs: Math.round(median(versionRunsMs)), versionRunsMs, mirrorListMs: Math.round(median(mirrorListRunsMs)), mirrorListRunsMs,
      failover: null, failoverError: null,
    };
    if (!options.failover) return result;
    try {
      say(`failover: starting the worker, waiting for ${options.mirrors} mirrors to be ACTIVE`);
      const w0 = Date.now();
      await must(['worker', 'start', 'bench-link']);
      workerStarted = true;
      const listJson = async () => JSON.parse((await must(['mirror', 'list', '--link', 'bench-link', '-o', 'json'])).stdout) as MirrorListRow[];
      // A stall deadline: it moves on whenever one more mirror is caught up, so a slow machine only takes longer.
      let best = -1;
      let deadline = 0;
      for (;;) {
        const rows = await listJson();
        const active = rows.filter((r) => r.mirror_status === 'ACTIVE' && (r.max_per_partition_mirror_lag ?? 0) === 0).length;
        if (active === options.mirrors) break;
        if (active > best) [best, deadline] = [active, Date.now() + patient(120_000)];
        if (Date.now() > deadline) {
          const states = rows.map((r) => `${r.mirror_topic_name} ${r.mirror_status} lag ${r.max_per_partition_mirror_lag ?? '?'}`).join('; ');
          throw new Error(`only ${active} of ${options.mirrors} mirrors were ACTIVE and caught up, none more for ${patient(120_000) / 1000} s: ${states}`);
        }
        await sleep(1000); // each `mirror list` is a CLI process of its own; polling harder only slows the worker down
      }
      const workerStartToActiveSeconds = round((Date.now() - w0) / 1000, 2);
      process.kill(source.pid, 'SIGSTOP');
      frozen = true;
      say(`failover: source broker frozen (SIGSTOP), failing over ${options.mirrors} mirrors`);
      const failover = await clink(['mirror', 'failover', ...names, '--link', 'bench-link', '-o', 'json'], patient(60_000));
      if (failover.code !== 0) throw new Error(`mirror failover exited ${failover.code} after ${Math.round(failover.ms)} ms: ${failover.stderr.slice(-2000)}`);
      const rows = (JSON.parse(failover.stdout) as unknown[]).length;
      const after = await listJson();
      result.failover = {
        mirrors: options.mirrors, sourceStopped: 'SIGSTOP', workerStartToActiveSeconds, failoverMs: Math.round(failover.ms), exitCode: failover.code,
        stoppedAfter: after.filter((r) => r.mirror_status === 'STOPPED').length, rows,
      };
      say(`failover: ${Math.round(failover.ms)} ms for ${options.mirrors} mirrors, ${result.failover.stoppedAfter} STOPPED afterwards`);
    } catch (error) {
      result.failoverError = error instanceof Error ? error.message : String(error);
      say(`failover failed: ${result.failoverError}`);
    }
    return result;
  } finally {
    if (workerStarted) await clink(['worker', 'stop', 'bench-link'], patient(30_000)).catch(() => undefined);
    if (frozen) {
      try {
        process.kill(source.pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    await admin(options.dst, (a) => a.deleteTopics({ topics: names })).catch(() => undefined);
    rmSync(cfg, { recursive: true, force: true });
  }
}
