import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ClinkError, InvalidConfigError, NotFoundError } from '../core/errors.js';
import {
  checkClientConfig,
  CLIENT_CONFIG_KEYS,
  clientConfigWarnings,
  describeSecurity,
  isClientConfigKey,
  pickClientConfigs,
  toKafkaJsConfig,
} from './client-config.js';

const TEST_CERT = "-----BEGIN CERTIFICATE-----\nMIIBgTCCASegAwIBAgIUMkQWj0xthYUazbtQIKynmMn43rIwCgYIKoZIzj0EAwIw\nFTETMBEGA1UEAwwKY2xpbmstdGVzdDAgFw0yNjExMjIwMjMxMjhaGA8yMTI2MTAy\nOTAyMzEyOFowFTETMBEGA1UEAwwKY2xpbmstdGVzdDBZMBMGByqGSM49AgEGCCqG\nSM49AwEHA0IABPnY6gI1mnyvJnX82KMU2H9EhVE4MDqko/Ib7AAwI/2TX9kWZYRZ\n+Zl4g9uuFw13nBjAqbexBUfh6+yy5/8XonajUzBRMB0GA1UdDgQWBBSWsvZk0guG\ns1Cf4g9N+pDBidqGJzAfBgNVHSMEGDAWgBSWsvZk0guGs1Cf4g9N+pDBidqGJzAP\nBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCICQopvcJg3SJ/l4B25iY\noJ9fk3mDXAWCnpOT+rwmLOHZAiEA43wPrH9ddPbDv3eiApz09mm0dwb26KLVm+Mj\ncE8SZnc=\n-----END CERTIFICATE-----\n";
const TEST_KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgME104kPelEgzE/b9\naOqVF7Ea7eTn6z3jWsf35AxL2PihRANCAAT52OoCNZp8ryZ1/NijFNh/RIVRODA6\npKPyG+wAMCP9k1/ZFmWEWfmZeIPbrhcNd5wYwKm3sQVH4evssuf/F6J2\n-----END PRIVATE KEY-----\n";
/** TEST_KEY encrypted as PKCS#8 with the passphrase `changeit`. */
const TEST_KEY_ENCRYPTED = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAj4Q8JOfx7XzgICCAAw\nDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEPy3T0ok51yLs+7cZg1ntXcEgZDm\nGs0pkYgoSf2/MC+a6EDL75FyXVkHI/5HXKjIUnZXWdBrx1IXfSeTuD9ZyE9EY4RA\ncbV4x19YhbGd72WnuCei3PVq2gHmrrekVe9y81RKWAkkNe5k55tQwe/T10whphca\n4bNMyAUTgahMYfzYbcE++DiJ2QTMfrOeiTBmX+AF7DFP2Lo380srjCCjujBspK8=\n-----END ENCRYPTED PRIVATE KEY-----\n";


const SECRET = 'Tr0ub4dor&3';
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';
const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const jaas = (module: string, password = SECRET) => `${module} required username="alice" password="${password}";`;
const oneLine = (pem: string): string => pem.replace(/\n/g, ' ').trim();

const FILES: Record<string, string> = {
  '/certs/ca.pem': `# CA\n${TEST_CERT}`,
  '/certs/client.pem': `${TEST_KEY}${TEST_CERT}`,
  '/certs/client-enc.pem': `${TEST_KEY_ENCRYPTED}${TEST_CERT}`,
  '/certs/truststore.jks': '\u00fe\u00ed\u00fe\u00ed binary',
  '/secrets/kafka.properties': `password=${SECRET}`,
};
const deps = {
  env: { KAFKA_PASSWORD: SECRET },
  readFile: async (path: string) => {
    const text = FILES[path];
    if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return text;
  },
};
const convert = (props: Record<string, string>, options = {}) =>
  toKafkaJsConfig({ 'bootstrap.servers': 'b1:9092', ...props }, { ...deps, ...options });

async function errorOf(props: Record<string, string>): Promise<ClinkError> {
  try {
    await convert(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ClinkError);
    return error as ClinkError;
  }
  throw new Error('expected toKafkaJsConfig to reject');
}

describe('toKafkaJsConfig: brokers, client id, timeouts', () => {
  it('maps a plaintext config and ignores client keys kafkajs has no use for', async () => {
    const config = await toKafkaJsConfig(
      {
        'bootstrap.servers': ' SASL_SSL://a.example:9092, [::1]:9093 ,b:9094,',
        'metadata.max.age.ms': '1000',
        'ssl.cipher.suites': 'TLS_AES_128_GCM_SHA256',
        'consumer.offset.sync.enable': 'true',
        'request.timeout.ms': '45000',
        'socket.connection.setup.timeout.ms': '10000',
      },
      { clientId: 'clink-test' },
    );
    expect(config).toEqual({
      brokers: ['a.example:9092', '[::1]:9093', 'b:9094'],
      clientId: 'clink-test',
      requestTimeout: 45000,
      connectionTimeout: 10000,
    });
  });

  it('prefers client.id from the properties, then the option, then "clink"', async () => {
    expect((await convert({ 'client.id': 'ops' }, { clientId: 'x' })).clientId).toBe('ops');
    expect((await convert({}, { clientId: 'x' })).clientId).toBe('x');
    expect((await convert({})).clientId).toBe('clink');
  });

  it('resolves references before mapping', async () => {
    const config = await toKafkaJsConfig(
      { 'bootstrap.servers': '${env:BROKERS}', 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${PLAIN} required username="alice" password="\${file:/secrets/kafka.properties:password}";` },
      { ...deps, env: { BROKERS: 'x:1' } },
    );
    expect(config.brokers).toEqual(['x:1']);
    expect(config.sasl).toEqual({ mechanism: 'plain', username: 'alice', password: SECRET });
  });

  it('reads local.* keys when given the local. prefix', async () => {
    const config = await toKafkaJsConfig(
      { 'bootstrap.servers': 'remote:9092', 'local.bootstrap.servers': 'local:9092', 'local.security.protocol': 'SASL_PLAINTEXT', 'local.sasl.mechanism': 'SCRAM-SHA-256', 'local.sasl.jaas.config': jaas(SCRAM) },
      { ...deps, prefix: 'local.' },
    );
    expect(config.brokers).toEqual(['local:9092']);
    expect(config.sasl?.mechanism).toBe('scram-sha-256');
    await expect(toKafkaJsConfig({ 'local.bootstrap.servers': 'l:1', 'local.security.protocol': 'SASL_SSL' }, { ...deps, prefix: 'local.' })).rejects.toThrow(
      'local.sasl.mechanism must be set when local.security.protocol is SASL_SSL',
    );
  });
});

describe('toKafkaJsConfig: SASL', () => {
  it.each([
    ['PLAIN', PLAIN, 'plain'],
    ['scram-sha-256', SCRAM, 'scram-sha-256'],
    ['SCRAM-SHA-512', SCRAM, 'scram-sha-512'],
  ])('maps %s with its login module', async (mechanism, module, expected) => {
    const config = await convert({ 'security.protocol': 'sasl_plaintext', 'sasl.mechanism': mechanism, 'sasl.jaas.config': jaas(module) });
    expect(config.sasl).toEqual({ mechanism: expected, username: 'alice', password: SECRET });
    expect(config.ssl).toBeUndefined();
  });

  it('uses TLS and SASL together for SASL_SSL', async () => {
    const config = await convert({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas(PLAIN) });
    expect(config.ssl).toEqual({});
    expect(config.sasl?.mechanism).toBe('plain');
  });

  it('ignores sasl settings when the protocol has no SASL, as Kafka does', async () => {
    const config = await convert({ 'security.protocol': 'SSL', 'sasl.mechanism': 'GSSAPI' });
    expect(config.sasl).toBeUndefined();
  });

  const SASL_SSL = { 'security.protocol': 'SASL_SSL' };
  it.each([
    [{ 'security.protocol': 'SASL-SSL' }, 'security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL', 'Did you mean `SASL_SSL`?'],
    [{ ...SASL_SSL, 'sasl.jaas.config': jaas(PLAIN) }, 'sasl.mechanism must be set when security.protocol is SASL_SSL', 'Set `sasl.mechanism=PLAIN` to match the PlainLoginModule in `sasl.jaas.config`.'],
    [{ ...SASL_SSL, 'sasl.jaas.config': jaas(SCRAM) }, 'sasl.mechanism must be set when security.protocol is SASL_SSL', /GSSAPI \(Kerberos\), is not supported/],
    [{ ...SASL_SSL, 'sasl.mechanism': 'GSSAPI', 'sasl.jaas.config': jaas(PLAIN) }, 'sasl.mechanism GSSAPI is not supported', /^clink supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER\./],
    [{ ...SASL_SSL, 'sasl.mechanism': 'OAUTHBEARER', 'sasl.jaas.config': jaas(PLAIN) }, 'sasl.jaas.config uses PlainLoginModule, which does not match sasl.mechanism OAUTHBEARER', /OAuthBearerLoginModule/],
    [{ ...SASL_SSL, 'sasl.mechanism': 'SCRAM-SHA-521', 'sasl.jaas.config': jaas(SCRAM) }, 'sasl.mechanism "SCRAM-SHA-521" is not supported', 'Did you mean `SCRAM-SHA-512`?'],
    [{ ...SASL_SSL, 'sasl.mechanism': 'PLAIN' }, 'sasl.jaas.config must be set when security.protocol is SASL_SSL', `Set \`sasl.jaas.config=${PLAIN} required username="<user>" password="<password>";\`.`],
    [{ ...SASL_SSL, 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas(SCRAM) }, 'sasl.jaas.config uses ScramLoginModule, which does not match sasl.mechanism PLAIN', /^Use `org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule` for PLAIN/],
    [{ ...SASL_SSL, 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.jaas.config': jaas(PLAIN) }, 'sasl.jaas.config uses PlainLoginModule, which does not match sasl.mechanism SCRAM-SHA-256', /ScramLoginModule/],
    [{ ...SASL_SSL, 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${SECRET} required;` }, 'sasl.jaas.config uses an unknown login module, which does not match sasl.mechanism PLAIN', /PlainLoginModule/],
    [{ ...SASL_SSL, 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${PLAIN} required password="${SECRET}";` }, 'sasl.jaas.config has no username', /username="<user>"/],
    [{ ...SASL_SSL, 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas(PLAIN, '') }, 'sasl.jaas.config has no password', /password="<password>"/],
    [{ ...SASL_SSL, 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${PLAIN} required username="alice" password="${SECRET}"` }, 'invalid sasl.jaas.config: the entry must end with a semicolon', 'End the value with `;`.'],
    [{ ...SASL_SSL, 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': '${env:NOPE}' }, 'config "sasl.jaas.config" refers to ${env:NOPE}, but environment variable NOPE is not set', /NOPE/],
    [{ 'bootstrap.servers': '' }, 'bootstrap.servers is not set', /`host:port`/],
    [{ 'bootstrap.servers': 'a:9092,b' }, 'invalid bootstrap.servers entry "b"', /port between 1 and 65535/],
    [{ 'bootstrap.servers': 'a:70000' }, 'invalid bootstrap.servers entry "a:70000"', /port between 1 and 65535/],
    [{ 'request.timeout.ms': '30s' }, 'request.timeout.ms must be a positive integer (milliseconds)', /`30000`/],
    [{ 'socket.connection.setup.timeout.ms': '0' }, 'socket.connection.setup.timeout.ms must be a positive integer (milliseconds)', /milliseconds/],
  ])('rejects %j', async (props, message, suggestion) => {
    const error = await errorOf(props);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(message);
    if (typeof suggestion === 'string') expect(error.suggestion).toBe(suggestion);
    else expect(error.suggestion).toMatch(suggestion);
    expect(`${error.message}\n${error.suggestion}\n${JSON.stringify(error.context ?? {})}`).not.toContain(SECRET);
  });
});

describe('toKafkaJsConfig: TLS', () => {
  const SSL = { 'security.protocol': 'SSL' };

  it('reads a PEM trust store file and inline certificates', async () => {
    expect((await convert({ ...SSL, 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': '/certs/ca.pem' })).ssl).toEqual({ ca: TEST_CERT });
    expect((await convert({ ...SSL, 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': oneLine(TEST_CERT) })).ssl).toEqual({ ca: TEST_CERT });
  });

  it('accepts a PEM trust store file whose type is not given (Kafka would assume JKS)', async () => {
    expect((await convert({ ...SSL, 'ssl.truststore.location': '/certs/ca.pem' })).ssl?.ca).toBe(TEST_CERT);
  });

  it('builds mutual TLS from a PEM key store file, or from inline key and chain', async () => {
    const fromFile = (await convert({ ...SSL, 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': '/certs/client.pem' })).ssl;
    expect(fromFile).toEqual({ key: TEST_KEY, cert: TEST_CERT });
    const inline = (
      await convert({ ...SSL, 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': oneLine(TEST_KEY_ENCRYPTED), 'ssl.keystore.certificate.chain': TEST_CERT, 'ssl.key.password': 'changeit' })
    ).ssl;
    expect(inline).toEqual({ key: TEST_KEY_ENCRYPTED, cert: TEST_CERT, passphrase: 'changeit' });
  });

  it('produces options Node TLS accepts', async () => {
    const { ssl } = await convert({
      ...SSL,
      'ssl.truststore.location': '/certs/ca.pem',
      'ssl.keystore.location': '/certs/client-enc.pem',
      'ssl.key.password': 'changeit',
      'ssl.enabled.protocols': 'TLSv1.3,TLSv1.2',
    });
    expect(ssl?.minVersion).toBe('TLSv1.2');
    expect(ssl?.maxVersion).toBe('TLSv1.3');
    expect(() => tls.createSecureContext(ssl)).not.toThrow();
  });

  it('disables only the hostname check when the identification algorithm is empty', async () => {
    const { ssl } = await convert({ ...SSL, 'ssl.endpoint.identification.algorithm': '' });
    expect(ssl?.checkServerIdentity?.('host', {} as tls.PeerCertificate)).toBeUndefined();
    expect(ssl?.rejectUnauthorized).toBeUndefined();
    expect((await convert({ ...SSL, 'ssl.endpoint.identification.algorithm': 'HTTPS' })).ssl).toEqual({});
  });

  it('ignores trust material when the protocol has no TLS, as Kafka does', async () => {
    expect((await convert({ 'ssl.truststore.location': '/missing.pem' })).ssl).toBeUndefined();
  });

  it.each([
    [{ 'ssl.truststore.type': 'JKS', 'ssl.truststore.location': '/certs/truststore.jks' }, 'ssl.truststore.location "/certs/truststore.jks" is not a JKS store: the file is not a readable JKS store', /`keytool -exportcert -rfc/],
    [{ 'ssl.truststore.type': 'pkcs12', 'ssl.truststore.location': '/certs/truststore.p12' }, 'ssl.truststore.password must be set for a PKCS12 trust store', /`ssl\.truststore\.password`/],
    [{ 'ssl.truststore.type': 'BCFKS' }, 'ssl.truststore.type must be PEM, PKCS12 or JKS', /`PKCS12`/],
    [{ 'ssl.truststore.location': '/certs/truststore.jks' }, 'ssl.truststore.location "/certs/truststore.jks" is not a JKS store: the file is not a readable JKS store', /keytool/],
    [{ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': '/certs/ca.pem', 'ssl.truststore.password': 'x' }, 'ssl.truststore.password cannot be used with ssl.truststore.type=PEM', /no password/],
    [{ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': '/certs/truststore.jks' }, 'ssl.truststore.location "/certs/truststore.jks" does not contain a PEM certificate', /BEGIN CERTIFICATE/],
    [{ 'ssl.truststore.certificates': 'garbage' }, 'ssl.truststore.certificates does not contain a PEM certificate', /BEGIN CERTIFICATE/],
    [{ 'ssl.truststore.location': '/certs/ca.pem', 'ssl.truststore.certificates': TEST_CERT }, 'ssl.truststore.location and ssl.truststore.certificates cannot both be set', 'Keep only one of them.'],
    [{ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': '/certs/keystore.p12' }, 'ssl.keystore.password must be set for a PKCS12 key store', /`ssl\.keystore\.password`/],
    [{ 'ssl.keystore.location': '/certs/truststore.jks' }, 'ssl.keystore.password must be set for a JKS key store', /`ssl\.keystore\.password`/],
    [{ 'ssl.keystore.location': '/certs/truststore.jks', 'ssl.keystore.password': 'pw' }, 'ssl.keystore.location "/certs/truststore.jks" is not a JKS store: the file is not a readable JKS store', /keytool -importkeystore/],
    [{ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': '/certs/client.pem', 'ssl.keystore.password': 'x' }, 'ssl.keystore.password cannot be used with ssl.keystore.type=PEM', /ssl\.key\.password/],
    [{ 'ssl.keystore.location': '/certs/ca.pem' }, 'ssl.keystore.location "/certs/ca.pem" must contain exactly one PEM private key', /PKCS#8/],
    [{ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': '/certs/client.pem', 'ssl.keystore.key': TEST_KEY }, 'ssl.keystore.location cannot be combined with ssl.keystore.key or ssl.keystore.certificate.chain', /either/],
    [{ 'ssl.keystore.key': TEST_KEY }, 'ssl.keystore.key is set but ssl.keystore.certificate.chain is not', 'Set both for mutual TLS.'],
    [{ 'ssl.keystore.certificate.chain': TEST_CERT }, 'ssl.keystore.certificate.chain is set but ssl.keystore.key is not', 'Set both for mutual TLS.'],
    [{ 'ssl.keystore.key': TEST_CERT, 'ssl.keystore.certificate.chain': TEST_CERT }, 'ssl.keystore.key must contain exactly one PEM private key', /PKCS#8/],
    [{ 'ssl.keystore.key': TEST_KEY, 'ssl.keystore.certificate.chain': TEST_KEY }, 'ssl.keystore.certificate.chain does not contain a PEM certificate', /BEGIN CERTIFICATE/],
    [{ 'ssl.keystore.key': TEST_KEY_ENCRYPTED, 'ssl.keystore.certificate.chain': TEST_CERT }, 'the private key in ssl.keystore.key is encrypted but ssl.key.password is not set', /`ssl\.key\.password`/],
    [{ 'ssl.keystore.location': '/certs/client-enc.pem' }, 'the private key in ssl.keystore.location is encrypted but ssl.key.password is not set', /passphrase/],
    [{ 'ssl.endpoint.identification.algorithm': 'ldaps' }, 'ssl.endpoint.identification.algorithm must be https or empty', /hostname/],
    [{ 'ssl.enabled.protocols': 'TLSv1.2,SSLv3' }, 'ssl.enabled.protocols may list only TLSv1, TLSv1.1, TLSv1.2, TLSv1.3', /TLSv1\.2,TLSv1\.3/],
  ])('rejects %j without quoting key material', async (props, message, suggestion) => {
    const error = await errorOf({ ...SSL, ...props });
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(message);
    if (typeof suggestion === 'string') expect(error.suggestion).toBe(suggestion);
    else expect(error.suggestion).toMatch(suggestion);
    expect(`${error.message}${error.suggestion}`).not.toMatch(/MII|-----END/);
  });

  it('reports a missing store file as not found, naming the key', async () => {
    const error = await errorOf({ ...SSL, 'ssl.truststore.location': '/certs/nope.pem' });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('ssl.truststore.location "/certs/nope.pem" not found');
  });
});

describe('describeSecurity', () => {
  it.each([
    [{}, 'PLAINTEXT'],
    [{ 'security.protocol': 'ssl' }, 'SSL'],
    [{ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'plain' }, 'SASL_PLAINTEXT/PLAIN'],
    [{ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512' }, 'SASL_SSL/SCRAM-SHA-512'],
    [{ 'security.protocol': 'SASL_SSL' }, 'SASL_SSL/GSSAPI'],
  ])('%j → %s', (props, expected) => {
    expect(describeSecurity(props)).toBe(expected);
  });

  it('reads prefixed keys', () => {
    expect(describeSecurity({ 'local.security.protocol': 'SASL_SSL', 'local.sasl.mechanism': 'PLAIN' }, 'local.')).toBe('SASL_SSL/PLAIN');
  });
});

describe('client keys', () => {
  it('knows Kafka client keys and nothing else', () => {
    for (const key of ['bootstrap.servers', 'sasl.jaas.config', 'ssl.truststore.location', 'sasl.oauthbearer.token.endpoint.url', 'sasl.login.refresh.buffer.seconds', 'config.providers.file.class']) {
      expect(isClientConfigKey(key)).toBe(true);
    }
    for (const key of ['consumer.offset.sync.enable', 'link.mode', 'local.security.protocol', 'ssl.trustore.location', 'sasl.mechanisms']) {
      expect(isClientConfigKey(key)).toBe(false);
    }
    expect(CLIENT_CONFIG_KEYS).toContain('security.protocol');
  });

  it('picks the client properties of a mixed link config file', () => {
    expect(pickClientConfigs({ 'bootstrap.servers': 'a:1', 'acl.sync.enable': 'true', 'local.sasl.mechanism': 'PLAIN' })).toEqual({ 'bootstrap.servers': 'a:1' });
    expect(pickClientConfigs({ 'local.sasl.mechanism': 'PLAIN', 'local.listener': 'SASL_SSL' }, 'local.')).toEqual({ 'sasl.mechanism': 'PLAIN' });
  });
});

describe('clientConfigWarnings', () => {
  it('warns about SASL and TLS settings that the protocol makes Kafka ignore', () => {
    expect(clientConfigWarnings({ 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'x', 'ssl.truststore.location': '/ca.pem' })).toEqual([
      'sasl.mechanism and sasl.jaas.config are ignored because security.protocol is PLAINTEXT',
      'ssl.truststore.location is ignored because security.protocol is PLAINTEXT',
    ]);
    expect(clientConfigWarnings({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'ssl.truststore.location': '/ca.pem' })).toEqual([]);
    expect(clientConfigWarnings({ 'local.security.protocol': 'SSL', 'local.sasl.jaas.config': 'x' }, 'local.')).toEqual([
      'local.sasl.jaas.config is ignored because local.security.protocol is SSL',
    ]);
  });
});

describe('checkClientConfig', () => {
  const base = { 'bootstrap.servers': 'b:9092' };

  it('accepts valid configs without reading files or the environment', () => {
    expect(() => checkClientConfig({ ...base, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas(PLAIN), 'ssl.truststore.location': '/nowhere/ca.pem' })).not.toThrow();
    expect(() => checkClientConfig({ ...base, 'security.protocol': 'SSL', 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': '/nowhere.pem' })).not.toThrow();
  });

  it('skips values that are references', () => {
    expect(() => checkClientConfig({ 'bootstrap.servers': '${env:B}', 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': '${file:/s.properties:jaas}' })).not.toThrow();
    expect(() => checkClientConfig({ ...base, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${PLAIN} required username="u" password="\${env:PW}";` })).not.toThrow();
    expect(() => checkClientConfig({ ...base, 'security.protocol': '${env:P}', 'sasl.mechanism': 'GSSAPI' })).not.toThrow();
    expect(() => checkClientConfig({ ...base, 'security.protocol': 'SSL', 'ssl.truststore.certificates': '${env:CA}', 'request.timeout.ms': '${env:T}' })).not.toThrow();
  });

  it.each([
    [{ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI', 'sasl.jaas.config': '${env:J}' }, 'sasl.mechanism GSSAPI is not supported'],
    [{ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas(SCRAM) }, 'sasl.jaas.config uses ScramLoginModule, which does not match sasl.mechanism PLAIN'],
    [{ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' }, 'sasl.jaas.config must be set when security.protocol is SASL_SSL'],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': '/t.p12' }, 'ssl.truststore.password must be set for a PKCS12 trust store'],
    [{ 'security.protocol': 'SSL', 'ssl.keystore.key': TEST_KEY_ENCRYPTED, 'ssl.keystore.certificate.chain': TEST_CERT }, 'the private key in ssl.keystore.key is encrypted but ssl.key.password is not set'],
    [{ 'security.protocol': 'TLS' }, 'security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL'],
    [{ 'request.timeout.ms': 'x' }, 'request.timeout.ms must be a positive integer (milliseconds)'],
  ])('rejects %j', (props, message) => {
    let error: unknown;
    try {
      checkClientConfig({ ...base, ...props });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('requires bootstrap.servers and checks prefixed keys', () => {
    expect(() => checkClientConfig({})).toThrow('bootstrap.servers is not set');
    expect(() => checkClientConfig({ 'local.bootstrap.servers': 'l:1', 'local.security.protocol': 'SASL_SSL', 'local.sasl.mechanism': 'GSSAPI' }, 'local.')).toThrow(
      'local.sasl.mechanism GSSAPI is not supported',
    );
  });
});
