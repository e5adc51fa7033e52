/**
 * Smoke test of `npm run bench` (bench/run.ts): compiles the bench, runs it in quick mode with a tiny
 * volume (10 MB, uncompressed only, 2 s per latency rate, 5 mirrors for the CLI and failover part)
 * against the integration clusters, and checks that the results JSON has every field — clink,
 * MirrorMaker 2, the producer/consumer limit, cost, steady-state latency, CLI timings, the failover
 * with the source frozen and the target list. It does not judge the numbers (CI machines are too
 * noisy), only that every phase ran and accounted for every record and mirror.
 * Invariants: every wait of the bench is stretched (--patience) so a loaded machine only takes longer;
 * a failed child is reported with its command, exit code or signal and stderr tail (never only
 * "Command failed"), and a failed phase with the error the bench recorded for it.
 */
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../../src/local-kafka/paths.js';
import { describeRun, recordRun } from '../helpers/explain.js';
import { getClusters } from '../helpers/kafka.js';

const out = mkdtempSync(join(tmpdir(), 'clink-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs a child to its end; a non-zero exit, a signal or a timeout throws with the command, status and stderr tail. */
async function must(command: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  const started = Date.now();
  const r = await execa(command[0] ?? '', command.slice(1), { cwd: repoRoot, reject: false, timeout: timeoutMs, all: false });
  const record = {
    command, exitCode: r.exitCode ?? null, signal: r.signal ?? null, stderr: String(r.stderr), ms: Date.now() - started,
    ...(r.timedOut ? { note: `timed out after ${timeoutMs} ms` } : {}),
  };
  recordRun(record);
  if (r.exitCode !== 0) throw new Error(`a child of the bench smoke test failed:\n${describeRun(record, 60)}\n  stdout tail:\n${String(r.stdout).split('\n').slice(-15).join('\n')}`);
  return { stdout: String(r.stdout), stderr: String(r.stderr) };
}

it('runs the quick bench and writes a complete results JSON', async () => {
  const { source, destination } = getClusters();
  await must([process.execPath, join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'bench', 'tsconfig.json')], 120_000);
  const run = await must([
    process.execPath, join(repoRoot, 'bench', '.build', 'bench', 'run.js'), '--quick', '--mb', '10', '--codecs', 'none', '--mirrors', '5', '--cli-runs', '2',
    '--skip-warmup', '--latency-seconds', '2', '--patience', '4', '--scale', '2x3', '--scale-mb', '1', '--idle-seconds', '2', '--load-seconds', '2',
    '--source', source.bootstrap, '--dest', destination.bootstrap, '--out', out,
  ], 540_000);
  expect(run.stdout).toContain('targets:');
  const files = readdirSync(out).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  const report = JSON.parse(readFileSync(join(out, files[0] ?? ''), 'utf8'));
  // A phase that failed inside the bench is recorded, not thrown: say which and why before the field checks.
  expect(report.latencyError, 'latency phase error').toBeNull();
  expect(report.cli?.failoverError ?? null, 'failover phase error').toBeNull();
  expect(report.codecs.none?.mm2Error ?? null, 'MirrorMaker 2 phase error').toBeNull();
  expect(report).toMatchObject({ mode: 'quick', machine: { nproc: expect.any(Number), memoryGiB: expect.any(Number), kafka: expect.any(String) } });
  const none = report.codecs.none;
  expect(none.records).toBe(10240);
  for (const key of ['seconds', 'MBps', 'recordsPerSec', 'cpuSeconds', 'cpuSecondsPerGiB', 'peakRssMB']) expect(none.clink[key], `clink.${key}`).toBeGreaterThan(0);
  for (const key of ['seconds', 'MBps', 'recordsPerSec', 'secondsFromStart', 'MBpsFromStart']) expect(none.mm2[key], `mm2.${key}`).toBeGreaterThan(0);
  expect(none.mm2.destinationRecords).toBeGreaterThanOrEqual(10240);
  for (const key of ['MBps', 'recordsPerSec']) {
    expect(none.limit[key]).toBeGreaterThan(0);
    expect(none.limit.consumer[key]).toBeGreaterThan(0);
    expect(none.limit.producer[key]).toBeGreaterThan(0);
  }
  expect(none.ratios.clinkVsMm2).toBeGreaterThan(0);
  expect(none.ratios.clinkVsLimit).toBeGreaterThan(0);
  expect(none.loadAverage).toMatchObject({ beforeClink: expect.any(Number), beforeLimitProducer: expect.any(Number) });
  expect(report.transactionsError, 'transactions phase error').toBeNull();
  expect(report.transactions).toMatchObject({ records: 10000, partitions: 6, transactionMs: 100 });
  for (const side of ['plain', 'transactional']) expect(report.transactions[side].recordsPerSec, `transactions.${side}.recordsPerSec`).toBeGreaterThan(0);
  expect(report.transactions.plain.markers).toBe(0);
  expect(report.transactions.transactional.markers, 'markers in the transactional topic').toBeGreaterThan(0);
  expect(report.transactions.transactional.markerWait.count, 'marker waits measured (one per mirrored marker)').toBe(report.transactions.transactional.markers);
  expect(report.transactions.transactional.markerWait.p50Ms).toBeLessThanOrEqual(report.transactions.transactional.markerWait.p99Ms);
  expect(report.latency.rates.map((r: { targetMBps: number }) => r.targetMBps)).toEqual([1, 5, 20]);
  for (const rate of report.latency.rates) {
    expect(rate.received, `latency at ${rate.targetMBps} MB/s`).toBe(rate.produced);
    expect(rate.produced).toBeGreaterThan(0);
    for (const key of ['achievedMBps', 'p50Ms', 'p99Ms', 'p999Ms', 'maxMs']) expect(rate[key], `latency.${key}`).toEqual(expect.any(Number));
    expect(rate.p50Ms).toBeLessThanOrEqual(rate.p99Ms);
    expect(rate.p99Ms).toBeLessThanOrEqual(rate.maxMs);
  }
  expect(report.latency.engine).toMatchObject({ cpuSeconds: expect.any(Number), peakRssMB: expect.any(Number) });
  expect(report.cli).toMatchObject({ mirrors: 5, versionMs: expect.any(Number), mirrorListMs: expect.any(Number), failoverError: null });
  expect(report.cli.failover).toMatchObject({ mirrors: 5, sourceStopped: 'SIGSTOP', exitCode: 0, stoppedAfter: 5, failoverMs: expect.any(Number) });
  expect(report.cli.failover.workerStartToActiveSeconds).toBeGreaterThan(0);
  expect(report.scale).toHaveLength(1);
  const scale = report.scale[0];
  expect(scale.error, 'scale phase error').toBeNull();
  expect(scale.mm2Error, 'scale phase MirrorMaker 2 error').toBeNull();
  expect(scale).toMatchObject({ size: '2x3', topics: 2, partitionsPerTopic: 3, partitions: 6, records: 1026 });
  for (const key of ['catchUpSeconds', 'cpuSecondsPerGiB']) expect(scale.clink[key], `scale.clink.${key}`).toBeGreaterThan(0);
  expect(scale.clink.catchUp.peakRssMB).toBeGreaterThan(0);
  expect(scale.clink.idle.cpuPercentOfCore).toEqual(expect.any(Number));
  expect(scale.clink.load.samples).toBeGreaterThan(0);
  expect(scale.clink.load.lagP99).toBeLessThanOrEqual(scale.clink.load.lagMax);
  for (const key of ['mirrorList', 'mirrorDescribe', 'linkDescribe', 'workerStatus']) expect(scale.cliMs[key], `scale.cliMs.${key}`).toBeGreaterThan(0);
  expect(scale.mm2.secondsFromStart).toBeGreaterThan(0);
  expect(scale.mm2.catchUp.cpuSeconds).toBeGreaterThan(0);
  expect(report.targets.map((t: { name: string }) => t.name)).toEqual([
    'catch-up vs MM2 (none)', 'catch-up vs limit (none)', 'worker peak RSS', 'catch-up CPU-s per GiB (none)', 'clink --version',
    'mirror latency p99 at 5 MB/s', 'failover of 5 mirrors, source frozen',
  ]);
}, 720_000);
