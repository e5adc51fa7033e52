/**
 * `clink mirror state-transition-error list` against the real brokers: a promote that was accepted
 * but whose lag could not reach 0 (the link's worker is frozen with SIGSTOP while the source grows,
 * so the mirror stays ACTIVE with lag 3) is recorded and listed, with human/json/yaml goldens; a
 * refused request (resume an ACTIVE mirror) and a dry run record nothing; unknown link and mirror
 * are errors (exit 4, also rows of bad-inputs.cases.ts).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, normalise, repoRoot, type ClinkHome, type ClinkResult } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const golden = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'output', 'mirror', name);
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(() => {
  ({ source, destination } = getClusters());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

const explain = (r: ClinkResult) => `exit ${r.exitCode}\nstdout: ${r.stdout.slice(-1500)}\nstderr: ${r.stderr.slice(-1500)}`;

async function produce(topic: string, count: number, from: number): Promise<void> {
  const producer = kafkaFor('source').producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: String(from + i) })) });
  await producer.disconnect();
}

async function sourceTopic(records: number): Promise<string> {
  const topic = uniqueName('ste-topic');
  const admin = kafkaFor('source').admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  await admin.disconnect();
  await produce(topic, records, 1);
  return topic;
}

interface PartitionJson { partition_mirror_lag: number; mirror_status: string }

async function describeJson(home: ClinkHome, topic: string): Promise<PartitionJson[]> {
  const r = await home.run(['mirror', 'describe', topic, '--link', 'dr-link', '-o', 'json']);
  expect(r.exitCode, explain(r)).toBe(0);
  return JSON.parse(r.stdout) as PartitionJson[];
}

/** A home whose link's worker mirrors `topic` and has caught up. */
async function caughtUpMirror(topic: string): Promise<ClinkHome> {
  const home = clinkHome();
  cleanups.push(() => home.run(['worker', 'stop', 'dr-link']));
  for (const args of [
    ['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap],
    ['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap],
    ['mirror', 'create', topic, '--link', 'dr-link'],
  ]) {
    const r = await home.run(args);
    expect(r.exitCode, explain(r)).toBe(0);
  }
  await waitFor(async () => {
    const parts = await describeJson(home, topic);
    return parts.length > 0 && parts.every((p) => p.mirror_status === 'ACTIVE' && p.partition_mirror_lag === 0);
  }, { timeoutMs: 90_000, intervalMs: 250, message: `mirror "${topic}" did not become ACTIVE with lag 0` });
  return home;
}

async function workerPid(home: ClinkHome): Promise<number> {
  const r = await home.run(['worker', 'status', 'dr-link', '-o', 'json']);
  const [w] = JSON.parse(r.stdout) as Array<{ worker_state: string; pid: number | null }>;
  expect(w?.pid, `a running worker\n${explain(r)}`).toBeGreaterThan(0);
  return w!.pid!;
}

interface ErrorJson { error_code: string; error_message: string; operation: string; error_time_ms: number }

async function listJson(home: ClinkHome, topic: string): Promise<ErrorJson[]> {
  const r = await home.run(['mirror', 'state-transition-error', 'list', topic, '--link', 'dr-link', '-o', 'json']);
  expect(r.exitCode, explain(r)).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as ErrorJson[];
}

describe('clink mirror state-transition-error list', () => {
  it('lists a promote that could not reach lag 0, not refusals or dry runs', async () => {
    const topic = await sourceTopic(5);
    const home = await caughtUpMirror(topic);
    expect(await listJson(home, topic)).toEqual([]);
    const none = await home.run(['mirror', 'state-transition-error', 'list', topic, '--link', 'dr-link']);
    expect(none.stdout).toBe('None found.\n');

    // Freeze the worker (it stays "running"), then grow the source: lag 3 cannot shrink.
    const pid = await workerPid(home);
    process.kill(pid, 'SIGSTOP');
    cleanups.push(() => process.kill(pid, 'SIGCONT'));
    await produce(topic, 3, 6);

    const dry = await home.run(['mirror', 'promote', topic, '--link', 'dr-link', '--dry-run']);
    expect(dry.exitCode, explain(dry)).toBe(0);
    const refused = await home.run(['mirror', 'resume', topic, '--link', 'dr-link']);
    expect(refused.exitCode, explain(refused)).toBe(5);

    const promote = await home.run(['mirror', 'promote', topic, '--link', 'dr-link', '--timeout', '2s']);
    expect(promote.exitCode, explain(promote)).toBe(3);
    expect(promote.stderr).toContain('mirror lag did not reach 0 within 2000 ms');
    process.kill(pid, 'SIGCONT');

    const errors = await listJson(home, topic);
    expect(errors).toEqual([{
      error_code: 'TIMEOUT',
      error_message: `mirror lag did not reach 0 within 2000 ms, so nothing was promoted: ${topic}[0] lag 3`,
      operation: 'promote',
      error_time_ms: expect.any(Number),
    }]);
    // Nothing was promoted: the mirror is still ACTIVE and catches up once the worker runs again.
    await waitFor(async () => (await describeJson(home, topic)).every((p) => p.mirror_status === 'ACTIVE' && p.partition_mirror_lag === 0) || undefined,
      { timeoutMs: 60_000, intervalMs: 250, message: 'the mirror did not catch up after SIGCONT' });

    const file = path.join(home.configDir, 'state', 'links', 'dr-link', 'transition-errors.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const time = String(errors[0]!.error_time_ms);
    const tokens = { [topic]: '<topic>', [time]: '<time-ms>' };
    for (const format of ['human', 'json', 'yaml']) {
      const r = await home.run(['mirror', 'state-transition-error', 'list', topic, '--link', 'dr-link', '-o', format]);
      expect(r.exitCode, explain(r)).toBe(0);
      await expect(normalise(r.stdout, tokens, format === 'human')).toMatchFileSnapshot(golden(`state-transition-error-list.${format}.golden`));
    }
  }, 240_000);

  it('names an unknown link or mirror (exit 4) and changes nothing', async () => {
    const home = clinkHome();
    await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
    await home.run(['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap]);
    const before = fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8');
    const link = await home.run(['mirror', 'state-transition-error', 'list', 'orders', '--link', 'nope']);
    expect(link.exitCode, explain(link)).toBe(4);
    expect(link.stderr).toBe('Error: cluster link "nope" not found\n\nSuggestions:\n    List available cluster links with `clink link list`.\n');
    const mirror = await home.run(['mirror', 'state-transition-error', 'list', 'orders', '--link', 'dr-link']);
    expect(mirror.exitCode, explain(mirror)).toBe(4);
    expect(mirror.stderr).toContain('mirror topic "orders" not found on cluster link "dr-link"');
    expect(fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8')).toBe(before);
  });
});
