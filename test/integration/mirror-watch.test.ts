/**
 * `--watch` on `mirror list` and `mirror describe` against the real brokers. On a terminal (a tmux
 * pane of its own server): the table is redrawn in place (after several refreshes the pane and its
 * whole history hold one copy of it) and Ctrl-C ends it with exit 130. Off a terminal: -o json is one
 * JSON document per line until SIGINT (exit 130, nothing on stderr); human output is refused with a
 * usage error (exit 2) before anything is read.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execa, execaSync } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { getClusters, kafkaFor, uniqueName, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, repoRoot, tempDir, type ClinkHome, type ClinkResult } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const bin = path.join(repoRoot, 'bin', 'clink.js');
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(() => {
  ({ source, destination } = getClusters());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

const explain = (r: ClinkResult) => `exit ${r.exitCode}\nstdout: ${r.stdout.slice(-1500)}\nstderr: ${r.stderr.slice(-1500)}`;

async function homeWithMirror(): Promise<{ home: ClinkHome; topic: string }> {
  const topic = uniqueName('watch-topic');
  const admin = kafkaFor('source').admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
  await admin.disconnect();
  const home = clinkHome();
  for (const args of [
    ['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap],
    ['link', 'create', 'dr-link', '--source-bootstrap-server', source.bootstrap],
    ['mirror', 'create', topic, '--link', 'dr-link', '--no-start'],
  ]) {
    const r = await home.run(args);
    expect(r.exitCode, explain(r)).toBe(0);
  }
  return { home, topic };
}

function tmuxOrFail(): void {
  try {
    execaSync('tmux', ['-V']);
  } catch {
    throw new Error('tmux is needed for the --watch terminal test: install it with `apt-get install tmux`');
  }
}

describe('mirror list --watch on a terminal', () => {
  it('redraws the table in place every second and exits 130 on Ctrl-C', async () => {
    tmuxOrFail();
    const { home, topic } = await homeWithMirror();
    const dir = tempDir('clink-watch-');
    const socket = path.join(dir, 'tmux.sock');
    const exitFile = path.join(dir, 'exit');
    const tmux = (...args: string[]) => execa('tmux', ['-S', socket, ...args], { reject: false });
    const command = `trap true INT; env CLINK_CONFIG_DIR='${home.configDir}' NO_COLOR=1 CLINK_CLUSTER= '${process.execPath}' '${bin}' mirror list --watch 1; echo $? > '${exitFile}'`;
    const started = await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'watch', '-x', '200', '-y', '40', 'bash', '-c', command);
    expect(started.exitCode, `tmux new-session: ${started.stderr}`).toBe(0);
    // Cleanups run last-in first-out: the server is killed while its socket still exists, then the dir goes.
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => tmux('kill-server'));
    await tmux('set-option', '-t', 'watch', 'remain-on-exit', 'on');

    const screen = async () => (await tmux('capture-pane', '-p', '-t', 'watch', '-S', '-')).stdout;
    // Three different refresh times seen on the screen: the first frame and two redraws.
    const times = new Set<string>();
    let last = '';
    await waitFor(async () => {
      last = await screen();
      for (const m of last.matchAll(/Every 1s: clink mirror list {4}(\S+)/g)) times.add(m[1]!);
      return times.size >= 3 && last.includes(topic);
    }, { timeoutMs: 60_000, intervalMs: 100, message: () => `the watch did not refresh twice; pane:\n${last}` });

    const whole = await screen();
    const count = (needle: string) => whole.split(needle).length - 1;
    expect(count('Mirror Topic Name'), `one table in the pane and its history (redrawn in place):\n${whole}`).toBe(1);
    expect(count('Every 1s: clink mirror list'), `one title:\n${whole}`).toBe(1);
    expect(count(topic), `one row (mirror and source topic names):\n${whole}`).toBe(2);

    await tmux('send-keys', '-t', 'watch', 'C-c');
    await waitFor(() => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8').trim() !== '', { timeoutMs: 30_000, intervalMs: 100, message: 'the watch did not end on Ctrl-C' });
    expect(fs.readFileSync(exitFile, 'utf8').trim()).toBe('130');
    const after = await screen();
    expect(after, 'no error line for the normal end of a watch').not.toContain('Error:');
    expect(after.split('Mirror Topic Name').length - 1, `the last frame stays, once:\n${after}`).toBe(1);
  }, 180_000);
});

describe('--watch off a terminal', () => {
  it('-o json writes one JSON document per line until SIGINT (exit 130)', async () => {
    const { home, topic } = await homeWithMirror();
    const child = execa(process.execPath, [bin, 'mirror', 'describe', topic, '--link', 'dr-link', '--watch', '0.5', '-o', 'json'], {
      reject: false, env: { CLINK_CONFIG_DIR: home.configDir, NO_COLOR: '1', CLINK_CLUSTER: '' }, stripFinalNewline: false,
    });
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    await waitFor(() => out.split('\n').length > 2, { timeoutMs: 60_000, intervalMs: 50, message: () => `fewer than two JSON lines: ${JSON.stringify(out)}` });
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, `exit after SIGINT; stderr: ${String(r.stderr)}`).toBe(130);
    expect(String(r.stderr)).toBe('');
    const lines = String(r.stdout).split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const doc = JSON.parse(line) as Array<{ mirror_topic_name: string; partition: number }>;
      expect(doc.map((p) => [p.mirror_topic_name, p.partition])).toEqual([[topic, 0], [topic, 1]]);
    }
  }, 120_000);

  it('-o yaml writes --- documents; human output is refused with exit 2 before anything is read', async () => {
    const { home, topic } = await homeWithMirror();
    const yaml = execa(process.execPath, [bin, 'mirror', 'list', '--watch', '0.5', '-o', 'yaml'], {
      reject: false, env: { CLINK_CONFIG_DIR: home.configDir, NO_COLOR: '1', CLINK_CLUSTER: '' }, stripFinalNewline: false,
    });
    cleanups.push(() => yaml.kill('SIGKILL'));
    let out = '';
    yaml.stdout!.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    await waitFor(() => out.split('---\n').length > 2, { timeoutMs: 60_000, intervalMs: 50, message: () => `fewer than two YAML documents: ${JSON.stringify(out)}` });
    yaml.kill('SIGINT');
    expect((await yaml).exitCode).toBe(130);
    expect(out.startsWith(`---\n- link_name: dr-link\n  mirror_topic_name: ${topic}\n`), out).toBe(true);

    const human = await home.run(['mirror', 'list', '--watch']);
    expect(human.exitCode, explain(human)).toBe(2);
    expect(human.stderr).toMatch(/^Error: --watch redraws the screen in human output, and standard output is not a terminal\n\nSuggestions:\n {4}Use `-o json`/);
    expect(human.stdout).toBe('');
  }, 120_000);
});
