/**
 * Kafka Java client properties → kafkajs client options, so operators reuse the files they give
 * Kafka's own tools (`--command-config`): bootstrap.servers, client.id, security.protocol,
 * sasl.mechanism + sasl.jaas.config (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), ssl.* (PEM; see
 * client-ssl.ts), request.timeout.ms and socket.connection.setup.timeout.ms.
 * Invariants: references (${env:…}, ${file:…}) are resolved here, at connection time, and only in
 * client keys; client keys clink cannot apply are refused by checkClientConfig when a cluster or
 * link is registered (here, at connection time, stored configs are not re-judged); no
 * message ever contains the JAAS text, a password or a key (errors name keys, not values).
 */
import type { ConnectionOptions } from 'node:tls';
import { readFile as fsReadFile } from 'node:fs/promises';
import { CLIENT_CONFIG_KEYS, isClientConfigKey } from '../core/config-keys.js';
import { InvalidConfigError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';
import { fileReadError } from '../config/properties.js';
import { hasReference, resolveReferences } from '../config/references.js';
import { buildSslOptions, checkSslOptions } from './client-ssl.js';
import { checkSaslMechanism, saslOptions, type KafkaJsSasl } from './client-sasl.js';
import { checkClientKeys } from './client-keys.js';

export { CLIENT_CONFIG_KEYS, isClientConfigKey };

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export interface KafkaJsClientConfig {
  brokers: string[];
  clientId: string;
  ssl?: ConnectionOptions;
  sasl?: KafkaJsSasl;
  requestTimeout?: number;
  connectionTimeout?: number;
}

export interface ClientConfigOptions {
  /** Used when the properties have no `client.id`. */
  clientId?: string;
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => Promise<string> | string;
  /** Reads store files (PKCS12 and JKS are binary); default fs.readFile, or `readFile` when only that is given. */
  readBinary?: (path: string) => Promise<Buffer> | Buffer;
  /** Read `<prefix><key>` instead of `<key>` (`local.` for a link's local-cluster credentials). */
  prefix?: string;
}

/** The client properties of `props` (keys under `prefix`, with the prefix removed). */
export function pickClientConfigs(props: Record<string, string>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (!key.startsWith(prefix)) continue;
    const bare = key.slice(prefix.length);
    if (isClientConfigKey(bare)) out[bare] = value;
  }
  return out;
}

export function parseSecurityProtocol(value: string | undefined, name = 'security.protocol'): SecurityProtocol {
  const protocol = (value ?? 'PLAINTEXT').trim().toUpperCase();
  if ((SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) return protocol as SecurityProtocol;
  const hint = didYouMean(protocol, SECURITY_PROTOCOLS);
  throw new InvalidConfigError(`${name} must be one of ${SECURITY_PROTOCOLS.join(', ')}`, {
    suggestion: hint ?? 'Use `SASL_SSL` for an authenticated, encrypted connection.',
  });
}

/** `host:port` entries of bootstrap.servers, with any `PROTOCOL://` prefix removed. */
export function parseBootstrapServers(value: string | undefined, name = 'bootstrap.servers'): string[] {
  const servers = (value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, ''))
    .filter(Boolean);
  if (servers.length === 0) {
    throw new InvalidConfigError(`${name} is not set`, { suggestion: `Set \`${name}\` to the cluster's \`host:port\` addresses, separated by commas.` });
  }
  for (const server of servers) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]/]+):(\d{1,5})$/.exec(server);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535) {
      throw new InvalidConfigError(`invalid ${name} entry "${server}"`, { suggestion: 'Give each server as `host:port` with a port between 1 and 65535, separated by commas.' });
    }
  }
  return servers;
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidConfigError(`${name} must be a positive integer (milliseconds)`, { suggestion: `Set \`${name}\` to a whole number of milliseconds, for example \`30000\`.` });
  }
  return n;
}

/** Builds the kafkajs options for the client properties in `props` (other keys are ignored). */
export async function toKafkaJsConfig(props: Record<string, string>, options: ClientConfigOptions = {}): Promise<KafkaJsClientConfig> {
  const prefix = options.prefix ?? '';
  const readFile = options.readFile ?? ((path: string) => fsReadFile(path, 'utf8'));
  const resolved = await resolveReferences(pickClientConfigs(props, prefix), { env: options.env ?? {}, readFile });
  const get = (key: string): string | undefined => resolved[key];
  const name = (key: string): string => `${prefix}${key}`;

  const config: KafkaJsClientConfig = {
    brokers: parseBootstrapServers(get('bootstrap.servers'), name('bootstrap.servers')),
    clientId: get('client.id')?.trim() || options.clientId || 'clink',
  };
  const protocol = parseSecurityProtocol(get('security.protocol'), name('security.protocol'));
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') config.sasl = saslOptions({ get, name, protocol });
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const readBinary = options.readBinary ?? (options.readFile ? async (p: string) => Buffer.from(await readFile(p), 'utf8') : (p: string) => fsReadFile(p));
    const read = async (path: string, key: string): Promise<Buffer> => {
      try {
        return await readBinary(path);
      } catch (error) {
        throw fileReadError(path, error, name(key));
      }
    };
    config.ssl = await buildSslOptions({ get, name }, read);
  }
  const requestTimeout = positiveInt(get('request.timeout.ms'), name('request.timeout.ms'));
  if (requestTimeout !== undefined) config.requestTimeout = requestTimeout;
  const connectionTimeout = positiveInt(get('socket.connection.setup.timeout.ms'), name('socket.connection.setup.timeout.ms'));
  if (connectionTimeout !== undefined) config.connectionTimeout = connectionTimeout;
  return config;
}

/**
 * The checks of toKafkaJsConfig that need no file, no environment and no network, for `cluster add`
 * and `link create` to fail early: bootstrap, protocol, mechanism, JAAS shape, store types, inline
 * PEM values, timeouts; and every client key clink cannot apply is refused here (client-keys.ts),
 * so nothing is silently ignored. A value that is a reference is not checked (it is checked when resolved).
 */
export function checkClientConfig(props: Record<string, string>, prefix = ''): void {
  const picked = pickClientConfigs(props, prefix);
  checkClientKeys(picked, (key) => `${prefix}${key}`, hasReference);
  const known = (key: string): string | undefined => {
    const value = picked[key];
    return value === undefined || hasReference(value) ? undefined : value;
  };
  const name = (key: string): string => `${prefix}${key}`;
  if (!hasReference(picked['bootstrap.servers'] ?? '')) parseBootstrapServers(picked['bootstrap.servers'], name('bootstrap.servers'));
  if (hasReference(picked['security.protocol'] ?? '')) return;
  const protocol = parseSecurityProtocol(picked['security.protocol'], name('security.protocol'));
  if (protocol.startsWith('SASL_') && !hasReference(picked['sasl.mechanism'] ?? '')) {
    const jaas = picked['sasl.jaas.config'];
    const get = (key: string): string | undefined => picked[key];
    if (jaas !== undefined && jaas.trim().startsWith('${')) checkSaslMechanism({ get, name, protocol });
    else saslOptions({ get, name, protocol });
  }
  if (protocol.endsWith('SSL')) checkSslOptions({ get: known, name });
  positiveInt(known('request.timeout.ms'), name('request.timeout.ms'));
  positiveInt(known('socket.connection.setup.timeout.ms'), name('socket.connection.setup.timeout.ms'));
}

/** `PLAINTEXT`, `SSL`, `SASL_SSL/SCRAM-SHA-512`, … for output; never fails and never resolves references. */
export function describeSecurity(props: Record<string, string>, prefix = ''): string {
  const protocol = (props[`${prefix}security.protocol`] ?? 'PLAINTEXT').trim().toUpperCase() || 'PLAINTEXT';
  if (!protocol.startsWith('SASL_')) return protocol;
  const mechanism = props[`${prefix}sasl.mechanism`]?.trim().toUpperCase();
  return `${protocol}/${mechanism || 'GSSAPI'}`;
}

/** Settings that Kafka would silently ignore because of security.protocol; worth a warning. */
export function clientConfigWarnings(props: Record<string, string>, prefix = ''): string[] {
  const protocol = (props[`${prefix}security.protocol`] ?? 'PLAINTEXT').trim().toUpperCase();
  const keys = Object.keys(pickClientConfigs(props, prefix));
  const warnings: string[] = [];
  const sasl = keys.filter((k) => k === 'sasl.mechanism' || k === 'sasl.jaas.config');
  if (sasl.length > 0 && !protocol.startsWith('SASL_')) {
    warnings.push(`${sasl.map((k) => prefix + k).join(' and ')} ${sasl.length > 1 ? 'are' : 'is'} ignored because ${prefix}security.protocol is ${protocol}`);
  }
  const ssl = keys.filter((k) => /^ssl\.(truststore|keystore)\.(location|certificates|key|certificate\.chain)$/.test(k));
  if (ssl.length > 0 && !protocol.endsWith('SSL')) {
    warnings.push(`${ssl.map((k) => prefix + k).join(', ')} ${ssl.length > 1 ? 'are' : 'is'} ignored because ${prefix}security.protocol is ${protocol}`);
  }
  return warnings;
}
