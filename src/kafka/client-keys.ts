/**
 * What clink does with every Kafka client config key it recognises (CLIENT_CONFIG_KEYS and the
 * sasl.kerberos./sasl.login./sasl.oauthbearer./config.providers. families): each is either mapped
 * onto the kafkajs/Node TLS client, or refused with a message naming the key. A refused key is
 * accepted only with the value Kafka itself uses by default (so a properties file that spells the
 * defaults out still works unchanged), because then clink behaves as Kafka would.
 * Invariant: no recognised key is silently ignored; messages name keys, never values.
 */
import { InvalidConfigError } from '../core/errors.js';
import { CLIENT_CONFIG_KEYS } from '../core/config-keys.js';

export type KeyHandling =
  | { kind: 'mapped'; what: string }
  | { kind: 'refused'; why: string; defaults?: readonly string[] };

const mapped = (what: string): KeyHandling => ({ kind: 'mapped', what });
const refused = (why: string, ...defaults: string[]): KeyHandling => ({ kind: 'refused', why, ...(defaults.length ? { defaults } : {}) });

const TUNING = 'clink sets its own retry, back-off and connection behaviour';
const METRICS = 'clink does not run Kafka metrics reporters';

/** One entry per key of CLIENT_CONFIG_KEYS, plus mapped keys of the families (the unit test checks none is missing). */
export const CLIENT_KEY_HANDLING: Readonly<Record<string, KeyHandling>> = {
  'bootstrap.servers': mapped('kafkajs brokers (any `PROTOCOL://` prefix removed)'),
  'client.id': mapped('kafkajs clientId'),
  'client.rack': refused('clink always fetches from partition leaders (no follower fetching)', ''),
  'client.dns.lookup': mapped('use_all_dns_ips (Kafka\'s default) is what Node does: every address of a name is tried; resolve_canonical_bootstrap_servers_only is refused'),
  'security.protocol': mapped('PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL'),
  'security.providers': refused('Java security providers do not exist in Node', ''),
  'request.timeout.ms': mapped('kafkajs requestTimeout, and the bound of every probe'),
  'default.api.timeout.ms': refused(TUNING, '60000'),
  'connections.max.idle.ms': refused(TUNING, '540000'),
  'socket.connection.setup.timeout.ms': mapped('kafkajs connectionTimeout'),
  'socket.connection.setup.timeout.max.ms': refused(TUNING, '30000'),
  'metadata.max.age.ms': refused(TUNING, '300000'),
  'metadata.recovery.strategy': refused(TUNING, 'none', 'rebootstrap'),
  'metadata.recovery.rebootstrap.trigger.ms': refused(TUNING, '300000'),
  retries: refused(TUNING, '2147483647'),
  'retry.backoff.ms': refused(TUNING, '100'),
  'retry.backoff.max.ms': refused(TUNING, '1000'),
  'reconnect.backoff.ms': refused(TUNING, '50'),
  'reconnect.backoff.max.ms': refused(TUNING, '1000'),
  'send.buffer.bytes': refused('clink leaves socket buffers to the operating system', '131072', '-1'),
  'receive.buffer.bytes': refused('clink leaves socket buffers to the operating system', '65536', '32768', '-1'),
  'metric.reporters': refused(METRICS, ''),
  'metrics.num.samples': refused(METRICS, '2'),
  'metrics.sample.window.ms': refused(METRICS, '30000'),
  'metrics.recording.level': refused(METRICS, 'INFO'),
  'auto.include.jmx.reporter': refused(METRICS, 'true', 'false'),
  'enable.metrics.push': refused(METRICS, 'true', 'false'),
  'config.providers': refused('clink resolves `${env:…}` and `${file:…}` references itself, without declared providers', ''),
  'ssl.protocol': mapped('TLS, TLSv1.2 and TLSv1.3 accepted (Node negotiates within ssl.enabled.protocols); others refused'),
  'ssl.provider': refused('Node\'s TLS is OpenSSL; Java providers do not apply', ''),
  'ssl.cipher.suites': refused('Java cipher suite names are not OpenSSL\'s; clink uses Node\'s default suites', ''),
  'ssl.enabled.protocols': mapped('Node TLS minVersion/maxVersion'),
  'ssl.keystore.type': mapped('PEM, PKCS12 or JKS'),
  'ssl.keystore.location': mapped('client key and chain (PEM, PKCS12 or JKS file)'),
  'ssl.keystore.password': mapped('opens a PKCS12 or JKS key store'),
  'ssl.keystore.key': mapped('inline PEM client key'),
  'ssl.keystore.certificate.chain': mapped('inline PEM client certificate chain'),
  'ssl.key.password': mapped('PEM key passphrase, or the JKS key password'),
  'ssl.truststore.type': mapped('PEM, PKCS12 or JKS'),
  'ssl.truststore.location': mapped('trusted CA certificates (PEM, PKCS12 or JKS file)'),
  'ssl.truststore.password': mapped('opens a PKCS12 or JKS trust store'),
  'ssl.truststore.certificates': mapped('inline PEM CA certificates'),
  'ssl.keymanager.algorithm': refused('Java key manager algorithms do not exist in Node', 'SunX509', 'PKIX'),
  'ssl.trustmanager.algorithm': refused('Java trust manager algorithms do not exist in Node', 'PKIX', 'SunX509'),
  'ssl.endpoint.identification.algorithm': mapped('https (default): hostname checked; empty: not checked'),
  'ssl.secure.random.implementation': refused('Node uses OpenSSL\'s random generator', ''),
  'ssl.engine.factory.class': refused('Java SSL engine factories do not exist in Node', ''),
  'sasl.mechanism': mapped('PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER'),
  'sasl.jaas.config': mapped('username and password of PlainLoginModule / ScramLoginModule; clientId, clientSecret and scope of OAuthBearerLoginModule'),
  'sasl.oauthbearer.token.endpoint.url': mapped('OAUTHBEARER: the token endpoint of the client-credentials grant (token cached, fetched anew after 80% of its lifetime)'),
  'sasl.client.callback.handler.class': refused('Java callback handlers cannot run in clink', ''),
  'sasl.login.callback.handler.class': refused(
    'Java callback handlers cannot run in clink (OAuthBearerLoginCallbackHandler, which Java clients need for the token endpoint, is what clink does itself)',
    '', 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler', 'org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler',
  ),
  'sasl.login.class': refused('Java login classes cannot run in clink', ''),
};

/** The families of CLIENT_CONFIG_PREFIXES. */
export const CLIENT_KEY_FAMILY_HANDLING: Readonly<Record<string, KeyHandling>> = {
  'sasl.kerberos.': refused('GSSAPI (Kerberos) is not supported'),
  'sasl.login.': refused('clink does not run Java login modules (token refresh settings belong to OAUTHBEARER, which clink does not support yet)'),
  'sasl.oauthbearer.': refused('of the OAUTHBEARER client settings clink applies only sasl.oauthbearer.token.endpoint.url (client-credentials grant)'),
  'config.providers.': refused('clink resolves `${env:…}` and `${file:…}` references itself, without declared providers'),
};

export function handlingOf(key: string): KeyHandling | undefined {
  const exact = CLIENT_KEY_HANDLING[key];
  if (exact !== undefined) return exact;
  const family = Object.keys(CLIENT_KEY_FAMILY_HANDLING).find((prefix) => key.startsWith(prefix));
  return family === undefined ? undefined : CLIENT_KEY_FAMILY_HANDLING[family];
}

const VALUE_RULES: Record<string, { accepted: readonly string[]; suggestion: string }> = {
  'client.dns.lookup': { accepted: ['use_all_dns_ips', 'default'], suggestion: 'Remove it (clink tries every address of a name, as `use_all_dns_ips`).' },
  'ssl.protocol': { accepted: ['tls', 'tlsv1.2', 'tlsv1.3'], suggestion: 'Use `TLSv1.3` or `TLSv1.2`, and `ssl.enabled.protocols` to restrict versions.' },
};

/**
 * Refuses, with a message naming the key, every client key in `picked` that clink cannot apply
 * (unless set to Kafka's default). `name` gives the key as the user wrote it (e.g. with `local.`).
 * Values that are references are checked only by name.
 */
export function checkClientKeys(picked: Record<string, string>, name: (key: string) => string, isReference: (value: string) => boolean): void {
  for (const [key, raw] of Object.entries(picked)) {
    const handling = handlingOf(key);
    if (handling === undefined) continue;
    const value = raw.trim();
    const rule = VALUE_RULES[key];
    if (handling.kind === 'mapped') {
      if (rule && !isReference(value) && !rule.accepted.includes(value.toLowerCase())) {
        throw new InvalidConfigError(`${name(key)} must be one of ${rule.accepted.join(', ')}`, { suggestion: rule.suggestion });
      }
      continue;
    }
    const isDefault = handling.defaults?.some((d) => d.toLowerCase() === value.toLowerCase()) === true;
    if (isDefault) continue;
    const defaults = handling.defaults?.filter(Boolean) ?? [];
    throw new InvalidConfigError(`${name(key)} is not supported: ${handling.why}`, {
      suggestion: defaults.length > 0
        ? `Remove \`${name(key)}\` (or set it to Kafka's default, ${defaults.map((d) => `\`${d}\``).join(' or ')}).`
        : `Remove \`${name(key)}\` from the client properties.`,
    });
  }
}

export { CLIENT_CONFIG_KEYS };
