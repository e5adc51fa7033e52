/**
 * Keeps secrets out of what clink prints: which config keys are sensitive, redaction for listings,
 * and the list of secret strings a test (or a log scrubber) must never see in output.
 * Invariants: redaction decides by key name only (src/core/config-keys.ts), so a value is hidden
 * even when it is a reference or malformed; collectSecretValues over-approximates (whole values plus
 * every JAAS option value, user-info halves) rather than miss a secret.
 */
import { isSensitiveKey, REDACTED } from '../core/config-keys.js';
import { parseJaasConfig } from './jaas.js';

export { isSensitiveKey, REDACTED };

/** `********` for a non-empty value, '' for an empty one. */
export function redactValue(value: string): string {
  return value === '' ? '' : REDACTED;
}

/** A copy of `map` with every non-empty sensitive value replaced by `********`. */
export function redactConfigs(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) out[key] = isSensitiveKey(key) && value !== '' ? REDACTED : value;
  return out;
}

/** Option values of a JAAS entry; falls back to every quoted string when the entry does not parse. */
function jaasSecrets(text: string): string[] {
  try {
    return Object.values(parseJaasConfig(text).options);
  } catch {
    const quoted = [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1] ?? m[2] ?? '');
    const unquoted = [...text.matchAll(/=\s*([^\s"';]+)/g)].map((m) => m[1] ?? '');
    return [...quoted, ...unquoted];
  }
}

/**
 * Every secret string in `map`: whole sensitive values, each JAAS option value (username, password,
 * client secrets) and both halves of `user:password` user-info. Empty strings are left out.
 */
export function collectSecretValues(map: Record<string, string>): string[] {
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(map)) {
    if (!isSensitiveKey(key) || value === '') continue;
    secrets.add(value);
    if (key.endsWith('jaas.config')) for (const s of jaasSecrets(value)) secrets.add(s);
    if (key.endsWith('user.info')) {
      const at = value.indexOf(':');
      if (at >= 0) {
        secrets.add(value.slice(0, at));
        secrets.add(value.slice(at + 1));
      }
    }
  }
  secrets.delete('');
  return [...secrets];
}

/** Replaces every occurrence of each secret in `text` by `********` (longest secrets first). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return [...secrets]
    .filter((s) => s !== '')
    .sort((a, b) => b.length - a.length)
    .reduce((out, secret) => out.split(secret).join(REDACTED), text);
}
