/**
 * The `--config` and `--config-file` flags, with the Confluent CLI's rules:
 *  - `--config k=v,k2=v2` is split on commas; a segment without `=` is glued back onto the previous
 *    value with its comma, so JSON filters survive; the value may itself contain `=`;
 *  - clink also glues a segment while the previous value is an unfinished JSON object/array or an
 *    unclosed double-quoted string (so `name":"a=b"` inside JSON, or a JAAS password with `,x=`, stays whole);
 *  - repeated flags merge, the last occurrence of a key wins;
 *  - a single `--config` value that names an existing file is read as a properties file;
 *  - `--config` and `--config-file` cannot be combined.
 * Invariants: every entry remembers where it came from (file and line, or the flag) for messages;
 * no error quotes the value of a key (it may be a password); only a segment that has no `=` at all
 * is quoted, as Confluent does, because it is not a value of anything.
 */
import { stat } from 'node:fs/promises';
import { InvalidConfigError, UsageError } from '../core/errors.js';
import { readPropertiesFileDetailed } from './properties.js';

export type ConfigOrigin = { kind: 'file'; file: string; line: number } | { kind: 'flag'; flag: '--config' };

export interface ConfigEntries {
  values: Record<string, string>;
  origins: Record<string, ConfigOrigin>;
}

/** True when the brackets and double quotes of a JSON-looking value are still open. */
function isUnfinished(value: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return inString || (depth > 0 && /^\s*[[{]/.test(value));
}

function parseFailure(segment: string): InvalidConfigError {
  const shown = segment.length > 60 ? `${segment.slice(0, 57)}...` : segment;
  return new InvalidConfigError(`failed to parse "key=value" pattern from configuration: ${shown}`, {
    suggestion: 'Pass configs as `--config key=value,key2=value2`, or pass the path of an existing properties file.',
  });
}

/** Parses the values of one or more `--config` flags into a map (last occurrence wins). */
export function parseInlineConfigs(flagValues: readonly string[]): Record<string, string> {
  const values = new Map<string, string>();
  for (const flagValue of flagValues) {
    const pairs: Array<[string, string]> = [];
    for (const segment of flagValue.split(',')) {
      const last = pairs[pairs.length - 1];
      if (last !== undefined && (!segment.includes('=') || isUnfinished(last[1]))) {
        last[1] += `,${segment}`;
        continue;
      }
      const at = segment.indexOf('=');
      if (at < 0) {
        if (segment.trim() === '' && last === undefined) continue; // `--config ""` or a leading comma
        throw parseFailure(segment);
      }
      const key = segment.slice(0, at).trim();
      if (key === '') {
        throw new InvalidConfigError('a --config entry has an empty key', { suggestion: 'Write each config as `key=value`.' });
      }
      pairs.push([key, segment.slice(at + 1)]);
    }
    for (const [key, value] of pairs) {
      values.delete(key); // the last occurrence also decides the order
      values.set(key, value);
    }
  }
  return Object.fromEntries(values);
}

/** Alias of parseInlineConfigs. */
export const parseInlineConfig = parseInlineConfigs;

export interface ConfigFlags {
  config?: readonly string[];
  configFile?: string;
}

export interface ConfigFlagDeps {
  readFile?: (path: string) => Promise<string>;
  /** Whether a path is an existing regular file (for Confluent's `--config <file>` form). */
  isFile?: (path: string) => Promise<boolean>;
}

async function defaultIsFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function fromFile(path: string, deps: ConfigFlagDeps): Promise<ConfigEntries> {
  const parsed = await readPropertiesFileDetailed(path, deps.readFile === undefined ? {} : { readFile: deps.readFile });
  const origins = Object.fromEntries(Object.entries(parsed.lines).map(([key, line]): [string, ConfigOrigin] => [key, { kind: 'file', file: path, line }]));
  return { values: Object.fromEntries(Object.entries(parsed.values)), origins };
}

/** Reads the configs given by `--config` or `--config-file` (never both) into one set of entries. */
export async function collectConfigFlags(flags: ConfigFlags, deps: ConfigFlagDeps = {}): Promise<ConfigEntries> {
  const inline = flags.config ?? [];
  if (inline.length > 0 && flags.configFile !== undefined) {
    throw new UsageError('--config and --config-file cannot be used together', {
      suggestion: 'Put every config in the file given to `--config-file`, or pass them all with `--config`.',
    });
  }
  if (flags.configFile !== undefined) return fromFile(flags.configFile, deps);
  const only = inline.length === 1 ? inline[0] : undefined;
  if (only !== undefined && !only.includes('=') && only.trim() !== '' && (await (deps.isFile ?? defaultIsFile)(only))) {
    return fromFile(only, deps);
  }
  const values = parseInlineConfigs(inline);
  const origins = Object.fromEntries(Object.keys(values).map((key): [string, ConfigOrigin] => [key, { kind: 'flag', flag: '--config' }]));
  return { values, origins };
}

/** `dr-link.config line 7` or `--config`, for messages about one entry. */
export function describeOrigin(origin: ConfigOrigin | undefined): string | undefined {
  if (origin === undefined) return undefined;
  return origin.kind === 'file' ? `${origin.file} line ${origin.line}` : origin.flag;
}
