/**
 * Runs every line of bad-inputs.cases.ts against the real test clusters. Per case: a fresh copy of
 * the fixture store, the command, then: the documented exit code; stderr matches the case's pattern
 * and is a clink error (`Error: …` with `Suggestions:`, or the JSON error with -o json); stdout is
 * empty; every file of the config directory (store, lock, worker state) is byte-identical; and the
 * topics of this file (all named with its one prefix) are the same on both clusters as before.
 * Invariants: the fixture is built once through the CLI itself and only ever copied; cases run a few
 * at a time (each in its own copy), and since none may create a topic, any topic that appears fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUTS, FILES, type BadInput, type Fixture } from './bad-inputs.cases.js';
import { describeRun } from '../helpers/explain.js';
import { getClusters, kafkaFor, uniqueName, withAdmin, type ClusterSide } from '../helpers/kafka.js';
import { clinkHome, tempDir } from '../helpers/run-clink.js';

const PREFIX = uniqueName('bad');
const tokens: Record<string, string> = {
  mirror: `${PREFIX}-mirror`,
  stopped: `${PREFIX}-stopped`,
  plain: `${PREFIX}-plain`,
  new: `${PREFIX}-new`,
  srconly: `${PREFIX}-srconly`,
};
let template = '';
const scratch: string[] = [];
const admins = new Map<ClusterSide, ReturnType<ReturnType<typeof kafkaFor>['admin']>>();

/** Shell-like split: whitespace separates words, '…' quotes one. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

function substitute(text: string, files: Record<string, string>): string {
  return text.replace(/\{(file:)?([\w.-]+)\}/g, (whole, file: string | undefined, name: string) => {
    if (file) return files[name] ?? whole;
    return tokens[name] ?? whole;
  });
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A case's pattern with its escaped tokens (`\{new\}`) replaced by the escaped names. */
const withTokens = (pattern: RegExp): RegExp =>
  new RegExp(pattern.source.replace(/\\\{(\w+)\\\}/g, (whole, name: string) => (tokens[name] ? escape(tokens[name]) : whole)), pattern.flags);

/** Every file under dir, relative path → bytes (directories as empty entries, so a new one shows). */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isDirectory()) {
        out.set(`${rel}/`, Buffer.alloc(0));
        walk(full);
      } else {
        out.set(rel, fs.readFileSync(full));
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

function changes(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].sort().flatMap((n) => {
    const [a, b] = [before.get(n), after.get(n)];
    if (a && b) return a.equals(b) ? [] : [`changed: ${n}`];
    return [a ? `removed: ${n}` : `created: ${n}`];
  });
}

async function ourTopics(): Promise<Record<ClusterSide, string[]>> {
  const list = async (side: ClusterSide) => (await admins.get(side)!.listTopics()).filter((t) => t.startsWith(PREFIX)).sort();
  const [source, destination] = await Promise.all([list('source'), list('destination')]);
  return { source, destination };
}

function prepare(fixture: Fixture): string {
  const dir = tempDir('clink-bad-input-');
  scratch.push(dir);
  const config = path.join(dir, 'config');
  if (fixture === 'none') return config;
  fs.cpSync(template, config, { recursive: true });
  const store = path.join(config, 'config.json');
  if (fixture === 'corrupt') fs.writeFileSync(store, fs.readFileSync(store, 'utf8').slice(0, 60));
  if (fixture === 'directory') {
    fs.rmSync(store);
    fs.mkdirSync(store);
  }
  if (fixture === 'future-schema') fs.writeFileSync(store, JSON.stringify({ ...JSON.parse(fs.readFileSync(store, 'utf8')), schemaVersion: 99 }, null, '\t'));
  return config;
}

function writeFiles(c: BadInput): Record<string, string> {
  const dir = tempDir('clink-bad-input-files-');
  scratch.push(dir);
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries({ ...FILES, ...c.files })) {
    paths[name] = path.join(dir, name);
    fs.writeFileSync(paths[name], substitute(content, {}));
  }
  return paths;
}

beforeAll(async () => {
  const { source, destination } = getClusters();
  Object.assign(tokens, { src: source.bootstrap, srcSasl: source.saslBootstrap ?? '', dst: destination.bootstrap, srcId: source.clusterId, dstId: destination.clusterId });
  for (const side of ['source', 'destination'] as const) {
    const admin = kafkaFor(side).admin();
    await admin.connect();
    admins.set(side, admin);
  }
  await admins.get('source')!.createTopics({ topics: [tokens.mirror!, tokens.stopped!, tokens.plain!, tokens.srconly!].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  await admins.get('destination')!.createTopics({ topics: [{ topic: tokens.plain!, numPartitions: 1 }], waitForLeaders: true });
  const home = clinkHome();
  template = home.configDir;
  scratch.push(template);
  const must = async (args: string[]) => {
    const r = await home.run(args);
    if (r.exitCode !== 0) throw new Error(`fixture set-up failed:\n${describeRun({ command: ['clink', ...args], exitCode: r.exitCode, stderr: r.stderr })}`);
  };
  await must(['cluster', 'add', 'dst', '--bootstrap-server', destination.bootstrap]);
  await must(['link', 'create', 'bad-link', '--source-bootstrap-server', source.bootstrap]);
  await must(['mirror', 'create', tokens.mirror!, '--link', 'bad-link', '--no-start']);
  await must(['mirror', 'create', tokens.stopped!, '--link', 'bad-link', '--no-start']);
  await must(['mirror', 'failover', tokens.stopped!, '--link', 'bad-link']);
}, 120_000);

afterAll(async () => {
  for (const [side, admin] of admins) {
    const topics = (await admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(PREFIX));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    admins.delete(side);
  }
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

describe('bad inputs (bad-inputs.cases.ts)', () => {
  it('has at least 60 cases, each command group covered', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(60);
    for (const group of ['cluster', 'link', 'mirror', 'worker', 'completion']) {
      expect(BAD_INPUTS.some((c) => words(c.argv).includes(group)), group).toBe(true);
    }
  });

  it.concurrent.each(BAD_INPUTS.map((c) => [`${c.fixture && c.fixture !== 'store' ? `[${c.fixture}] ` : ''}${c.env ? `${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')} ` : ''}clink ${c.argv}`, c] as const))('%s', async (_name, c) => {
    const files = writeFiles(c);
    const argv = words(c.argv).map((w) => substitute(w, files));
    const configDir = prepare(c.fixture ?? 'store');
    const topicsBefore = await ourTopics();
    const filesBefore = snapshot(configDir);
    const r = await clinkHome(configDir).run(argv, { env: c.env ?? {} });
    const why = `\n${describeRun({ command: ['clink', ...argv], exitCode: r.exitCode, stderr: r.stderr })}\n  stdout: ${JSON.stringify(r.stdout.slice(0, 500))}`;
    expect(r.exitCode, `exit code${why}`).toBe(c.exit);
    expect(r.stderr, `stderr pattern${why}`).toMatch(withTokens(c.stderr));
    if (argv.includes('json')) expect(JSON.parse(r.stderr), `a JSON error${why}`).toMatchObject({ error: { exit_code: c.exit } });
    else expect(r.stderr, `an Error: with Suggestions:${why}`).toMatch(/^Error: [^\n]+\n(?:[^\n]+\n)*\nSuggestions:\n {4}\S/);
    if (c.stdout) expect(r.stdout, `stdout pattern${why}`).toMatch(withTokens(c.stdout));
    else expect(r.stdout, `nothing on stdout${why}`).toBe('');
    expect(changes(filesBefore, snapshot(configDir)), `config directory unchanged${why}`).toEqual([]);
    expect(await ourTopics(), `no topic created or deleted${why}`).toEqual(topicsBefore);
  });
});
