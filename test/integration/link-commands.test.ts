/**
 * `clink link …` against the real brokers, following seed 002's dr-link.config: a SASL source whose
 * client security and link configs share one file. Every bad input fails clearly and stores nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { getClusters, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, normalise, repoRoot, tempDir, type ClinkHome } from '../helpers/run-clink.js';

let source: ClusterInfo;
let destination: ClusterInfo;
const PASSWORD = 'alice-secret';
const golden = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'output', 'link', name);
const GROUP_FILTERS = '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}';

beforeAll(() => {
  ({ source, destination } = getClusters());
});

function writeFile(name: string, lines: string[]): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function drLinkConfig(password = PASSWORD, extra: string[] = []): string {
  return writeFile('dr-link.config', [
    `bootstrap.servers=${source.saslBootstrap}`,
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanism=PLAIN',
    `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="${password}";`,
    'consumer.offset.sync.enable=true',
    `consumer.offset.group.filters=${GROUP_FILTERS}`,
    'consumer.offset.sync.ms=10000',
    ...extra,
  ]);
}

async function homeWithDestination(): Promise<ClinkHome> {
  const home = clinkHome();
  const r = await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
  expect(r.exitCode).toBe(0);
  return home;
}

function storeText(home: ClinkHome): string {
  return fs.readFileSync(path.join(home.configDir, 'config.json'), 'utf8');
}

function tokens(home: ClinkHome): Record<string, string> {
  const store = JSON.parse(storeText(home)) as { links: Record<string, { linkId: string }> };
  const map: Record<string, string> = {
    [source.saslBootstrap!]: '<src-bs>',
    [source.bootstrap]: '<src-plain>',
    [destination.bootstrap]: '<dr-bs>',
    [source.clusterId]: '<source-id>',
    [destination.clusterId]: '<dr-id>',
  };
  for (const link of Object.values(store.links)) map[link.linkId] = `<link-id>`;
  return map;
}

describe('clink link create', () => {
  it('creates a link from a dr-link.config file and prints the allow-listed configs', async () => {
    const home = await homeWithDestination();
    const r = await home.run(['link', 'create', 'dr-link', '--config-file', drLinkConfig()]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      'Created cluster link "dr-link" with configs:\n' +
        `"bootstrap.servers"="${source.saslBootstrap}"\n` +
        `"consumer.offset.group.filters"="${GROUP_FILTERS}"\n` +
        '"consumer.offset.sync.enable"="true"\n' +
        '"consumer.offset.sync.ms"="10000"\n' +
        '"link.mode"="DESTINATION"\n' +
        '"sasl.mechanism"="PLAIN"\n' +
        '"security.protocol"="SASL_PLAINTEXT"\n\n' +
        // consumer offset sync is a link-level task: the link's worker starts with the link (issue 17)
        'Started the worker of cluster link "dr-link": consumer offset sync running.\n',
    );
    const store = JSON.parse(storeText(home)) as { links: Record<string, { sourceClusterId: string; destination: string }> };
    expect(store.links['dr-link']?.sourceClusterId).toBe(source.clusterId);
    expect(store.links['dr-link']?.destination).toBe('dr');
    const stop = await home.run(['worker', 'stop', 'dr-link']);
    expect(stop.exitCode, stop.stderr).toBe(0);
  });

  it('accepts the file through --config too, and inline configs with JSON commas', async () => {
    const home = await homeWithDestination();
    const viaConfig = await home.run(['link', 'create', 'a', '--config', drLinkConfig(), '--no-start']);
    expect(viaConfig.exitCode).toBe(0);
    const inline = await home.run([
      'link', 'create', 'b', '--source-bootstrap-server', source.bootstrap,
      '--config', `consumer.offset.sync.enable=true,consumer.offset.group.filters=${GROUP_FILTERS}`, '--no-start',
    ]);
    expect(inline.exitCode).toBe(0);
    expect(inline.stdout).toContain(`"consumer.offset.group.filters"="${GROUP_FILTERS}"`);
  });

  it('--dry-run checks everything and stores nothing', async () => {
    const home = await homeWithDestination();
    const before = storeText(home);
    const r = await home.run(['link', 'create', 'dr-link', '--config-file', drLinkConfig(), '--dry-run']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('[DRY RUN] Created cluster link "dr-link" with configs:\n')).toBe(true);
    expect(storeText(home)).toBe(before);
  });

  it('checks --source-cluster against the real source cluster id', async () => {
    const home = await homeWithDestination();
    const ok = await home.run(['link', 'create', 'ok', '--source-bootstrap-server', source.bootstrap, '--source-cluster', source.clusterId]);
    expect(ok.exitCode).toBe(0);
    const before = storeText(home);
    const bad = await home.run(['link', 'create', 'bad', '--source-bootstrap-server', source.bootstrap, '--source-cluster', 'lkc-wrong']);
    expect(bad.exitCode).toBe(5);
    expect(bad.stderr).toContain(`Error: the source cluster at ${source.bootstrap} has cluster id "${source.clusterId}", not "lkc-wrong"`);
    expect(storeText(home)).toBe(before);
  });

  it('refuses a wrong source password (exit 1) without printing it, even with -v and -o json', async () => {
    const home = await homeWithDestination();
    const before = storeText(home);
    for (const format of ['human', 'json', 'yaml']) {
      const r = await home.run(['link', 'create', 'dr-link', '--config-file', drLinkConfig('Wrong-Pass-42'), '-v', '-o', format]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('authentication failed for the source cluster');
      expect(r.stdout + r.stderr).not.toContain('Wrong-Pass-42');
    }
    expect(storeText(home)).toBe(before);
  });

  it('fails with exit 3 when the source is unreachable, and --no-validate creates it anyway', async () => {
    const home = await homeWithDestination();
    const before = storeText(home);
    const r = await home.run(['link', 'create', 'x', '--source-bootstrap-server', '127.0.0.1:1']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^Error: cannot reach the source cluster at 127\.0\.0\.1:1/);
    expect(storeText(home)).toBe(before);
    const noValidate = await home.run(['link', 'create', 'x', '--source-bootstrap-server', '127.0.0.1:1', '--no-validate']);
    expect(noValidate.exitCode).toBe(0);
    const list = JSON.parse((await home.run(['link', 'list', '-o', 'json'])).stdout) as Array<Record<string, string>>;
    expect(list[0]).toMatchObject({ link_name: 'x', state: 'UNAVAILABLE', error: 'BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR' });
  });

  const badInput: Array<[string, (dir: string) => string[], number, RegExp]> = [
    ['unknown config key', () => ['--source-bootstrap-server', 'h:1', '--config', 'consumer.offset.sync.enabel=true'], 2, /unknown link config "consumer\.offset\.sync\.enabel"[\s\S]*consumer\.offset\.sync\.enable/],
    ['wrong value type', () => ['--source-bootstrap-server', 'h:1', '--config', 'consumer.offset.sync.ms=soon'], 2, /consumer\.offset\.sync\.ms/],
    ['bad filter JSON path', () => ['--source-bootstrap-server', 'h:1', '--config', 'consumer.offset.sync.enable=true,consumer.offset.group.filters={"groupFilters":[{"name":"*","patternType":"GLOB","filterType":"INCLUDE"}]}'], 2, /groupFilters\[0\]\.patternType/],
    ['malformed JSON', () => ['--source-bootstrap-server', 'h:1', '--config', 'consumer.offset.sync.enable=true,consumer.offset.group.filters={"groupFilters":['], 2, /consumer\.offset\.group\.filters/],
    ['sync without filters', () => ['--source-bootstrap-server', 'h:1', '--config', 'acl.sync.enable=true'], 2, /acl\.filters/],
    ['prefix with ACL sync', () => ['--source-bootstrap-server', 'h:1', '--config', 'cluster.link.prefix=dr.,acl.sync.enable=true,acl.filters={"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}'], 2, /cluster\.link\.prefix/],
    ['bad link mode', () => ['--source-bootstrap-server', 'h:1', '--config', 'link.mode=SIDEWAYS'], 2, /unrecognized link mode "SIDEWAYS"/],
    ['bad start offset spec', () => ['--source-bootstrap-server', 'h:1', '--config', 'mirror.start.offset.spec=yesterday'], 2, /mirror\.start\.offset\.spec/],
    ['missing source bootstrap', () => [], 2, /missing source bootstrap servers/],
    ['invalid bootstrap', () => ['--source-bootstrap-server', 'h'], 2, /invalid source bootstrap server "h"/],
    ['conflicting flags', (dir) => ['--source-bootstrap-server', 'h:1', '--config', 'a=b', '--config-file', path.join(dir, 'f')], 2, /--config and --config-file cannot be used together/],
    ['malformed file', (dir) => { const f = path.join(dir, 'bad.config'); fs.writeFileSync(f, 'bootstrap.servers=h:1\n\nsasl.jaas.config=\\u12\n'); return ['--config-file', f]; }, 2, /bad\.config.*line 3/],
    ['missing file', (dir) => ['--config-file', path.join(dir, 'absent.config')], 4, /absent\.config/],
    ['unknown destination cluster', () => ['--source-bootstrap-server', 'h:1', '--cluster', 'nope'], 4, /cluster "nope" not found/],
  ];

  it.each(badInput)('rejects %s and stores nothing', async (_what, args, code, message) => {
    const home = await homeWithDestination();
    const before = storeText(home);
    const r = await home.run(['link', 'create', 'dr-link', '--no-validate', ...args(tempDir())]);
    expect(r.stderr).toMatch(/^Error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Suggestions:');
    expect(r.exitCode).toBe(code);
    expect(r.stdout).toBe('');
    expect(storeText(home)).toBe(before);
  });

  it('refuses a duplicate link (exit 5), an invalid name (exit 2) and no selected cluster (exit 2)', async () => {
    const home = await homeWithDestination();
    await home.run(['link', 'create', 'dr-link', '--source-bootstrap-server', 'h:1', '--no-validate']);
    const dup = await home.run(['link', 'create', 'dr-link', '--source-bootstrap-server', 'h:1', '--no-validate']);
    expect(dup.exitCode).toBe(5);
    expect(dup.stderr).toContain('Error: cluster link "dr-link" already exists');
    const bad = await home.run(['link', 'create', 'dr link', '--source-bootstrap-server', 'h:1', '--no-validate']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('Error: invalid cluster link name "dr link"');
    const none = await clinkHome().run(['link', 'create', 'x', '--source-bootstrap-server', 'h:1', '--no-validate']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('Error: no destination cluster selected');
  });

  it('keeps every one of 20 concurrent creates', async () => {
    const home = await homeWithDestination();
    const names = Array.from({ length: 20 }, (_, i) => `link-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(names.map((n) => home.run(['link', 'create', n, '--source-bootstrap-server', 'h:1', '--no-validate'])));
    for (const r of results) expect(r.exitCode).toBe(0);
    const store = JSON.parse(storeText(home)) as { links: Record<string, unknown> };
    expect(Object.keys(store.links).sort()).toEqual(names);
  }, 120_000);
});

describe('clink link list, describe, configuration, delete', () => {
  it('shows links, their state and configs in every format (goldens), secrets masked', async () => {
    const home = await homeWithDestination();
    expect((await home.run(['link', 'create', 'dr-link', '--config-file', drLinkConfig(), '--no-start'])).exitCode).toBe(0);
    const t = tokens(home);
    for (const format of ['human', 'json', 'yaml']) {
      for (const [name, args] of [
        ['list', ['link', 'list']],
        ['list-include-topics', ['link', 'list', '--include-topics']],
        ['describe', ['link', 'describe', 'dr-link']],
        ['configuration-list', ['link', 'configuration', 'list', 'dr-link']],
      ] as const) {
        const r = await home.run([...args, '-o', format]);
        // created with --no-start: describe says how to start the worker that runs its offset sync
        expect(r.stderr).toBe(name === 'describe' && format === 'human'
          ? 'Note: The worker of cluster link "dr-link" is not running, so consumer offset sync does not run. Start it with `clink worker start dr-link`.\n'
          : '');
        expect(r.exitCode).toBe(0);
        expect(r.stdout).not.toContain(PASSWORD);
        await expect(normalise(r.stdout, t, format === 'human')).toMatchFileSnapshot(golden(`${name}.${format}.golden`));
      }
    }
    const describe = JSON.parse((await home.run(['link', 'describe', 'dr-link', '-o', 'json'])).stdout) as Record<string, string>;
    expect(describe).toMatchObject({ link_name: 'dr-link', state: 'ACTIVE', source_cluster: source.clusterId, destination_cluster: 'dr' });
  });

  it('updates configs after validating them, and refuses bad updates without changing anything', async () => {
    const home = await homeWithDestination();
    await home.run(['link', 'create', 'dr-link', '--config-file', drLinkConfig(), '--no-start']);
    const ok = await home.run(['link', 'configuration', 'update', 'dr-link', '--config', 'consumer.offset.sync.ms=5000', '--no-start']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('Updated cluster link "dr-link".\nDid not start the worker of cluster link "dr-link" (--no-start): consumer offset sync will not run until you start it with `clink worker start dr-link`.\n');
    const rows = JSON.parse((await home.run(['link', 'configuration', 'list', 'dr-link', '-o', 'json'])).stdout) as Array<{ config_name: string; config_value: string; source: string }>;
    expect(rows.find((r) => r.config_name === 'consumer.offset.sync.ms')).toMatchObject({ config_value: '5000', source: 'DYNAMIC_CLUSTER_LINK_CONFIG' });

    const before = storeText(home);
    for (const [args, pattern] of [
      [['--config', 'consumer.offset.sync.ms=-1'], /consumer\.offset\.sync\.ms/],
      [['--config', 'link.mode=SOURCE'], /link\.mode/],
      [['--config', 'consumer.offset.group.filters='], /consumer\.offset\.group\.filters/],
      [[], /no configs to update/],
    ] as const) {
      const r = await home.run(['link', 'configuration', 'update', 'dr-link', ...args, '--no-start']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
    const missing = await home.run(['link', 'configuration', 'update', 'nope', '--config', 'consumer.offset.sync.ms=1000']);
    expect(missing.exitCode).toBe(4);
    expect(storeText(home)).toBe(before);
  });

  it('deletes only with --force when there is no terminal, and names missing links', async () => {
    const home = await homeWithDestination();
    await home.run(['link', 'create', 'a', '--source-bootstrap-server', 'h:1', '--no-validate']);
    await home.run(['link', 'create', 'b', '--source-bootstrap-server', 'h:1', '--no-validate']);
    const noTty = await home.run(['link', 'delete', 'a']);
    expect(noTty.exitCode).toBe(2);
    expect(noTty.stderr).toContain('--force');
    const missing = await home.run(['link', 'delete', 'a', 'x', 'y', '--force']);
    expect(missing.exitCode).toBe(4);
    expect(missing.stderr).toBe('Error: cluster links "x" and "y" not found\n\nSuggestions:\n    List available cluster links with `clink link list`.\n');
    const ok = await home.run(['link', 'delete', 'a', 'b', '--force']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('Deleted cluster links "a" and "b".\n');
    expect((await home.run(['link', 'list'])).stdout).toBe('None found.\n');
    const describe = await home.run(['link', 'describe', 'a']);
    expect(describe.exitCode).toBe(4);
  });

  it('never prints a secret from the config, in any command, format or verbosity', async () => {
    const home = await homeWithDestination();
    await home.run(['link', 'create', 'dr-link', '--config-file', drLinkConfig(), '-v', '--no-start']);
    const outputs: string[] = [];
    for (const format of ['human', 'json', 'yaml']) {
      for (const args of [
        ['link', 'list', '--include-topics'],
        ['link', 'describe', 'dr-link'],
        ['link', 'configuration', 'list', 'dr-link'],
        ['link', 'create', 'dr-link-2', '--config-file', drLinkConfig(), '--dry-run'],
        ['link', 'create', 'dr-link', '--config-file', drLinkConfig()],
        ['cluster', 'list'],
      ]) {
        const r = await home.run([...args, '-v', '-o', format]);
        outputs.push(r.stdout, r.stderr);
      }
    }
    const all = outputs.join('\n');
    expect(all).toContain('dr-link');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('PlainLoginModule');
  });
});
