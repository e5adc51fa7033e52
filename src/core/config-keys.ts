/**
 * Classification of config keys, shared by the link-config registry (core), the Kafka client mapping
 * (src/kafka/client-config.ts re-exports it) and redaction (src/config/secrets.ts re-exports it).
 * Invariants: a key is a "client key" exactly when Apache Kafka's Java clients define it (so a mixed
 * link config file splits deterministically); a key is sensitive exactly when Kafka would treat its
 * value as a password, or its name says it holds a secret. Only names are inspected, never values.
 */

/** Kafka's common client, SSL and SASL configs (CommonClientConfigs, SslConfigs, SaslConfigs). */
export const CLIENT_CONFIG_KEYS: readonly string[] = [
  'bootstrap.servers',
  'client.id',
  'client.rack',
  'client.dns.lookup',
  'security.protocol',
  'security.providers',
  'request.timeout.ms',
  'default.api.timeout.ms',
  'connections.max.idle.ms',
  'socket.connection.setup.timeout.ms',
  'socket.connection.setup.timeout.max.ms',
  'metadata.max.age.ms',
  'metadata.recovery.strategy',
  'metadata.recovery.rebootstrap.trigger.ms',
  'retries',
  'retry.backoff.ms',
  'retry.backoff.max.ms',
  'reconnect.backoff.ms',
  'reconnect.backoff.max.ms',
  'send.buffer.bytes',
  'receive.buffer.bytes',
  'metric.reporters',
  'metrics.num.samples',
  'metrics.sample.window.ms',
  'metrics.recording.level',
  'auto.include.jmx.reporter',
  'enable.metrics.push',
  'config.providers',
  'ssl.protocol',
  'ssl.provider',
  'ssl.cipher.suites',
  'ssl.enabled.protocols',
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.key.password',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'ssl.keymanager.algorithm',
  'ssl.trustmanager.algorithm',
  'ssl.endpoint.identification.algorithm',
  'ssl.secure.random.implementation',
  'ssl.engine.factory.class',
  'sasl.mechanism',
  'sasl.jaas.config',
  'sasl.client.callback.handler.class',
  'sasl.login.callback.handler.class',
  'sasl.login.class',
];

/** Families Kafka keeps extending (Kerberos, login refresh, OAuth, provider settings): any key under them is a client key. */
const CLIENT_CONFIG_PREFIXES: readonly string[] = ['sasl.kerberos.', 'sasl.login.', 'sasl.oauthbearer.', 'config.providers.'];

const CLIENT_KEY_SET = new Set(CLIENT_CONFIG_KEYS);

export function isClientConfigKey(key: string): boolean {
  return CLIENT_KEY_SET.has(key) || CLIENT_CONFIG_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Prefix of the client properties a link uses for its local cluster (SOURCE and BIDIRECTIONAL links). */
export const LOCAL_PREFIX = 'local.';

/** `local.security.protocol`, `local.sasl.jaas.config`, … (plus `local.listener`, which the Confluent CLI sets). */
export function isLocalClientConfigKey(key: string): boolean {
  return key === 'local.listener' || (key.startsWith(LOCAL_PREFIX) && isClientConfigKey(key.slice(LOCAL_PREFIX.length)));
}

/** What sensitive values are shown as. */
export const REDACTED = '********';

/** Kafka's PASSWORD-typed client configs, plus Schema Registry's credentials. */
const SENSITIVE_KEYS = new Set([
  'sasl.jaas.config',
  'ssl.key.password',
  'ssl.keystore.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'basic.auth.user.info',
  'password',
]);

export function isSensitiveKey(key: string): boolean {
  const name = (key.startsWith(LOCAL_PREFIX) ? key.slice(LOCAL_PREFIX.length) : key).toLowerCase();
  return (
    SENSITIVE_KEYS.has(name) ||
    name.endsWith('.password') ||
    name.endsWith('passphrase') ||
    name.endsWith('jaas.config') ||
    name.includes('secret') ||
    name.endsWith('user.info')
  );
}
