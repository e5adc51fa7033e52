/**
 * The principal a client config authenticates as, when the config says it plainly: `User:<name>` of
 * a SASL PLAIN/SCRAM JAAS `username`. Invariant: pure; undefined (never a guess) for references,
 * OAUTHBEARER, mTLS or anything unparsable.
 */
import { parseJaasConfig } from './jaas.js';
import { hasReference } from './references.js';

export function ownPrincipal(clientConfig: Readonly<Record<string, string>>): string | undefined {
  const jaas = clientConfig['sasl.jaas.config'];
  if (jaas === undefined || hasReference(jaas)) return undefined;
  try {
    const username = parseJaasConfig(jaas).options.username;
    return username ? `User:${username}` : undefined;
  } catch {
    return undefined;
  }
}
