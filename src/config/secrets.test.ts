import { describe, expect, it } from 'vitest';
import { collectSecretValues, isSensitiveKey, redactConfigs, REDACTED, redactValue, scrubSecrets } from './secrets.js';

describe('isSensitiveKey', () => {
  it.each([
    'sasl.jaas.config',
    'local.sasl.jaas.config',
    'ssl.key.password',
    'ssl.keystore.password',
    'ssl.truststore.password',
    'ssl.keystore.key',
    'ssl.keystore.certificate.chain',
    'ssl.truststore.certificates',
    'local.ssl.key.password',
    'basic.auth.user.info',
    'schema.registry.basic.auth.user.info',
    'sasl.oauthbearer.client.credentials.client.secret',
    'sasl.oauthbearer.assertion.private.key.passphrase',
    'some.plugin.password',
    'password',
    'API.SECRET',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'bootstrap.servers',
    'security.protocol',
    'sasl.mechanism',
    'ssl.truststore.location',
    'ssl.truststore.type',
    'ssl.keystore.location',
    'sasl.oauthbearer.token.endpoint.url',
    'consumer.offset.group.filters',
    'acl.filters',
    'cluster.link.prefix',
    'local.sasl.mechanism',
    'password.encoder.iterations.count',
  ])('%s is not sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});

describe('redactConfigs', () => {
  it('hides non-empty sensitive values and keeps the rest', () => {
    expect(
      redactConfigs({
        'bootstrap.servers': 'a:9092',
        'sasl.jaas.config': 'x.Y required password="p";',
        'ssl.key.password': '',
        'ssl.truststore.password': '${env:TS_PW}',
      }),
    ).toEqual({ 'bootstrap.servers': 'a:9092', 'sasl.jaas.config': REDACTED, 'ssl.key.password': '', 'ssl.truststore.password': REDACTED });
    expect(REDACTED).toBe('********');
    expect(redactValue('x')).toBe(REDACTED);
    expect(redactValue('')).toBe('');
  });
});

describe('collectSecretValues', () => {
  it('returns whole values, JAAS option values and user-info halves', () => {
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="AKEY" password="s\\"ecret";';
    const secrets = collectSecretValues({
      'bootstrap.servers': 'a:9092',
      'sasl.jaas.config': jaas,
      'local.sasl.jaas.config': 'x.Y required username=lu password=lp;',
      'basic.auth.user.info': 'sr-user:sr-pass',
      'ssl.key.password': '',
    });
    expect(secrets.sort()).toEqual([jaas, 'AKEY', 's"ecret', 'x.Y required username=lu password=lp;', 'lu', 'lp', 'sr-user:sr-pass', 'sr-user', 'sr-pass'].sort());
  });

  it('still finds the credentials of a JAAS entry that does not parse', () => {
    const secrets = collectSecretValues({ 'sasl.jaas.config': 'x.Y required username="u1" password=p1' });
    expect(secrets).toContain('u1');
    expect(secrets).toContain('p1');
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence, longest first', () => {
    expect(scrubSecrets('user=ab pass=abc abc', ['ab', 'abc', ''])).toBe('user=******** pass=******** ********');
  });
});
