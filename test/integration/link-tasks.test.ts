/**
 * A link's own tasks run as soon as the link exists (issue 17), through the CLI and a real worker,
 * over the harness's SASL listeners: ACL sync with no mirror, --no-start (nothing runs, describe says
 * how to start it, configuration update starts it), and auto-create with no mirror. Also
 * `link task list` goldens (human/json/yaml) and its error cases.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { getClusters, uniqueName, withAdmin, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, normalise, repoRoot, tempDir, type ClinkHome, type ClinkResult } from '../helpers/run-clink.js';
import { waitFor } from '../../src/util/wait-for.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const SYNC_MS = 1000;
const golden = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'output', 'link', name);
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(() => {
  ({ source, destination } = getClusters());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const ADMIN_SASL = [
  'security.protocol=SASL_PLAINTEXT',
  'sasl.mechanism=PLAIN',
  'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret";',
];

function file(name: string, lines: string[]): string {
  const f = path.join(tempDir(), name);
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

const explain = (r: ClinkResult) => `exit ${r.exitCode}\nstdout: ${r.stdout.slice(-1500)}\nstderr: ${r.stderr.slice(-1500)}`;

/** A home with the SASL destination registered; its workers are stopped after the test. */
async function saslHome(...links: string[]): Promise<ClinkHome> {
  const home = clinkHome();
  cleanups.push(async () => {
    for (const link of links) await home.run(['worker', 'stop', link]);
  });
  const r = await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.saslBootstrap!, '--config-file', file('dr.config', ADMIN_SASL)]);
  expect(r.exitCode, explain(r)).toBe(0);
  return home;
}

function aclLinkConfig(principal: string): string {
  const filters = { aclFilters: [{ resourceFilter: { resourceType: 'any', patternType: 'any' }, accessFilter: { principal, operation: 'any', permissionType: 'any' } }] };
  return file('acl-link.config', [
    `bootstrap.servers=${source.saslBootstrap}`,
    ...ADMIN_SASL,
    'acl.sync.enable=true',
    `acl.sync.ms=${SYNC_MS}`,
    `acl.filters=${JSON.stringify(filters)}`,
  ]);
}

function principalFor(): string {
  const principal = `User:${uniqueName('task-user')}`;
  cleanups.push(async () => {
    for (const side of ['source', 'destination'] as const) {
      await withAdmin(side, (admin) => admin.deleteAcls({ filters: [{
        resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, principal, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
      }] }));
    }
  });
  return principal;
}

const readAcl = (principal: string): AclEntry => ({
  resourceType: AclResourceTypes.TOPIC, resourceName: uniqueName('topic'), resourcePatternType: ResourcePatternTypes.LITERAL,
  principal, host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW,
});

async function hasAcl(side: 'source' | 'destination', a: AclEntry): Promise<boolean> {
  return withAdmin(side, async (admin) => {
    const { resources } = await admin.describeAcls({
      resourceType: a.resourceType, resourceName: a.resourceName, resourcePatternType: a.resourcePatternType, principal: a.principal,
      operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
    });
    return resources.some((r) => r.acls.some((x) => x.operation === a.operation && x.permissionType === a.permissionType));
  });
}

interface Described {
  worker_running: boolean;
  tasks: Array<{ task_name: string; state: string; errors: unknown[] }>;
  worker_start_command: string | null;
  note: string | null;
  acl_sync_acls: number | null;
}

async function describeJson(home: ClinkHome, link: string): Promise<Described> {
  const r = await home.run(['link', 'describe', link, '-o', 'json']);
  expect(r.exitCode, explain(r)).toBe(0);
  return JSON.parse(r.stdout) as Described;
}

async function taskStates(home: ClinkHome, link: string): Promise<Record<string, string>> {
  const r = await home.run(['link', 'task', 'list', link, '-o', 'json']);
  expect(r.exitCode, explain(r)).toBe(0);
  return Object.fromEntries((JSON.parse(r.stdout) as Array<{ task_name: string; state: string }>).map((t) => [t.task_name, t.state]));
}

/** Waits until the worker reports a successful ACL sync pass (through link describe). */
async function aclPassed(home: ClinkHome, link: string): Promise<void> {
  await waitFor(async () => {
    const r = await home.run(['link', 'describe', link, '-o', 'json']);
    return (JSON.parse(r.stdout) as { acl_sync: string }).acl_sync.startsWith('last synced');
  }, { timeoutMs: 60_000, intervalMs: 200, message: `no successful ACL sync pass of link "${link}"` });
}

describe('a link with only ACL sync enabled', () => {
  it('starts its worker on link create and syncs a new source ACL within 3 intervals, with no mirror', async () => {
    const home = await saslHome('acl-link');
    const principal = principalFor();
    const created = await home.run(['link', 'create', 'acl-link', '--config-file', aclLinkConfig(principal)]);
    expect(created.exitCode, explain(created)).toBe(0);
    expect(created.stdout).toContain('Started the worker of cluster link "acl-link": ACL sync running.\n');
    expect(created.stdout + created.stderr).not.toContain('admin-secret');

    const running = await describeJson(home, 'acl-link');
    expect(running.worker_running).toBe(true);
    expect(running.tasks).toEqual([{ task_name: 'AclSync', state: 'ACTIVE', errors: [] }]);
    expect(running.worker_start_command).toBeNull();
    expect(await taskStates(home, 'acl-link')).toEqual({ AclSync: 'ACTIVE', AutoCreateMirror: 'NOT_CONFIGURED', ConsumerOffsetSync: 'NOT_CONFIGURED', MirrorData: 'NOT_CONFIGURED', TopicConfigsSync: 'NOT_CONFIGURED' });
    const mirrors = await home.run(['mirror', 'list', '--link', 'acl-link', '-o', 'json']);
    expect(JSON.parse(mirrors.stdout)).toEqual([]);

    // Once a pass has run, a new source ACL must arrive within 3 intervals.
    await aclPassed(home, 'acl-link');
    const acl = readAcl(principal);
    await withAdmin('source', (admin) => admin.createAcls({ acl: [acl] }));
    await waitFor(() => hasAcl('destination', acl), { timeoutMs: 3 * SYNC_MS, intervalMs: 50, message: 'the ACL did not reach the destination within 3 acl.sync.ms intervals' });

    const stop = await home.run(['worker', 'stop', 'acl-link']);
    expect(stop.exitCode, explain(stop)).toBe(0);
    const stopped = await describeJson(home, 'acl-link');
    expect(stopped.tasks).toEqual([{ task_name: 'AclSync', state: 'STOPPED', errors: [] }]);
    expect(stopped.worker_start_command).toBe('clink worker start acl-link');
  }, 180_000);
});

describe('link create --no-start', () => {
  it('runs nothing, describe and task list say how to start it, and configuration update starts it', async () => {
    const home = await saslHome('acl-link');
    const principal = principalFor();
    const created = await home.run(['link', 'create', 'acl-link', '--config-file', aclLinkConfig(principal), '--no-start']);
    expect(created.exitCode, explain(created)).toBe(0);
    expect(created.stdout).toContain('Did not start the worker of cluster link "acl-link" (--no-start): ACL sync will not run until you start it with `clink worker start acl-link`.\n');

    const worker = await home.run(['worker', 'status', 'acl-link', '-o', 'json']);
    expect(JSON.parse(worker.stdout)).toEqual([expect.objectContaining({ worker_state: 'STOPPED' })]);
    expect(fs.existsSync(path.join(home.configDir, 'state', 'links', 'acl-link', 'status.json'))).toBe(false);

    const human = await home.run(['link', 'describe', 'acl-link']);
    expect(human.exitCode, explain(human)).toBe(0);
    expect(human.stdout).toMatch(/\| Tasks +\| AclSync STOPPED \(not running: the worker is stopped\) +\|/);
    expect(human.stderr).toBe('Note: The worker of cluster link "acl-link" is not running, so ACL sync does not run. Start it with `clink worker start acl-link`.\n');
    for (const format of ['json', 'yaml'] as const) {
      const r = await home.run(['link', 'describe', 'acl-link', '-o', format]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('clink worker start acl-link');
    }
    const d = await describeJson(home, 'acl-link');
    expect(d).toMatchObject({ worker_running: false, worker_start_command: 'clink worker start acl-link', tasks: [{ task_name: 'AclSync', state: 'STOPPED', errors: [] }] });
    expect(d.note).toContain('clink worker start acl-link');

    // link task list goldens: deterministic while the worker is stopped.
    const t = { [source.saslBootstrap!]: '<src-bs>' };
    for (const format of ['human', 'json', 'yaml']) {
      const r = await home.run(['link', 'task', 'list', 'acl-link', '-o', format]);
      expect(r.exitCode, explain(r)).toBe(0);
      expect(r.stderr).toBe('');
      await expect(normalise(r.stdout, t, format === 'human')).toMatchFileSnapshot(golden(`task-list.${format}.golden`));
    }

    // Changing the link without --no-start starts its worker, and the ACL sync runs.
    const acl = readAcl(principal);
    await withAdmin('source', (admin) => admin.createAcls({ acl: [acl] }));
    const update = await home.run(['link', 'configuration', 'update', 'acl-link', '--config', `acl.sync.ms=${SYNC_MS}`]);
    expect(update.exitCode, explain(update)).toBe(0);
    expect(update.stdout).toBe('Updated cluster link "acl-link".\nStarted the worker of cluster link "acl-link": ACL sync running.\n');
    await waitFor(() => hasAcl('destination', acl), { timeoutMs: 60_000, intervalMs: 100, message: 'the ACL did not reach the destination after the update started the worker' });
    expect((await describeJson(home, 'acl-link')).worker_running).toBe(true);
  }, 180_000);

  it('--dry-run and --no-validate start nothing and say what would start', async () => {
    const home = await saslHome();
    const config = aclLinkConfig(principalFor());
    const dry = await home.run(['link', 'create', 'acl-link', '--config-file', config, '--dry-run', '-o', 'json']);
    expect(dry.exitCode, explain(dry)).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, worker: { outcome: 'skipped', tasks: ['AclSync'], skip_reason: 'dry-run', start_command: 'clink worker start acl-link' } });
    const dryHuman = await home.run(['link', 'create', 'acl-link', '--config-file', config, '--dry-run']);
    expect(dryHuman.stdout).toContain('[DRY RUN] Would start the worker of cluster link "acl-link" for ACL sync.\n');
    const offline = await home.run(['link', 'create', 'acl-link', '--config-file', config, '--no-validate']);
    expect(offline.exitCode, explain(offline)).toBe(0);
    expect(offline.stdout).toContain('Did not start the worker of cluster link "acl-link" (--no-validate): ACL sync will not run until you start it with `clink worker start acl-link`.\n');
    expect((await describeJson(home, 'acl-link')).worker_running).toBe(false);
  }, 120_000);
});

describe('link task list errors', () => {
  it('names a missing link (exit 4) and a missing argument (exit 2), changing nothing', async () => {
    const home = await saslHome();
    const before = fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8');
    const missing = await home.run(['link', 'task', 'list', 'nope']);
    expect(missing.exitCode).toBe(4);
    expect(missing.stderr).toBe('Error: cluster link "nope" not found\n\nSuggestions:\n    List available cluster links with `clink link list`.\n');
    const noArg = await home.run(['link', 'task', 'list']);
    expect(noArg.exitCode).toBe(2);
    expect(noArg.stderr).toContain("missing required argument 'link'");
    expect(fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8')).toBe(before);
  });
});

describe('a link with auto-create and no mirrors', () => {
  it('starts its worker on link create and creates the first matching mirror by itself', async () => {
    const home = await saslHome('auto-link');
    const prefix = uniqueName('auto17');
    const topic = `${prefix}-orders`;
    await withAdmin('source', (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] }));
    const filters = JSON.stringify({ topicFilters: [{ name: prefix, patternType: 'PREFIXED', filterType: 'INCLUDE' }] });
    const created = await home.run(['link', 'create', 'auto-link', '--config-file', file('auto.config', [
      `bootstrap.servers=${source.saslBootstrap}`, ...ADMIN_SASL,
      'auto.create.mirror.topics.enable=true', `auto.create.mirror.topics.filters=${filters}`, 'topic.config.sync.ms=500',
    ])]);
    expect(created.exitCode, explain(created)).toBe(0);
    expect(created.stdout).toContain('Started the worker of cluster link "auto-link": auto-create mirror topics running.\n');
    await waitFor(async () => {
      const r = await home.run(['mirror', 'list', '--link', 'auto-link', '-o', 'json']);
      return (JSON.parse(r.stdout) as Array<{ mirror_topic_name: string }>).some((m) => m.mirror_topic_name === topic);
    }, { timeoutMs: 90_000, intervalMs: 250, message: `the worker did not auto-create mirror "${topic}"` });
    const tasks = await taskStates(home, 'auto-link');
    expect(tasks).toMatchObject({ AutoCreateMirror: 'ACTIVE', AclSync: 'NOT_CONFIGURED' });
    expect(['ACTIVE', 'IN_ERROR']).toContain(tasks.MirrorData);
  }, 180_000);
});
