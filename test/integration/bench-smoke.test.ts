/**
 * Smoke test of `npm run bench` (bench/run.ts): compiles the bench, runs it in quick mode with a tiny
 * volume (10 MB, uncompressed only, 2 s per latency rate, 5 mirrors for the CLI and failover part)
 * against the integration clusters, and checks that the results JSON has every field — clink,
 * MirrorMaker 2, the producer/consumer limit, cost, steady-state latency, CLI timings, the failover
 * with the source frozen and the target list. It does not judge the numbers (CI machines are too
 * noisy), only that every phase ran and accounted for every record and mirror.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../../src/local-kafka/paths.js';
import { getClusters } from '../helpers/kafka.js';

const exec = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'clink-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('runs the quick bench and writes a complete results JSON', async () => {
  const { source, destination } = getClusters();
  await exec(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'bench', 'tsconfig.json')], { cwd: repoRoot });
  const run = await exec(process.execPath, [
    join(repoRoot, 'bench', '.build', 'bench', 'run.js'), '--quick', '--mb', '10', '--codecs', 'none', '--mirrors', '5', '--cli-runs', '2',
    '--skip-warmup', '--latency-seconds', '2',
    '--source', source.bootstrap, '--dest', destination.bootstrap, '--out', out,
  ], { cwd: repoRoot, timeout: 150_000 });
  expect(run.stdout).toContain('targets:');
  const files = readdirSync(out).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  const report = JSON.parse(readFileSync(join(out, files[0] ?? ''), 'utf8'));
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
  expect(report.latencyError).toBeNull();
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
  expect(report.targets.map((t: { name: string }) => t.name)).toEqual([
    'catch-up vs MM2 (none)', 'catch-up vs limit (none)', 'worker peak RSS', 'clink --version',
    'mirror latency p99 at 5 MB/s', 'failover of 5 mirrors, source frozen',
  ]);
}, 180_000);
