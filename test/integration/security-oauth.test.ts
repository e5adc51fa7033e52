/**
 * OAUTHBEARER against a real broker whose validator (OAuthBearerValidatorCallbackHandler) checks
 * RS256 JWTs against the JWKS of a token endpoint this test runs on loopback (client-credentials
 * grant, HTTP Basic client authentication). Token refresh before expiry is proven in
 * src/kafka/client-oauth.test.ts (kafkajs 2.2.4 fails its handshake on tokens that expire within
 * seconds, see docs/security.md, so these tokens live two minutes). Two 'scram' brokers (one
 * PKI) are the link's ends, both reached over OAUTHBEARER. The properties file is first proven
 * with Kafka's ConsoleProducer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startKafkaCluster, type KafkaCluster, type StartKafkaClusterOptions } from '../../src/local-kafka/cluster.js';
import { createTestPki } from '../../src/local-kafka/test-pki.js';
import { paths } from '../../src/local-kafka/paths.js';
import { waitFor } from '../../src/util/wait-for.js';
import { uniqueName } from '../helpers/kafka.js';
import { clinkHome, tempDir, type ClinkHome } from '../helpers/run-clink.js';

const CLIENT_ID = 'clink-oauth-client';
const CLIENT_SECRET = `oauth-secret-${randomBytes(6).toString('hex')}`;
const TOKEN_LIFETIME_S = 120;
const issued: string[] = [];
let server: http.Server;
let base: string;
let cluster: KafkaCluster;
let destination: KafkaCluster;
let home: ClinkHome | undefined;
const env = (h: ClinkHome) => ({ CLINK_STATE_DIR: `${h.configDir}/state` });

const b64 = (value: object | Buffer): string => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

function jwt(key: KeyObject, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({ sub: 'admin', iat: now, exp: now + TOKEN_LIFETIME_S, scope: 'kafka' })}`;
  return `${head}.${b64(createSign('RSA-SHA256').update(head).sign(key))}`;
}

function startTokenServer(): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] };
  server = http.createServer((req, res) => {
    const send = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/jwks') return send(200, jwks);
    if (req.url === '/token' && req.method === 'POST') {
      const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        if (req.headers.authorization !== expected || !new URLSearchParams(body).get('grant_type')?.includes('client_credentials')) return send(401, { error: 'invalid_client' });
        const token = jwt(privateKey, kid);
        issued.push(token);
        return send(200, { access_token: token, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S });
      });
      return undefined;
    }
    return send(404, {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resolve();
  }));
}

beforeAll(async () => {
  await startTokenServer();
  const listener = 'sasl_plaintext';
  const pki = await createTestPki(path.join(tempDir('clink-oauth-'), 'pki'));
  const options = (name: string): StartKafkaClusterOptions => ({
    name,
    flavour: 'scram',
    pki,
    extraJvmOptions: [`-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${base}/jwks,${base}/token`],
    brokerConfig: {
      [`listener.name.${listener}.sasl.enabled.mechanisms`]: 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
      [`listener.name.${listener}.oauthbearer.sasl.jaas.config`]: 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
      [`listener.name.${listener}.oauthbearer.sasl.server.callback.handler.class`]: 'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler',
      'sasl.oauthbearer.jwks.endpoint.url': `${base}/jwks`,
    },
  });
  [cluster, destination] = await Promise.all([startKafkaCluster(options('oauth-source')), startKafkaCluster(options('oauth-destination'))]);
}, 240_000);

afterAll(async () => {
  if (home) await home.run(['worker', 'stop', 'dr-link'], { env: env(home) });
  await Promise.allSettled([cluster?.stop(), destination?.stop()]);
  await new Promise((resolve) => server?.close(resolve));
});

const oauthLines = (secret = CLIENT_SECRET): string[] => [
  'security.protocol=SASL_PLAINTEXT',
  'sasl.mechanism=OAUTHBEARER',
  `sasl.oauthbearer.token.endpoint.url=${base}/token`,
  'sasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler',
  `sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="${CLIENT_ID}" clientSecret="${secret}" scope="kafka";`,
];

function writeProps(lines: string[]): string {
  const file = path.join(tempDir(), 'client.properties');
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

function consoleProduce(topic: string, propsFile: string, values: string[]): Promise<void> {
  const child = spawn('java', [
    '-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', `-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${base}/token`,
    '-cp', path.join(paths.libsDir, '*'), 'org.apache.kafka.tools.ConsoleProducer',
    '--bootstrap-server', cluster.saslBootstrap as string, '--topic', topic, '--producer.config', propsFile, '--producer-property', 'max.block.ms=30000',
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(`${values.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && !/ERROR/.test(stderr) ? resolve() : reject(new Error(`ConsoleProducer exited ${code}: ${stderr.slice(-3000)}`))));
  });
}

describe('OAUTHBEARER (client-credentials grant, broker validating with JWKS)', () => {
  it('console producer, cluster add, link create, mirror create and mirror verify; secrets and tokens stay hidden', async () => {
    const topic = uniqueName('oauth');
    const values = Array.from({ length: 5 }, (_, i) => `oauth-${i}`);
    const dstFile = writeProps(oauthLines());
    const srcFile = writeProps([`bootstrap.servers=${cluster.saslBootstrap}`, ...oauthLines()]);
    await consoleProduce(topic, dstFile, values);
    const javaTokens = issued.length;
    expect(javaTokens, 'the Java client fetched a token').toBeGreaterThan(0);

    home = clinkHome(tempDir());
    const run: ClinkHome['run'] = (args, options = {}) => home!.run(args, { ...options, env: { ...env(home!), ...options.env } });
    const add = await run(['cluster', 'add', 'dr', '--bootstrap-server', destination.saslBootstrap as string, '--config-file', dstFile, '-o', 'json']);
    expect(add.stderr, 'cluster add').toBe('');
    expect(add.exitCode).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ cluster_id: destination.clusterId, security: 'SASL_PLAINTEXT/OAUTHBEARER' });
    const link = await run(['link', 'create', 'dr-link', '--config-file', srcFile]);
    expect(link.stderr, 'link create').toBe('');
    expect(link.exitCode).toBe(0);
    const mirror = await run(['mirror', 'create', topic, '--link', 'dr-link']);
    expect(mirror.stderr, 'mirror create').toBe('');
    expect(mirror.exitCode).toBe(0);
    const verify = await waitFor(async () => {
      const r = await run(['mirror', 'verify', topic, '--link', 'dr-link', '-o', 'json']);
      const rows = r.exitCode === 0 ? (JSON.parse(r.stdout) as Array<{ records_compared: number }>) : [];
      return rows[0]?.records_compared === values.length ? r : undefined;
    }, { timeoutMs: 120_000, message: `the mirror ${topic} did not verify ${values.length} identical records` });
    expect(verify.exitCode).toBe(0);
    expect(issued.length, 'clink fetched tokens of its own').toBeGreaterThan(javaTokens);
    const describe = await run(['link', 'describe', 'dr-link', '-o', 'json']);
    expect(describe.exitCode).toBe(0);
    const stateText = fs.readdirSync(path.join(home.configDir, 'state'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')).join('\n');
    for (const [where, text] of [['output', add.stdout + link.stdout + mirror.stdout + verify.stdout + describe.stdout + describe.stderr], ['worker logs', stateText]] as const) {
      expect(text.includes(CLIENT_SECRET), `${where} contains the client secret`).toBe(false);
      for (const token of issued) expect(text.includes(token.split('.')[2] as string), `${where} contains a token`).toBe(false);
    }
  }, 240_000);

  it('a wrong client secret fails with exit 1, naming the token endpoint, never the secret', async () => {
    const h = clinkHome(tempDir());
    const wrong = 'not-the-oauth-secret-77';
    const r = await h.run(['cluster', 'add', 'dr', '--bootstrap-server', cluster.saslBootstrap as string, '--config-file', writeProps(oauthLines(wrong)), '-v'], { timeoutMs: 45_000 });
    expect(r.stderr).toMatch(/the OAuth token endpoint http:\/\/127\.0\.0\.1:\d+\/token refused the client credentials \(HTTP 401\)/);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  }, 60_000);
});
