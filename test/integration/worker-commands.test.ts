/**
 * `clink worker …`: one detached worker process per link, driven through the built CLI with the no-op
 * engine (CLINK_WORKER_ENGINE=noop), links stored with --no-validate against the harness clusters.
 * Invariants of the suite: every wait is on a condition, never a fixed sleep; every test leaves no
 * worker process behind (afterEach stops them, afterAll checks by their working directory).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { getClusters, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, repoRoot, tempDir, type ClinkResult } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

const ENTRY = path.join(repoRoot, 'dist', 'worker', 'entry.js');
const LINK = 'dr-link';
let source: ClusterInfo;
let destination: ClusterInfo;
const stateDirs: string[] = [];

interface WorkerHome {
  configDir: string;
  stateDir: string;
  env: Record<string, string>;
  run(args: string[]): Promise<ClinkResult>;
  log(): string;
}

beforeAll(() => {
  ({ source, destination } = getClusters());
});

async function homeWithLink(): Promise<WorkerHome> {
  const home = clinkHome();
  const stateDir = tempDir('clink-state-');
  stateDirs.push(stateDir);
  const env = { CLINK_CONFIG_DIR: home.configDir, CLINK_STATE_DIR: stateDir, CLINK_WORKER_ENGINE: 'noop' };
  const run = (args: string[]) => home.run(args, { env });
  expect((await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap, '--no-validate'])).exitCode).toBe(0);
  expect((await run(['link', 'create', LINK, '--source-bootstrap-server', source.bootstrap, '--cluster', 'dr', '--no-validate'])).exitCode).toBe(0);
  const log = () => fs.readFileSync(path.join(stateDir, 'links', LINK, 'worker.log'), 'utf8');
  return { configDir: home.configDir, stateDir, env, run, log };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Live worker processes started for this suite's state directories (found by their working directory). */
async function ourWorkers(): Promise<number[]> {
  const found = await execa('pgrep', ['-f', 'dist/worker/entry.js|worker run'], { reject: false });
  return String(found.stdout)
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
        return stateDirs.some((dir) => cwd.startsWith(dir));
      } catch {
        return false;
      }
    });
}

async function started(home: WorkerHome): Promise<number> {
  const r = await home.run(['worker', 'start', LINK]);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  const match = /^Started worker for cluster link "dr-link" \(pid (\d+)\)\.\n$/.exec(r.stdout);
  expect(match).not.toBeNull();
  return Number(match![1]);
}

function appliedHashes(log: string): string[] {
  return [...log.matchAll(/INFO applied link snapshot \{"snapshot":"([0-9a-f]+)"/g)].map((m) => m[1]!);
}

afterEach(async () => {
  for (const pid of await ourWorkers()) process.kill(pid, 'SIGKILL');
  await waitFor(async () => (await ourWorkers()).length === 0, { timeoutMs: 5_000, message: 'worker processes survived SIGKILL' });
});

afterAll(async () => {
  expect(await ourWorkers()).toEqual([]);
});

describe('clink worker start, status, stop', () => {
  it('starts one worker per link, shows it RUNNING, refuses a second start and stops it', async () => {
    const home = await homeWithLink();
    const pid = await started(home);
    expect(isAlive(pid)).toBe(true);

    const status = await home.run(['worker', 'status', '-o', 'json']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ link_name: LINK, worker_state: 'RUNNING', pid, mirrors: 0, error: null }),
    ]);
    const human = await home.run(['worker', 'status', LINK]);
    expect(human.stdout).toMatch(new RegExp(`${LINK}\\s+\\|\\s+RUNNING\\s+\\|\\s+${pid}\\s+\\|`));
    expect(human.stdout.split('\n')[0]).toMatch(/Link Name \| Worker State \| +PID +\| +Started +\| +Last Heartbeat +\| Mirrors \| HTTP \| Error/);

    const statusFile = path.join(home.stateDir, 'links', LINK, 'status.json');
    const first = JSON.parse(fs.readFileSync(statusFile, 'utf8')) as { updatedAtMs: number; pid: number; ready: boolean };
    expect(first).toMatchObject({ pid, ready: true });
    await waitFor(() => (JSON.parse(fs.readFileSync(statusFile, 'utf8')) as { updatedAtMs: number }).updatedAtMs > first.updatedAtMs, {
      timeoutMs: 2_500,
      message: 'the heartbeat did not advance within 2.5 s',
    });

    const again = await home.run(['worker', 'start', LINK]);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toContain(`Error: worker for cluster link "${LINK}" is already running (pid ${pid})`);

    const stop = await home.run(['worker', 'stop', LINK]);
    expect(stop.stderr).toBe('');
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toBe(`Stopped worker for cluster link "${LINK}".\n`);
    expect(isAlive(pid)).toBe(false); // exited; init may take a moment to reap it, then the pid is gone
    await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, { timeoutMs: 10_000, message: `pid ${pid} was not reaped` });
    expect(() => process.kill(pid, 0)).toThrow();

    const stopAgain = await home.run(['worker', 'stop', LINK]);
    expect(stopAgain.exitCode).toBe(5);
    expect(stopAgain.stderr).toBe(
      `Error: worker for cluster link "${LINK}" is not running\n\nSuggestions:\n    Start it with \`clink worker start ${LINK}\`, or see every worker with \`clink worker status\`.\n`,
    );
    const after = JSON.parse((await home.run(['worker', 'status', '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(after).toEqual([expect.objectContaining({ link_name: LINK, worker_state: 'STOPPED', pid: null })]);
  });

  it('stops within 10 s on SIGTERM and releases its lock', async () => {
    const home = await homeWithLink();
    const pid = await started(home);
    const began = Date.now();
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !isAlive(pid), { timeoutMs: 10_000, message: 'the worker did not exit within 10 s of SIGTERM' });
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(fs.existsSync(path.join(home.stateDir, 'links', LINK, 'worker.lock'))).toBe(false);
    expect(home.log()).toContain('INFO worker stopped {"outcome":"stopped"}');
    expect(JSON.parse((await home.run(['worker', 'status', LINK, '-o', 'json'])).stdout)).toEqual([expect.objectContaining({ worker_state: 'STOPPED' })]);
  });

  it('refuses a second worker process for the same link (lock held: exit 5)', async () => {
    const home = await homeWithLink();
    const pid = await started(home);
    const second = await execa(process.execPath, [ENTRY, '--link', LINK, '--foreground'], { env: home.env, reject: false, timeout: 30_000 });
    expect(second.exitCode).toBe(5);
    expect(second.stderr).toContain(`ERROR worker for cluster link "${LINK}" is already running (pid ${pid})`);
    const detached = await execa(process.execPath, [ENTRY, '--link', LINK], { env: home.env, reject: false, timeout: 30_000 });
    expect(detached.exitCode).toBe(5);
    expect(isAlive(pid)).toBe(true);
  });

  it('applies a link config change in the running worker within about a second, without a restart', async () => {
    const home = await homeWithLink();
    const pid = await started(home);
    const before = appliedHashes(home.log());
    expect(before).toHaveLength(1);
    const update = await home.run(['link', 'configuration', 'update', LINK, '--config', 'consumer.offset.sync.ms=7000']);
    expect(update.exitCode).toBe(0);
    const began = Date.now();
    await waitFor(() => appliedHashes(home.log()).length === 2, { timeoutMs: 1_500, message: 'the change did not reach the worker within 1.5 s' });
    expect(Date.now() - began).toBeLessThan(1_500);
    const after = appliedHashes(home.log());
    expect(after[1]).not.toBe(after[0]);
    expect(home.log()).toMatch(/INFO noop engine apply \{"link_updated_at":"[^"]+","link_configs":1,"mirrors":0\}/);
    expect(isAlive(pid)).toBe(true);
    expect(home.log()).not.toContain(source.bootstrap); // the snapshot itself is never logged
  });

  it('exits by itself when its link is deleted', async () => {
    const home = await homeWithLink();
    const pid = await started(home);
    expect((await home.run(['link', 'delete', LINK, '--force'])).exitCode).toBe(0);
    await waitFor(() => !isAlive(pid), { timeoutMs: 5_000, message: 'the worker of a deleted link kept running' });
    expect(home.log()).toContain('INFO cluster link deleted from the config store; stopping');
  });

  it('fails to start with the tail of its log when its destination cluster is missing', async () => {
    const home = await homeWithLink();
    const storeFile = path.join(home.configDir, 'config.json');
    const store = JSON.parse(fs.readFileSync(storeFile, 'utf8')) as { clusters: Record<string, unknown> };
    store.clusters = {};
    fs.writeFileSync(storeFile, JSON.stringify(store));
    const r = await home.run(['worker', 'start', LINK]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: worker for cluster link "dr-link" exited with code 1 while starting; last lines of its log:\n {2}\S+ INFO worker starting/);
    expect(r.stderr).toContain('destination cluster \\"dr\\" of cluster link \\"dr-link\\" not found');
    expect(r.stderr).toContain('Suggestions:\n    See the whole log with `clink worker logs dr-link`');
    expect(await ourWorkers()).toEqual([]);
  });
});

describe('clink worker logs, run, unknown links', () => {
  it('prints the last lines of the log, and follows new ones', async () => {
    const home = await homeWithLink();
    await started(home);
    const tail = await home.run(['worker', 'logs', LINK, '--lines', '2']);
    expect(tail.exitCode).toBe(0);
    const lines = tail.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO applied link snapshot \{/);
    expect(lines[1]).toMatch(/INFO worker ready \{/);
    const json = JSON.parse((await home.run(['worker', 'logs', LINK, '--lines', '1', '-o', 'json'])).stdout) as { lines: string[] };
    expect(json.lines).toHaveLength(1);

    const follow = execa(process.execPath, [path.join(repoRoot, 'bin', 'clink.js'), 'worker', 'logs', LINK, '--follow', '--lines', '0'], { env: home.env, reject: false });
    let out = '';
    follow.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      // the follower prints nothing until a new line appears; keep changing the link until one shows
      await waitFor(async () => {
        await home.run(['link', 'configuration', 'update', LINK, '--config', `consumer.offset.sync.ms=${1000 + Math.floor(Math.random() * 1000)}`]);
        return out.includes('INFO applied link snapshot');
      }, { timeoutMs: 20_000, intervalMs: 200, message: 'worker logs --follow printed no new line' });
    } finally {
      follow.kill('SIGTERM');
      await follow;
    }
  });

  it('runs the worker in the foreground until SIGTERM', async () => {
    const home = await homeWithLink();
    const cli = execa(process.execPath, [path.join(repoRoot, 'bin', 'clink.js'), 'worker', 'run', LINK], { env: home.env, reject: false, cwd: home.stateDir });
    const statusFile = path.join(home.stateDir, 'links', LINK, 'status.json');
    await waitFor(() => fs.existsSync(statusFile) && (JSON.parse(fs.readFileSync(statusFile, 'utf8')) as { ready: boolean; pid: number }).pid === cli.pid && JSON.parse(fs.readFileSync(statusFile, 'utf8')).ready, {
      timeoutMs: 20_000,
      message: 'the foreground worker did not report ready',
    });
    const status = JSON.parse((await home.run(['worker', 'status', LINK, '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(status[0]).toMatchObject({ worker_state: 'RUNNING', pid: cli.pid });
    expect((await home.run(['worker', 'start', LINK])).exitCode).toBe(5);
    cli.kill('SIGTERM');
    const result = await cli;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('INFO worker ready');
    expect(home.log()).toContain('INFO worker stopped {"outcome":"stopped"}');
  });

  it('names an unknown link like the link commands do (exit 4)', async () => {
    const home = await homeWithLink();
    for (const args of [['start', 'nope'], ['stop', 'nope'], ['status', 'nope'], ['logs', 'nope'], ['run', 'nope']]) {
      const r = await home.run(['worker', ...args]);
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toBe('Error: cluster link "nope" not found\n\nSuggestions:\n    List available cluster links with `clink link list`.\n');
    }
    expect(fs.existsSync(path.join(home.stateDir, 'links', 'nope'))).toBe(false);
  });
});

describe('the worker HTTP endpoint (--http-port, http.listen)', () => {
  const get = async (url: string, init?: RequestInit) => {
    const r = await fetch(url, init);
    return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text(), allow: r.headers.get('allow') };
  };

  it('serves /metrics, /healthz and a read-only REST API where worker status says, and stops serving with the worker', async () => {
    const home = await homeWithLink();
    const r = await home.run(['worker', 'start', LINK, '--http-port', '0']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const match = /^Started worker for cluster link "dr-link" \(pid (\d+)\)\. Serving http:\/\/(127\.0\.0\.1:\d+)\/metrics\.\n$/.exec(r.stdout);
    expect(match, r.stdout).not.toBeNull();
    const address = match![2]!;
    const status = JSON.parse((await home.run(['worker', 'status', LINK, '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(status[0]).toMatchObject({ worker_state: 'RUNNING', http_address: address });

    const health = await get(`http://${address}/healthz`);
    expect(health).toMatchObject({ status: 200, type: 'application/json' });
    expect(JSON.parse(health.text)).toEqual({ status: 'RUNNING' });
    const metrics = await get(`http://${address}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain('clink_worker_ready{link="dr-link"} 1');
    expect(metrics.text).toContain('clink_link_max_lag_records{link="dr-link"} 0');
    expect(metrics.text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics.text).toMatch(/^nodejs_eventloop_lag_seconds /m);

    const base = `http://${address}/kafka/v3/clusters`;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const w = await get(`${base}/whatever/links/${LINK}`, { method });
      expect(w.status, method).toBe(405);
      expect(w.allow).toBe('GET, HEAD');
      expect(JSON.parse(w.text)).toEqual({ error_code: 405, message: expect.stringMatching(new RegExp(`^method ${method} is not allowed: the REST API of clink's worker is read-only`)) });
    }
    const unknown = await get(`${base}/no-such-cluster/links`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ error_code: 404, message: expect.stringMatching(/^cluster "no-such-cluster" not found: this worker serves cluster "/) });
    expect((await get(`http://${address}/nope`)).status).toBe(404);

    expect((await home.run(['worker', 'stop', LINK])).exitCode).toBe(0);
    await expect(fetch(`http://${address}/healthz`)).rejects.toThrow();
  });

  it('listens where the link config http.listen says, again after a restart', async () => {
    const home = await homeWithLink();
    // port 0: any free port (no race with other tests); worker status shows the one it got
    expect((await home.run(['link', 'configuration', 'update', LINK, '--config', 'http.listen=127.0.0.1:0', '--no-start'])).exitCode).toBe(0);
    for (let round = 0; round < 2; round++) {
      const pid = await startedServing(home);
      const status = JSON.parse((await home.run(['worker', 'status', LINK, '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
      expect(status[0]).toMatchObject({ pid, http_address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
      expect((await get(`http://${String(status[0]!.http_address)}/healthz`)).status).toBe(200);
      const human = await home.run(['worker', 'status', LINK]);
      expect(human.stdout).toContain(` ${String(status[0]!.http_address)} `);
      expect((await home.run(['worker', 'stop', LINK])).exitCode).toBe(0);
    }
  });

  it('refuses to start when the port is in use (exit 5), before the engine starts, for start and run', async () => {
    const home = await homeWithLink();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await home.run(['worker', 'start', LINK, '--http-port', String(port)]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `Error: the worker of cluster link "${LINK}" cannot listen for HTTP on 127.0.0.1:${port}: the address is already in use\n\nSuggestions:\n` +
          `    Choose another port (\`--http-port <port>\`, or the link config http.listen=127.0.0.1:<port>), or stop the process that holds it. The worker did not start; see \`clink worker logs ${LINK}\`.\n`,
      );
      expect(r.exitCode).toBe(5);
      expect(await ourWorkers()).toEqual([]);
      expect(home.log()).not.toContain('noop engine apply');
      const status = JSON.parse((await home.run(['worker', 'status', LINK, '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
      expect(status[0]).toMatchObject({ worker_state: 'STOPPED' });

      const run = await home.run(['worker', 'run', LINK, '--http-port', String(port)]);
      expect(run.exitCode).toBe(5);
      expect(run.stderr).toContain(`Error: the worker of cluster link "${LINK}" cannot listen for HTTP on 127.0.0.1:${port}: the address is already in use\n\nSuggestions:\n    Choose another port`);
      expect(home.log()).not.toContain('noop engine apply');
    } finally {
      holder.close();
    }
  });
});

async function startedServing(home: WorkerHome): Promise<number> {
  const r = await home.run(['worker', 'start', LINK]);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  const match = /^Started worker for cluster link "dr-link" \(pid (\d+)\)\. Serving http:\/\/127\.0\.0\.1:\d+\/metrics\.\n$/.exec(r.stdout);
  expect(match, r.stdout).not.toBeNull();
  return Number(match![1]);
}
