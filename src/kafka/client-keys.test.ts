/**
 * Walks every Kafka client config key clink recognises: each is mapped (and the example below shows
 * its value changing what clink builds) or refused with a message naming the key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, type TestPki } from '../local-kafka/test-pki.js';
import { CLIENT_CONFIG_KEYS } from '../core/config-keys.js';
import { CLIENT_KEY_FAMILY_HANDLING, CLIENT_KEY_HANDLING, handlingOf } from './client-keys.js';
import { checkClientConfig, toKafkaJsConfig } from './client-config.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(join(mkdtempSync(join(tmpdir(), 'clink-keys-')), 'pki'));
}, 120_000);

const BASE = { 'bootstrap.servers': 'b:9092' };
const SSL = { ...BASE, 'security.protocol': 'SSL' };
const build = (props: Record<string, string>) => toKafkaJsConfig({ ...BASE, ...props }, { env: {} });
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";';

/** For each mapped key: a config using it, and what must differ because of it. */
const MAPPED: Record<string, () => Promise<void>> = {
  'bootstrap.servers': async () => expect((await build({ 'bootstrap.servers': 'SSL://x:1,y:2' })).brokers).toEqual(['x:1', 'y:2']),
  'client.id': async () => expect((await build({ 'client.id': 'mine' })).clientId).toBe('mine'),
  'client.dns.lookup': async () => {
    await expect(build({ 'client.dns.lookup': 'use_all_dns_ips' })).resolves.toBeDefined();
    expect(() => checkClientConfig({ ...BASE, 'client.dns.lookup': 'resolve_canonical_bootstrap_servers_only' })).toThrow(/^client\.dns\.lookup must be one of/);
  },
  'security.protocol': async () => expect((await build({ 'security.protocol': 'SSL' })).ssl).toEqual({}),
  'request.timeout.ms': async () => expect((await build({ 'request.timeout.ms': '1234' })).requestTimeout).toBe(1234),
  'socket.connection.setup.timeout.ms': async () => expect((await build({ 'socket.connection.setup.timeout.ms': '999' })).connectionTimeout).toBe(999),
  'ssl.protocol': async () => {
    await expect(build({ ...SSL, 'ssl.protocol': 'TLSv1.3' })).resolves.toBeDefined();
    expect(() => checkClientConfig({ ...SSL, 'ssl.protocol': 'SSLv3' })).toThrow(/^ssl\.protocol must be one of/);
  },
  'ssl.enabled.protocols': async () => expect((await build({ ...SSL, 'ssl.enabled.protocols': 'TLSv1.3' })).ssl).toMatchObject({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }),
  'ssl.truststore.type': async () => expect(() => checkClientConfig({ ...SSL, 'ssl.truststore.type': 'BKS' })).toThrow(/^ssl\.truststore\.type must be/),
  'ssl.truststore.location': async () => expect((await build({ ...SSL, 'ssl.truststore.location': pki.caPem })).ssl?.ca).toContain('BEGIN CERTIFICATE'),
  'ssl.truststore.password': async () => {
    const p12 = { ...SSL, 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': pki.client.truststoreP12 };
    expect((await build({ ...p12, 'ssl.truststore.password': pki.client.storePassword })).ssl?.ca).toContain('BEGIN CERTIFICATE');
    await expect(build({ ...p12, 'ssl.truststore.password': 'wrong' })).rejects.toThrow(/^ssl\.truststore\.password does not open/);
  },
  'ssl.truststore.certificates': async () => expect(() => checkClientConfig({ ...SSL, 'ssl.truststore.certificates': 'nope' })).toThrow(/^ssl\.truststore\.certificates does not contain/),
  'ssl.keystore.type': async () => expect(() => checkClientConfig({ ...SSL, 'ssl.keystore.type': 'BKS' })).toThrow(/^ssl\.keystore\.type must be/),
  'ssl.keystore.location': async () => expect((await build({ ...SSL, 'ssl.keystore.location': pki.client.pem })).ssl?.key).toContain('PRIVATE KEY'),
  'ssl.keystore.password': async () => {
    const jks = { ...SSL, 'ssl.keystore.type': 'JKS', 'ssl.keystore.location': pki.client.jks };
    expect((await build({ ...jks, 'ssl.keystore.password': pki.client.storePassword })).ssl?.key).toContain('PRIVATE KEY');
    await expect(build({ ...jks, 'ssl.keystore.password': 'wrong' })).rejects.toThrow(/^ssl\.keystore\.password does not open/);
  },
  'ssl.keystore.key': async () => expect(() => checkClientConfig({ ...SSL, 'ssl.keystore.key': 'x' })).toThrow(/ssl\.keystore\.certificate\.chain/),
  'ssl.keystore.certificate.chain': async () => expect(() => checkClientConfig({ ...SSL, 'ssl.keystore.certificate.chain': 'x' })).toThrow(/^ssl\.keystore\.certificate\.chain is set but ssl\.keystore\.key is not/),
  'ssl.key.password': async () => expect((await build({ ...SSL, 'ssl.keystore.location': pki.client.encryptedPem, 'ssl.key.password': 'k' })).ssl?.passphrase).toBe('k'),
  'ssl.endpoint.identification.algorithm': async () => {
    expect((await build({ ...SSL })).ssl?.checkServerIdentity).toBeUndefined();
    expect((await build({ ...SSL, 'ssl.endpoint.identification.algorithm': '' })).ssl?.checkServerIdentity).toBeTypeOf('function');
  },
  'sasl.mechanism': async () => expect((await build({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': PLAIN })).sasl?.mechanism).toBe('plain'),
  'sasl.oauthbearer.token.endpoint.url': async () => {
    const oauth = { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'OAUTHBEARER', 'sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="c" clientSecret="s";' };
    expect(() => checkClientConfig({ ...BASE, ...oauth })).toThrow(/^sasl\.oauthbearer\.token\.endpoint\.url must be set for OAUTHBEARER/);
    expect((await build({ ...oauth, 'sasl.oauthbearer.token.endpoint.url': 'http://127.0.0.1:1/token' })).sasl?.mechanism).toBe('oauthbearer');
  },
  'sasl.jaas.config': async () => expect((await build({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': PLAIN })).sasl).toMatchObject({ username: 'u', password: 'p' }),
};

describe('every client config key clink recognises', () => {
  it('has a handling, and the table names no key Kafka does not define', () => {
    expect(CLIENT_CONFIG_KEYS.filter((k) => CLIENT_KEY_HANDLING[k] === undefined)).toEqual([]);
    expect(Object.keys(CLIENT_KEY_HANDLING).filter((k) => !CLIENT_CONFIG_KEYS.includes(k))).toEqual(['sasl.oauthbearer.token.endpoint.url']);
  });

  it('mapped keys each have an example here', () => {
    const mapped = Object.entries(CLIENT_KEY_HANDLING).filter(([, h]) => h.kind === 'mapped').map(([k]) => k).sort();
    expect(Object.keys(MAPPED).sort()).toEqual(mapped);
  });

  for (const [key, example] of Object.entries(MAPPED)) it(`maps ${key}`, example);

  const refused = [
    ...Object.entries(CLIENT_KEY_HANDLING).filter(([, h]) => h.kind === 'refused').map(([k]) => k),
    ...Object.keys(CLIENT_KEY_FAMILY_HANDLING).map((prefix) => `${prefix}some.setting`),
  ];
  it.each(refused)('refuses %s with a message naming it (also under local.)', (key) => {
    expect(handlingOf(key)?.kind).toBe('refused');
    expect(() => checkClientConfig({ ...SSL, [key]: 'clink-test-value' })).toThrow(new RegExp(`^${key.replace(/\./g, '\\.')} is not supported: `));
    expect(() => checkClientConfig({ 'local.bootstrap.servers': 'l:1', [`local.${key}`]: 'clink-test-value' }, 'local.')).toThrow(new RegExp(`^local\\.${key.replace(/\./g, '\\.')} is not supported`));
    const defaults = handlingOf(key)?.kind === 'refused' ? (handlingOf(key) as { defaults?: readonly string[] }).defaults ?? [] : [];
    for (const value of defaults) expect(() => checkClientConfig({ ...SSL, [key]: value }), `${key}=${value} is Kafka's default`).not.toThrow();
  });
});
