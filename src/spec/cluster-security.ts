/**
 * A CR's `authentication` and `tls` blocks as Kafka client properties, and back (for export). The
 * secret files a secret directory holds are CFK's names: `plain-jaas.conf` (plain and scram: the
 * whole `sasl.jaas.config` value), `cacerts.pem` (the CA certificates), `fullchain.pem` and
 * `privkey.pem` (mtls). Invariant: toClientConfig(fromClientConfig(x)) === x for every x that
 * toClientConfig made; anything else stays a plain client property.
 */
import path from 'node:path';
import { secretRefOf, secretReference, type SecretRule } from './secret-ref.js';

export interface Authentication {
  type: 'plain' | 'scram' | 'mtls';
  jaasConfig?: { secretRef: string };
}

export interface Tls {
  enabled?: boolean;
  secretRef?: string;
}

export const JAAS_KEY = 'plain-jaas.conf';
export const CA_KEY = 'cacerts.pem';

export function toClientConfig(auth: Authentication | undefined, tls: Tls | undefined, rule: SecretRule): { config: Record<string, string>; problems: string[] } {
  const config: Record<string, string> = {};
  const problems: string[] = [];
  const tlsOn = Boolean(tls?.enabled) || auth?.type === 'mtls';
  if (auth?.type === 'plain' || auth?.type === 'scram') {
    config['security.protocol'] = tlsOn ? 'SASL_SSL' : 'SASL_PLAINTEXT';
    config['sasl.mechanism'] = auth.type === 'plain' ? 'PLAIN' : 'SCRAM-SHA-512';
    if (!auth.jaasConfig) problems.push(`authentication.type ${auth.type} needs authentication.jaasConfig.secretRef`);
    else config['sasl.jaas.config'] = secretReference(auth.jaasConfig.secretRef, JAAS_KEY, rule);
  } else if (tlsOn) {
    config['security.protocol'] = 'SSL';
  }
  if (tls?.secretRef || auth?.type === 'mtls') {
    if (!rule.secretsDir) problems.push('tls.secretRef names files (certificates), so it needs --secrets-dir');
    else if (!tls?.secretRef) problems.push('authentication.type mtls needs tls.secretRef');
    else {
      const dir = path.join(rule.secretsDir, tls.secretRef);
      config['ssl.truststore.type'] = 'PEM';
      config['ssl.truststore.location'] = path.join(dir, CA_KEY);
      if (auth?.type === 'mtls') {
        config['ssl.keystore.type'] = 'PEM';
        config['ssl.keystore.certificate.chain'] = secretReference(tls.secretRef, 'fullchain.pem', rule);
        config['ssl.keystore.key'] = secretReference(tls.secretRef, 'privkey.pem', rule);
      }
    }
  }
  return { config, problems };
}

/** The authentication/tls blocks that toClientConfig turns into (a subset of) `config`, and the rest. */
export function fromClientConfig(config: Record<string, string>, rule: SecretRule): { authentication?: Authentication; tls?: Tls; rest: Record<string, string> } {
  const protocol = config['security.protocol'];
  const mechanism = config['sasl.mechanism'];
  const jaas = config['sasl.jaas.config'] ? secretRefOf(config['sasl.jaas.config'], rule) : undefined;
  let authentication: Authentication | undefined;
  if ((protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') && jaas && (jaas.key === undefined || jaas.key === JAAS_KEY) && (mechanism === 'PLAIN' || mechanism === 'SCRAM-SHA-512')) {
    authentication = { type: mechanism === 'PLAIN' ? 'plain' : 'scram', jaasConfig: { secretRef: jaas.name } };
  }
  let tls: Tls | undefined;
  const location = config['ssl.truststore.location'];
  if (rule.secretsDir && location && config['ssl.truststore.type'] === 'PEM' && path.basename(location) === CA_KEY && path.dirname(path.dirname(location)) === rule.secretsDir) {
    tls = { enabled: true, secretRef: path.basename(path.dirname(location)) };
    if (!authentication && protocol === 'SSL' && config['ssl.keystore.type'] === 'PEM') authentication = { type: 'mtls' };
  } else if (protocol === 'SSL' || protocol === 'SASL_SSL') tls = { enabled: true };
  // Only what maps back exactly leaves the plain properties.
  const candidate = toClientConfig(authentication, tls, rule).config;
  const exact = Object.entries(candidate).every(([k, v]) => config[k] === v);
  if (!exact) return { rest: { ...config } };
  const rest = Object.fromEntries(Object.entries(config).filter(([k]) => !(k in candidate)));
  return { ...(authentication ? { authentication } : {}), ...(tls ? { tls } : {}), rest };
}
