/**
 * The one rule for `secretRef: NAME` (docs/declarative.md, "Secrets"): with `--secrets-dir DIR` the
 * secret is the directory DIR/NAME, laid out like a mounted Kubernetes secret (one file per key);
 * without it, the secret is the environment variable named after NAME (upper case, every character
 * other than a letter or digit turned into `_`). Either way the stored value is a reference that is
 * resolved only when a connection is made, so no secret value is ever read here, stored or printed.
 * `secretRefOf` is the inverse, for export.
 */
import path from 'node:path';

export interface SecretRule {
  /** Absolute, when given. */
  secretsDir?: string;
}

export const envNameOf = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** The reference for key `key` of secret `name` (env: the whole secret is the one value). */
export function secretReference(name: string, key: string, rule: SecretRule): string {
  if (rule.secretsDir) return `\${dir:${path.join(rule.secretsDir, name)}:${key}}`;
  return `\${env:${envNameOf(name)}}`;
}

/** The secret name and key a reference made by secretReference stands for, or undefined. */
export function secretRefOf(value: string, rule: SecretRule): { name: string; key?: string } | undefined {
  const env = /^\$\{env:([A-Z0-9_]+)\}$/.exec(value);
  if (env && !rule.secretsDir) return { name: env[1]! };
  const dir = /^\$\{dir:(.*):([^:/\\]+)\}$/.exec(value);
  if (dir && rule.secretsDir && path.dirname(dir[1]!) === rule.secretsDir) return { name: path.basename(dir[1]!), key: dir[2]! };
  return undefined;
}
