/**
 * Smoke test of `npm run bench` (bench/run.ts): compiles the bench, runs it in quick mode with a tiny
 * volume (10 MB, uncompressed only, 5 mirrors for the CLI part) against the integration clusters, and
 * checks that the results JSON has every field — clink, MirrorMaker 2, the producer/consumer limit,
 * cost, CLI timings and the target list. It does not judge the numbers (CI machines are too noisy).
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
  expect(report.cli).toMatchObject({ mirrors: 5, versionMs: expect.any(Number), mirrorListMs: expect.any(Number) });
  expect(report.targets.map((t: { name: string }) => t.name)).toEqual([
    'catch-up vs MM2 (none)', 'catch-up vs limit (none)', 'worker peak RSS', 'clink --version',
  ]);
}, 180_000);
