/**
 * The published package installs and runs: `npm pack` of this checkout (already built by `pretest`;
 * --ignore-scripts so nothing rebuilds dist/ under the other tests), `npm install -g` of the tarball
 * into a clean prefix (its dependencies come from the npm cache that `npm ci` filled, else the
 * registry), then `clink --version`, `clink --help` and `link create --dry-run --no-validate` from
 * that prefix, outside the repository. Invariants: the tarball holds the CLI, its docs and LICENSE and
 * none of the repository's dev tooling (demo, local clusters, generators), sources, tests or maps;
 * the dry run leaves the config store without a link.
 */
import { execa } from 'execa';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, recordRun, type RunRecord } from '../helpers/explain.js';
import { repoRoot, tempDir } from '../helpers/run-clink.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; license: string; bin: Record<string, string> };
const work = tempDir('clink-package-');
const prefix = path.join(work, 'prefix');
const home = path.join(work, 'home');
let files: string[] = [];

/** The environment of a user's shell: none of the npm_* variables `npm test` sets, except the cache the install may read. */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  if (process.env.npm_config_cache) env.npm_config_cache = process.env.npm_config_cache;
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CLINK_CLUSTER: '', ...extra };
}

async function must(command: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<string> {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 60_000;
  const r = await execa(command[0] ?? '', command.slice(1), { cwd: options.cwd ?? work, env: options.env ?? userEnv(), extendEnv: false, reject: false, timeout, input: '' });
  const record: RunRecord = { command, exitCode: r.exitCode ?? null, signal: r.signal ?? null, stderr: String(r.stderr), ms: Date.now() - started, ...(r.timedOut ? { note: `timed out after ${timeout} ms` } : {}) };
  recordRun(record);
  if (r.exitCode !== 0) throw new Error(`${describeRun(record)}\n  stdout:\n${String(r.stdout).slice(-2000)}`);
  return String(r.stdout);
}

beforeAll(async () => {
  const packed = JSON.parse(await must(['npm', 'pack', '--ignore-scripts', '--json', '--pack-destination', work, repoRoot], { timeoutMs: 120_000 })) as { filename: string; files: { path: string }[] }[];
  files = packed[0]?.files.map((f) => f.path) ?? [];
  const tarball = path.join(work, packed[0]?.filename ?? '');
  await must(['npm', 'install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', tarball], { timeoutMs: 300_000 });
}, 420_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('declares what a registry needs', () => {
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(pkg.bin).toEqual({ clink: 'bin/clink.js' });
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).engines).toEqual({ node: '>=20' });
  });

  it('ships the CLI, its docs and LICENSE, and no dev tooling, sources, tests or source maps', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/clink.js', 'dist/cli/main.js', 'dist/worker/entry.js', 'docs/commands.md', 'docs/exit-codes.md', 'completions/clink.bash']) {
      expect(files, f).toContain(f);
    }
    const unwanted = files.filter((f) => /^(src|test|bench|kafka|\.ci)\/|^dist\/(demo|local-kafka|cli\/dev)\/|\.map$|\.test\.js$|^tsconfig|^vitest/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('runs from a clean global prefix: --version, --help and a dry-run link create', async () => {
    const clink = path.join(prefix, 'bin', 'clink');
    const configDir = path.join(home, 'config');
    const env = userEnv({ HOME: home, CLINK_CONFIG_DIR: configDir, CLINK_STATE_DIR: path.join(home, 'state') });
    expect((await must([clink, '--version'], { env })).trim()).toBe(pkg.version);
    const help = await must([clink, '--help'], { env });
    for (const group of ['cluster', 'link', 'mirror', 'worker']) expect(help).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
    await must([clink, 'cluster', 'add', 'dr', '--bootstrap-server', 'dr-kafka:9092', '--no-validate'], { env });
    const before = readFileSync(path.join(configDir, 'config.json'));
    const dry = await must([clink, 'link', 'create', 'dr-link', '--source-bootstrap-server', 'src-kafka:9092', '--dry-run', '--no-validate'], { env });
    expect(dry).toContain('[DRY RUN] Created cluster link "dr-link"');
    expect(readFileSync(path.join(configDir, 'config.json')).equals(before)).toBe(true);
  });
});
