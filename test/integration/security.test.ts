/**
 * clink over TLS, mutual TLS, SASL_SSL/PLAIN, SCRAM-SHA-256/512, PKCS12 and JKS stores against real
 * brokers: two 'secure' clusters (every listener in one JVM each, one test PKI), started here. Each
 * client properties file is first proven with Kafka's own ConsoleProducer (which writes the records
 * to mirror), then used unchanged by `cluster add` (destination) and `link create` (source), and
 * the mirror must verify identical. Failures are clear errors with their documented exit codes,
 * and no password ever shows in clink's output or its worker's logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startKafkaCluster, type KafkaCluster } from '../../src/local-kafka/cluster.js';
import { SASL_USERS, type SecureListener } from '../../src/local-kafka/config-files.js';
import { paths } from '../../src/local-kafka/paths.js';
import { createTestPki, type TestPki } from '../../src/local-kafka/test-pki.js';
import { waitFor } from '../../src/util/wait-for.js';
import { uniqueName } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome } from '../helpers/run-clink.js';

let pki: TestPki;
let source: KafkaCluster;
let destination: KafkaCluster;
const homes: { home: ClinkHome; env: Record<string, string> }[] = [];
const { admin, alice } = SASL_USERS;
const WRONG = 'Wrong-Secret-31415';

beforeAll(async () => {
  pki = await createTestPki(path.join(tempDir('clink-security-'), 'pki'));
  [source, destination] = await Promise.all([
    startKafkaCluster({ name: 'sec-source', flavour: 'secure', pki }),
    startKafkaCluster({ name: 'sec-destination', flavour: 'secure', pki }),
  ]);
}, 240_000);

afterAll(async () => {
  for (const { home, env } of homes.splice(0)) await home.run(['worker', 'stop', 'dr-link'], { env });
  await Promise.allSettled([source?.stop(), destination?.stop()]);
});

/** Every password the tests use: none may appear in any output or log. */
const secrets = (): string[] => [
  admin.password, alice.password, pki.client.storePassword, pki.client.keyPassword, pki.brokerKeystorePassword, WRONG,
];

function expectNoSecret(text: string, where: string): void {
  for (const secret of secrets()) expect(text.includes(secret), `${where} contains a password`).toBe(false);
}

const jaas = (mechanism: string, user: { username: string; password: string }): string =>
  `${mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule'} required username="${user.username}" password="${user.password}";`;

interface Variant {
  name: string;
  listener: SecureListener;
  lines: () => string[];
}

const trustPem = (): string[] => ['ssl.truststore.type=PEM', `ssl.truststore.location=${pki.caPem}`];
const sasl = (protocol: string, mechanism: string, user: { username: string; password: string } = admin): string[] => [
  `security.protocol=${protocol}`, `sasl.mechanism=${mechanism}`, `sasl.jaas.config=${jaas(mechanism, user)}`,
];

const VARIANTS: Variant[] = [
  { name: 'SSL (PEM trust store)', listener: 'SSL', lines: () => ['security.protocol=SSL', ...trustPem()] },
  {
    name: 'mTLS (PEM key store, encrypted key)', listener: 'MTLS',
    lines: () => ['security.protocol=SSL', ...trustPem(), 'ssl.keystore.type=PEM', `ssl.keystore.location=${pki.client.encryptedPem}`, `ssl.key.password=${pki.client.keyPassword}`],
  },
  { name: 'SASL_SSL/PLAIN', listener: 'SASL_SSL', lines: () => [...sasl('SASL_SSL', 'PLAIN'), ...trustPem()] },
  { name: 'SASL_SSL/SCRAM-SHA-256', listener: 'SASL_SSL', lines: () => [...sasl('SASL_SSL', 'SCRAM-SHA-256'), ...trustPem()] },
  { name: 'SASL_PLAINTEXT/SCRAM-SHA-512', listener: 'SASL_PLAINTEXT', lines: () => sasl('SASL_PLAINTEXT', 'SCRAM-SHA-512') },
  {
    name: 'mTLS with PKCS12 stores', listener: 'MTLS',
    lines: () => [
      'security.protocol=SSL',
      'ssl.truststore.type=PKCS12', `ssl.truststore.location=${pki.client.truststoreP12}`, `ssl.truststore.password=${pki.client.storePassword}`,
      'ssl.keystore.type=PKCS12', `ssl.keystore.location=${pki.client.p12}`, `ssl.keystore.password=${pki.client.storePassword}`, `ssl.key.password=${pki.client.storePassword}`,
    ],
  },
  {
    name: 'mTLS with JKS stores', listener: 'MTLS',
    lines: () => [
      'security.protocol=SSL',
      'ssl.truststore.type=JKS', `ssl.truststore.location=${pki.client.truststoreJks}`, `ssl.truststore.password=${pki.client.storePassword}`,
      'ssl.keystore.type=JKS', `ssl.keystore.location=${pki.client.jks}`, `ssl.keystore.password=${pki.client.storePassword}`, `ssl.key.password=${pki.client.storePassword}`,
    ],
  },
];

function writeProps(lines: string[]): string {
  const file = path.join(tempDir(), 'client.properties');
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

const address = (cluster: KafkaCluster, listener: SecureListener): string => cluster.listeners?.[listener] ?? '';

/** Kafka's own ConsoleProducer with the properties file: the proof that the file is right. */
function consoleProduce(bootstrap: string, topic: string, propsFile: string, values: string[]): Promise<void> {
  const args = [
    '-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', path.join(paths.libsDir, '*'), 'org.apache.kafka.tools.ConsoleProducer',
    '--bootstrap-server', bootstrap, '--topic', topic, '--producer.config', propsFile, '--producer-property', 'max.block.ms=30000',
  ];
  const child = spawn('java', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(`${values.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && !/ERROR/.test(stderr) ? resolve() : reject(new Error(`ConsoleProducer (${propsFile}) exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

function newHome(): { home: ClinkHome; run: ClinkHome['run']; env: Record<string, string> } {
  const home = clinkHome(tempDir());
  const env = { CLINK_STATE_DIR: `${home.configDir}/state` };
  homes.push({ home, env });
  const run: ClinkHome['run'] = (args, options = {}) => home.run(args, { ...options, env: { ...env, ...options.env } });
  return { home, run, env };
}

/** Every file under `dir` (worker logs, state), as one text. */
function allFiles(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'config.json')
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

// Concurrent: most of each case is waiting (JVM start, worker start, replication), not CPU.
describe.concurrent('clink over TLS and SASL, source and destination both', () => {
  for (const variant of VARIANTS) {
    it(`${variant.name}: console producer, cluster add, link create, mirror create, mirror verify`, async () => {
      const topic = uniqueName('sec');
      const values = Array.from({ length: 5 }, (_, i) => `${variant.listener}-${i}`);
      const srcFile = writeProps([`bootstrap.servers=${address(source, variant.listener)}`, ...variant.lines()]);
      const dstFile = writeProps(variant.lines());
      await consoleProduce(address(source, variant.listener), topic, srcFile, values);

      const { home, run } = newHome();
      const add = await run(['cluster', 'add', 'dr', '--bootstrap-server', address(destination, variant.listener), '--config-file', dstFile, '-o', 'json']);
      expect(add.stderr, 'cluster add').toBe('');
      expect(add.exitCode).toBe(0);
      expect((JSON.parse(add.stdout) as { cluster_id: string }).cluster_id).toBe(destination.clusterId);
      const link = await run(['link', 'create', 'dr-link', '--config-file', srcFile, '-o', 'json']);
      expect(link.stderr, 'link create').toBe('');
      expect(link.exitCode).toBe(0);
      const mirror = await run(['mirror', 'create', topic, '--link', 'dr-link']);
      expect(mirror.stderr, 'mirror create').toBe('');
      expect(mirror.exitCode).toBe(0);
      const verify = await waitFor(async () => {
        const r = await run(['mirror', 'verify', topic, '--link', 'dr-link', '-o', 'json']);
        const rows = r.exitCode === 0 ? (JSON.parse(r.stdout) as Array<{ records_compared: number }>) : [];
        return rows[0]?.records_compared === values.length ? r : undefined;
      }, { timeoutMs: 120_000, message: `the mirror of ${topic} did not verify ${values.length} identical records` });
      expect(verify.exitCode).toBe(0);
      for (const args of [['link', 'describe', 'dr-link', '-o', 'json'], ['cluster', 'describe', 'dr', '-o', 'yaml'], ['link', 'configuration', 'list', 'dr-link', '-v']]) {
        const r = await run(args);
        expectNoSecret(r.stdout + r.stderr, args.join(' '));
      }
      expectNoSecret(add.stdout + link.stdout + mirror.stdout + verify.stdout, 'command output');
      expectNoSecret(allFiles(path.join(home.configDir, 'state')), 'worker logs and state');
    }, 180_000);
  }
});

interface Failure {
  name: string;
  bootstrap: () => string;
  lines: () => string[];
  exitCode: number;
  message: RegExp;
}

const FAILURES: Failure[] = [
  {
    name: 'a trust store without the broker\'s CA', bootstrap: () => address(destination, 'SSL'),
    lines: () => ['security.protocol=SSL', 'ssl.truststore.type=PEM', `ssl.truststore.location=${pki.otherCaPem}`], exitCode: 1, message: /TLS handshake .* failed: .*(certificate|issuer)/i,
  },
  {
    name: 'an expired broker certificate', bootstrap: () => address(destination, 'EXPIRED'),
    lines: () => ['security.protocol=SSL', ...trustPem()], exitCode: 1, message: /TLS handshake .* failed: .*expired/i,
  },
  {
    name: 'a hostname mismatch (127.0.0.1 against a certificate for localhost)', bootstrap: () => address(destination, 'SSL').replace('localhost', '127.0.0.1'),
    lines: () => ['security.protocol=SSL', ...trustPem()], exitCode: 1, message: /TLS handshake .* failed: .*(altnames|hostname)/i,
  },
  {
    name: 'a wrong key store password', bootstrap: () => address(destination, 'MTLS'),
    lines: () => ['security.protocol=SSL', ...trustPem(), 'ssl.keystore.type=PKCS12', `ssl.keystore.location=${pki.client.p12}`, `ssl.keystore.password=${WRONG}`],
    exitCode: 2, message: /ssl\.keystore\.password does not open ssl\.keystore\.location/,
  },
  {
    name: 'a wrong SCRAM password', bootstrap: () => address(destination, 'SASL_SSL'),
    lines: () => [...sasl('SASL_SSL', 'SCRAM-SHA-512', { username: 'admin', password: WRONG }), ...trustPem()], exitCode: 1, message: /authentication failed .*SASL_SSL\/SCRAM-SHA-512/,
  },
  {
    name: 'a client certificate the broker does not trust', bootstrap: () => address(destination, 'MTLS'),
    lines: () => ['security.protocol=SSL', ...trustPem(), 'ssl.keystore.type=PEM', `ssl.keystore.location=${pki.client.untrustedPem}`],
    exitCode: 1, message: /the broker refused the client certificate|TLS handshake/i,
  },
];

describe.concurrent('security failures are clear, quick and change nothing', () => {
  for (const failure of FAILURES) {
    it(`${failure.name}: exit ${failure.exitCode}`, async () => {
      const { home, run } = newHome();
      const file = writeProps(failure.lines());
      const started = Date.now();
      const r = await run(['cluster', 'add', 'dr', '--bootstrap-server', failure.bootstrap(), '--config-file', file, '-v'], { timeoutMs: 45_000 });
      expect(r.stderr).toMatch(failure.message);
      expect(r.stderr).toContain('Suggestions:');
      expect(r.exitCode, r.stderr).toBe(failure.exitCode);
      expect(Date.now() - started, 'no hang').toBeLessThan(45_000);
      const json = await run(['cluster', 'add', 'dr', '--bootstrap-server', failure.bootstrap(), '--config-file', file, '-o', 'json']);
      expect(json.exitCode).toBe(failure.exitCode);
      expectNoSecret(r.stdout + r.stderr + json.stdout + json.stderr, 'error output');
      const store = path.join(home.configDir, 'config.json');
      expect(fs.existsSync(store) ? fs.readFileSync(store, 'utf8') : '').not.toContain('"dr"');
    }, 120_000);
  }
});
