/**
 * `clink cluster …` against the real source and destination brokers: registration records the real
 * cluster id, SASL credentials are checked, failures are clear and change nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { getClusters, type ClusterInfo } from '../helpers/kafka.js';
import { clinkHome, normalise, repoRoot, tempDir } from '../helpers/run-clink.js';

let source: ClusterInfo;
let destination: ClusterInfo;

beforeAll(() => {
  ({ source, destination } = getClusters());
});

function storeText(configDir: string): string {
  const file = path.join(configDir, 'config.json');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

describe('clink cluster add', () => {
  it('registers a reachable cluster with its real cluster id and makes it current', async () => {
    const home = clinkHome();
    const r = await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Added cluster "dr" (cluster id ${destination.clusterId}).\nUsing cluster "dr" as the current cluster.\n`);
    const list = await home.run(['cluster', 'list', '-o', 'json']);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'dr', bootstrap_servers: destination.bootstrap, cluster_id: destination.clusterId, security: 'PLAINTEXT', current: true },
    ]);
  });

  it('authenticates with SASL/PLAIN from a client properties file', async () => {
    const home = clinkHome();
    const dir = tempDir();
    const file = path.join(dir, 'client.properties');
    fs.writeFileSync(file, [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=PLAIN',
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";',
    ].join('\n'));
    const r = await home.run(['cluster', 'add', 'src', '--bootstrap-server', source.saslBootstrap!, '--config-file', file, '-o', 'json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.cluster_id).toBe(source.clusterId);
    expect(out.security).toBe('SASL_PLAINTEXT/PLAIN');
    expect(r.stdout + r.stderr).not.toContain('alice-secret');
    const mode = fs.statSync(path.join(home.configDir, 'config.json')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(fs.statSync(home.configDir).mode & 0o777).toBe(0o700);
  });

  it('refuses a wrong password, names the mechanism, never the secret, and stores nothing', async () => {
    const home = clinkHome();
    const secret = 'not-the-Password-123';
    const r = await home.run([
      'cluster', 'add', 'src', '--bootstrap-server', source.saslBootstrap!, '-v',
      '--config', `security.protocol=SASL_PLAINTEXT,sasl.mechanism=PLAIN,sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="${secret}";`,
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Error: authentication failed for the cluster "src" at .* \(SASL_PLAINTEXT\/PLAIN\)/m);
    expect(r.stderr).toContain('Suggestions:');
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(storeText(home.configDir)).not.toContain('"src"');
  });

  it('fails fast with exit 3 on an unreachable bootstrap server', async () => {
    const home = clinkHome();
    const started = Date.now();
    const r = await home.run(['cluster', 'add', 'gone', '--bootstrap-server', '127.0.0.1:1', '--config', 'request.timeout.ms=5000']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^Error: cannot reach the cluster "gone" at 127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(storeText(home.configDir)).not.toContain('"gone"');
  });

  it('registers without contacting the cluster with --no-validate', async () => {
    const home = clinkHome();
    const r = await home.run(['cluster', 'add', 'later', '--bootstrap-server', '127.0.0.1:1', '--no-validate']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Added cluster "later".\nUsing cluster "later" as the current cluster.\n');
  });

  it.each([
    [['cluster', 'add', 'bad name!', '--bootstrap-server', 'h:1', '--no-validate'], 2, /invalid cluster name "bad name!"/],
    [['cluster', 'add', 'x', '--no-validate'], 2, /missing bootstrap servers/],
    [['cluster', 'add', 'x', '--bootstrap-server', 'nohostport', '--no-validate'], 2, /invalid bootstrap server "nohostport"/],
    [['cluster', 'add', 'x', '--bootstrap-server', 'h:1', '--no-validate', '--config', 'a=b', '--config-file', 'f'], 2, /--config and --config-file cannot be used together/],
    [['cluster', 'add', 'x', '--bootstrap-server', 'h:1', '--no-validate', '--config', 'security.protocol=SASL_SSL,sasl.mechanism=GSSAPI'], 2, /GSSAPI/],
  ])('rejects bad input %j with exit %i', async (args, code, message) => {
    const home = clinkHome();
    const r = await home.run(args);
    expect(r.exitCode).toBe(code);
    expect(r.stderr).toMatch(/^Error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(storeText(home.configDir)).toBe('');
  });

  it('refuses a duplicate name with exit 5 and keeps the first registration', async () => {
    const home = clinkHome();
    await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
    const before = storeText(home.configDir);
    const r = await home.run(['cluster', 'add', 'dr', '--bootstrap-server', source.bootstrap]);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain('Error: cluster "dr" already exists');
    expect(storeText(home.configDir)).toBe(before);
  });
});

describe('clink cluster list, describe, use, delete', () => {
  it('lists, describes, switches and deletes, in every output format', async () => {
    const home = clinkHome();
    await home.run(['cluster', 'add', 'dr', '--bootstrap-server', destination.bootstrap]);
    await home.run(['cluster', 'add', 'src', '--bootstrap-server', source.bootstrap]);
    const tokens = { [destination.bootstrap]: '<dr-bs>', [source.bootstrap]: '<src-bs>', [destination.clusterId]: '<dr-id>', [source.clusterId]: '<src-id>' };
    const golden = (name: string) => path.join(repoRoot, 'test', 'fixtures', 'output', 'cluster', name);

    for (const format of ['human', 'json', 'yaml']) {
      const list = await home.run(['cluster', 'list', '-o', format]);
      expect(list.exitCode).toBe(0);
      await expect(normalise(list.stdout, tokens, format === 'human')).toMatchFileSnapshot(golden(`list.${format}.golden`));
      const describe = await home.run(['cluster', 'describe', 'src', '-o', format]);
      expect(describe.exitCode).toBe(0);
      await expect(normalise(describe.stdout, tokens, format === 'human')).toMatchFileSnapshot(golden(`describe.${format}.golden`));
    }

    const use = await home.run(['cluster', 'use', 'src']);
    expect(use.stdout).toBe('Using cluster "src".\n');
    const json = JSON.parse((await home.run(['cluster', 'list', '-o', 'json'])).stdout) as Array<{ name: string; current: boolean }>;
    expect(json.find((c) => c.current)?.name).toBe('src');

    const del = await home.run(['cluster', 'delete', 'src']);
    expect(del.exitCode).toBe(0);
    expect(del.stdout).toBe('Deleted cluster "src".\n');
    const after = JSON.parse((await home.run(['cluster', 'list', '-o', 'json'])).stdout) as Array<{ name: string }>;
    expect(after.map((c) => c.name)).toEqual(['dr']);
  });

  it.each([
    [['cluster', 'describe', 'nope'], 4, 'Error: cluster "nope" not found\n\nSuggestions:\n    List registered clusters with `clink cluster list`.\n'],
    [['cluster', 'use', 'nope'], 4, 'Error: cluster "nope" not found\n\nSuggestions:\n    List registered clusters with `clink cluster list`.\n'],
    [['cluster', 'delete', 'nope'], 4, 'Error: cluster "nope" not found\n\nSuggestions:\n    List registered clusters with `clink cluster list`.\n'],
  ])('%j fails with exit %i', async (args, code, stderr) => {
    const r = await clinkHome().run(args);
    expect(r.exitCode).toBe(code);
    expect(r.stderr).toBe(stderr);
  });

  it('prints "None found." and [] when nothing is registered', async () => {
    const home = clinkHome();
    expect((await home.run(['cluster', 'list'])).stdout).toBe('None found.\n');
    expect((await home.run(['cluster', 'list', '-o', 'json'])).stdout).toBe('[]\n');
  });
});
