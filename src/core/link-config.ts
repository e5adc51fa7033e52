/**
 * Validation and presentation of cluster-link configs (the registry is link-config-registry.ts).
 * Invariants:
 *  - a config map is accepted only if every key is a link config, a Kafka client config or a
 *    `local.` client config, every link-config value parses, and the combinations Confluent's
 *    tasks would later reject (issue confluentinc/cli#3072) are refused up front;
 *  - all problems are reported at once, each with where it came from when known;
 *  - no message contains the value of a client or `local.` config (those may be secrets);
 *  - presentation never shows a sensitive value (see config-keys.ts).
 */
import { CLIENT_CONFIG_KEYS, isClientConfigKey, isLocalClientConfigKey, isSensitiveKey, REDACTED } from './config-keys.js';
import { didYouMean } from './did-you-mean.js';
import { ClinkError, InvalidConfigError } from './errors.js';
import { LINK_CONFIG_DEFS, LINK_CONFIGS, type LinkConfigDef, type LinkConfigName, type LinkConfigs } from './link-config-registry.js';

export * from './link-config-registry.js';

export interface ValidateLinkConfigsOptions {
  /** The stored configs of an existing link: `entries` are then an update of them. */
  current?: Record<string, string>;
  /** Where an entry came from, for messages (`dr-link.config line 7`, `--config`). */
  locate?: (key: string) => string | undefined;
}

export interface ValidatedLinkConfigs {
  /** Every link config, typed, defaults applied. */
  configs: LinkConfigs;
  /** What to store: explicitly set configs (link, client and local) as canonical strings. */
  values: Record<string, string>;
  /** Link configs set explicitly (not defaults). */
  explicit: LinkConfigName[];
  clientConfigs: Record<string, string>;
  localConfigs: Record<string, string>;
  warnings: string[];
}

interface Problem {
  message: string;
  suggestion?: string;
}

/** Filter pairs whose feature must not be enabled without filters. */
const FEATURE_FILTERS = [
  ['consumer.offset.sync.enable', 'consumer.offset.group.filters', 'consumer group offsets are synced'],
  ['acl.sync.enable', 'acl.filters', 'ACLs are synced'],
  ['auto.create.mirror.topics.enable', 'auto.create.mirror.topics.filters', 'mirror topics are created automatically'],
] as const;

const LIMITS = { int: 2147483647, long: Number.MAX_SAFE_INTEGER } as const;

const shown = (value: string): string => (value.length > 40 ? `${value.slice(0, 37)}...` : value);
const gluedHint = (value: string): string | undefined =>
  /\s\S+=/.test(value) ? 'Put each config on its own line; this value looks like several configs joined together.' : undefined;

/** Parses one link-config value: its typed value and canonical string form. */
function parseValue(def: LinkConfigDef, raw: string): { typed: unknown; canonical: string } {
  const value = raw.trim();
  const bad = (what: string, suggestion?: string): never => {
    throw new InvalidConfigError(`${def.name} must be ${what}, not "${shown(value)}"`, {
      suggestion: gluedHint(value) ?? suggestion ?? `Set \`${def.name}=${def.default}\` or leave it out for the default.`,
    });
  };
  switch (def.type) {
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') bad('a boolean (true or false)', `Set \`${def.name}=true\` or \`${def.name}=false\`.`);
      return { typed: lower === 'true', canonical: lower };
    }
    case 'int':
    case 'long': {
      const min = def.min ?? 0;
      const kind = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer of at least ${min}`;
      const n = Number(value);
      if (!/^[+-]?\d+$/.test(value) || n < min) bad(kind);
      if (n > LIMITS[def.type]) bad(`at most ${LIMITS[def.type]}`);
      return { typed: n, canonical: String(n) };
    }
    case 'enum': {
      const upper = value.toUpperCase();
      const values = def.values ?? [];
      if (values.includes(upper)) return { typed: upper, canonical: upper };
      const quoted = values.map((v) => `"${v}"`);
      const list = quoted.length > 2 ? `${quoted.slice(0, -1).join(', ')}, or ${quoted[quoted.length - 1] ?? ''}` : quoted.join(' or ');
      if (def.name === 'link.mode') throw new InvalidConfigError(`unrecognized link mode "${shown(value)}"`, { suggestion: `Use ${list}.` });
      return bad(`one of ${values.join(', ')}`, didYouMean(upper, values) ?? `Use ${list}.`);
    }
    default: {
      const typed = def.parse ? def.parse(value, def.name) : value;
      const canonical = def.name === 'mirror.start.offset.spec' && /^(earliest|latest)$/i.test(value) ? value.toLowerCase() : value;
      return { typed, canonical };
    }
  }
}

function unknownKey(key: string): Problem {
  const candidates = [...LINK_CONFIGS.keys(), ...CLIENT_CONFIG_KEYS, ...CLIENT_CONFIG_KEYS.map((k) => `local.${k}`)];
  return {
    message: `unknown link config "${key}"`,
    suggestion: didYouMean(key, candidates) ?? 'Check the name against the configs listed by `clink link configuration list <link>`.',
  };
}

function fail(problems: Problem[]): never {
  const [first] = problems;
  if (problems.length === 1 && first !== undefined) {
    throw new InvalidConfigError(first.message, { ...(first.suggestion ? { suggestion: first.suggestion } : {}), context: { problems } });
  }
  const suggestions = [...new Set(problems.flatMap((p) => (p.suggestion ? [p.suggestion] : [])))];
  throw new InvalidConfigError(`${problems.length} invalid link configs:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`, {
    ...(suggestions.length > 0 ? { suggestion: suggestions.join(' ') } : {}),
    context: { problems },
  });
}

/** Validates link configs for `link create` (or, with `current`, `link configuration update`). */
export function validateLinkConfigs(entries: Record<string, string>, options: ValidateLinkConfigsOptions = {}): ValidatedLinkConfigs {
  const problems: Problem[] = [];
  const where = (key: string): string => {
    const origin = Object.hasOwn(entries, key) ? options.locate?.(key) : undefined;
    return origin === undefined ? '' : ` (${origin})`;
  };
  const add = (key: string, problem: Problem): void => {
    problems.push({ ...problem, message: `${problem.message}${where(key)}` });
  };
  const current = options.current ?? {};
  const values: Record<string, string> = { ...current };
  const warnings: string[] = [];

  for (const [key, raw] of Object.entries(entries)) {
    const def = LINK_CONFIGS.get(key);
    if (def === undefined) {
      if (isClientConfigKey(key) || isLocalClientConfigKey(key)) values[key] = raw;
      else add(key, unknownKey(key));
      continue;
    }
    try {
      const { canonical } = parseValue(def, raw);
      const before = current[key] ?? def.default;
      if (options.current !== undefined && def.immutable && canonical !== parseValue(def, before).canonical) {
        add(key, { message: `${key} cannot be changed after the link is created`, suggestion: 'Create a new link with the value you need.' });
      }
      values[key] = canonical;
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      add(key, { message: error.message, ...(error.suggestion ? { suggestion: error.suggestion } : {}) });
    }
  }

  // Disabling a feature clears its filters (Confluent's rule), unless the same update sets them.
  for (const [enable, filters] of FEATURE_FILTERS) {
    if (options.current !== undefined && values[enable] === 'false' && Object.hasOwn(entries, enable) && !Object.hasOwn(entries, filters) && values[filters] !== undefined) {
      delete values[filters];
      warnings.push(`${filters} was cleared because ${enable} is false`);
    }
  }

  const typed: Record<string, unknown> = {};
  for (const def of LINK_CONFIG_DEFS) {
    try {
      typed[def.name] = parseValue(def, values[def.name] ?? def.default).typed;
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      if (!Object.hasOwn(entries, def.name)) add(def.name, { message: error.message, ...(error.suggestion ? { suggestion: error.suggestion } : {}) });
    }
  }
  if (problems.length > 0) fail(problems);
  const configs = typed as unknown as LinkConfigs;

  for (const [enable, filters, what] of FEATURE_FILTERS) {
    const none = (configs[filters] as unknown[]).length === 0;
    if (configs[enable] && none) {
      add(enable, {
        message: `${enable} is true but ${filters} ${values[filters]?.trim() ? 'selects nothing' : 'is not set'}`,
        suggestion: `Set \`${filters}\` to choose what is synced, or set \`${enable}=false\`.`,
      });
    } else if (!configs[enable] && !none) {
      warnings.push(`${filters} is set but ${enable} is false, so no ${what}`);
    }
  }
  if (configs['acl.sync.enable'] && configs['cluster.link.prefix'] !== '') {
    add('acl.sync.enable', { message: 'acl.sync.enable cannot be used together with cluster.link.prefix', suggestion: 'Use a link without a prefix to sync ACLs, or set `acl.sync.enable=false`.' });
  }
  if (configs['link.mode'] === 'BIDIRECTIONAL' && configs['cluster.link.prefix'] !== '') {
    add('cluster.link.prefix', {
      message: 'cluster.link.prefix cannot be used with link.mode=BIDIRECTIONAL',
      suggestion: 'A bidirectional link mirrors a topic under the same name on both clusters; leave cluster.link.prefix out.',
    });
  }
  if (configs['consumer.group.prefix.enable'] && configs['cluster.link.prefix'] === '') {
    warnings.push('consumer.group.prefix.enable has no effect because cluster.link.prefix is not set');
  }
  if (problems.length > 0) fail(problems);

  const pick = (test: (key: string) => boolean): Record<string, string> => Object.fromEntries(Object.entries(values).filter(([k]) => test(k)));
  return {
    configs,
    values,
    explicit: LINK_CONFIG_DEFS.map((d) => d.name).filter((name) => values[name] !== undefined),
    clientConfigs: pick(isClientConfigKey),
    localConfigs: pick(isLocalClientConfigKey),
    warnings,
  };
}

export interface EffectiveLinkConfig {
  name: string;
  value: string;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
  source: 'DYNAMIC_CLUSTER_LINK_CONFIG' | 'DEFAULT_CONFIG';
  synonyms: string[];
}

/** Every link config with its effective value (stored or default), plus the stored client configs; sorted by name. */
export function effectiveLinkConfigs(stored: Record<string, string>): EffectiveLinkConfig[] {
  const rows: EffectiveLinkConfig[] = [];
  const row = (name: string, value: string, isDefault: boolean, readOnly = false): EffectiveLinkConfig => {
    const sensitive = isSensitiveKey(name);
    return { name, value: sensitive && value !== '' ? REDACTED : value, isDefault, readOnly, sensitive, source: isDefault ? 'DEFAULT_CONFIG' : 'DYNAMIC_CLUSTER_LINK_CONFIG', synonyms: [] };
  };
  for (const def of LINK_CONFIG_DEFS) {
    const value = stored[def.name];
    rows.push(row(def.name, value ?? def.default, value === undefined, def.readOnly));
  }
  for (const [name, value] of Object.entries(stored)) if (!LINK_CONFIGS.has(name)) rows.push(row(name, value, false));
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Link configs fixed when the link is created. */
export const IMMUTABLE_LINK_CONFIGS: ReadonlySet<string> = new Set(LINK_CONFIG_DEFS.filter((d) => d.immutable).map((d) => d.name));

/** The configs Confluent's `link create` prints after `Created cluster link "x" with configs:` (never secrets). */
export const LINK_CREATE_OUTPUT_KEYS: readonly string[] = [
  'bootstrap.servers', 'connection.mode', 'link.mode', 'consumer.offset.sync.enable', 'consumer.offset.group.filters',
  'consumer.offset.sync.ms', 'consumer.group.prefix.enable', 'acl.sync.enable', 'acl.filters', 'acl.sync.ms',
  'auto.create.mirror.topics.enable', 'auto.create.mirror.topics.filters', 'cluster.link.prefix', 'topic.config.sync.ms',
  'topic.config.sync.include', 'mirror.start.offset.spec', 'security.protocol', 'sasl.mechanism', 'local.security.protocol',
  'local.sasl.mechanism',
];

/** `[name, value]` pairs for the `link create` output: allow-listed keys only, link.mode always, sorted by name. */
export function linkCreateOutputConfigs(values: Record<string, string>): Array<[string, string]> {
  const withMode: Record<string, string> = { 'link.mode': 'DESTINATION', ...values };
  return LINK_CREATE_OUTPUT_KEYS.filter((k) => withMode[k] !== undefined)
    .map((k): [string, string] => [k, withMode[k] as string])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}
