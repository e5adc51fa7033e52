/**
 * Every cluster-link config clink knows (Confluent's link configs, UX spec §4.1), with its type,
 * default and meaning. Client configs (bootstrap.servers, security.protocol, sasl.*, ssl.*, …) and
 * their `local.` forms are classified in config-keys.ts and are not listed here.
 * Invariants: each default is the string form Confluent shows in `link configuration list`
 * ('' for "not set"); a def's `parse` turns a valid string into its typed value or throws an
 * InvalidConfigError naming the config; `immutable` configs are fixed when the link is created.
 */
import { InvalidConfigError } from './errors.js';
import { parseAclFilters, parseGroupFilters, parseTopicFilters, type AclFilter, type NameFilter } from './filters.js';
import { parseTopicConfigSyncInclude, SYNCABLE_TOPIC_CONFIGS } from './topic-config-sync.js';
import { parseHttpListenConfig, type HttpListen } from './http-listen.js';

export type LinkConfigType = 'boolean' | 'int' | 'long' | 'string' | 'list' | 'json' | 'enum';

export type OffsetSpec = { type: 'earliest' } | { type: 'latest' } | { type: 'timestamp'; timestampMs: number };

export interface LinkConfigs {
  'link.mode': 'DESTINATION' | 'SOURCE' | 'BIDIRECTIONAL';
  'connection.mode': 'OUTBOUND' | 'INBOUND';
  'consumer.offset.sync.enable': boolean;
  'consumer.offset.sync.ms': number;
  'consumer.offset.group.filters': NameFilter[];
  'consumer.group.prefix.enable': boolean;
  'acl.sync.enable': boolean;
  'acl.sync.ms': number;
  'acl.filters': AclFilter[];
  'auto.create.mirror.topics.enable': boolean;
  'auto.create.mirror.topics.filters': NameFilter[];
  'cluster.link.prefix': string;
  'mirror.start.offset.spec': OffsetSpec;
  'mirror.transactions': 'exact' | 'fillers';
  'topic.config.sync.ms': number;
  'topic.config.sync.include': string[];
  'cluster.link.paused': boolean;
  'cluster.link.retry.timeout.ms': number;
  'availability.check.ms': number;
  'availability.check.consecutive.failure.threshold': number;
  'num.cluster.link.fetchers': number;
  'replica.fetch.max.bytes': number;
  'replica.fetch.min.bytes': number;
  'replica.fetch.wait.max.ms': number;
  'replica.fetch.response.max.bytes': number;
  'replica.fetch.backoff.ms': number;
  'replica.socket.timeout.ms': number;
  'replica.socket.receive.buffer.bytes': number;
  'http.listen': HttpListen | undefined;
}

export type LinkConfigName = keyof LinkConfigs;

export interface LinkConfigDef {
  name: LinkConfigName;
  type: LinkConfigType;
  default: string;
  description: string;
  /** enum values (upper case) */
  values?: readonly string[];
  /** smallest accepted int/long (0 when absent) */
  min?: number;
  /** shown as read-only in `link configuration list` */
  readOnly?: boolean;
  /** set only when the link is created */
  immutable?: boolean;
  /** typed value of a valid string; for string/list/json types */
  parse?: (value: string, name: string) => unknown;
}

const TOPIC_PREFIX = /^[a-zA-Z0-9._-]*$/;

function parsePrefix(value: string, name: string): string {
  if (!TOPIC_PREFIX.test(value) || value.length > 200) {
    throw new InvalidConfigError(`${name} may contain only letters, digits, ".", "_" and "-" (at most 200)`, {
      suggestion: 'Choose a prefix that is valid at the start of a topic name, for example `dr_`.',
    });
  }
  return value;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseTransactionsMode(value: string, name = 'mirror.transactions'): 'exact' | 'fillers' {
  const v = value.trim().toLowerCase();
  if (v === 'exact' || v === 'fillers') return v;
  throw new InvalidConfigError(`${name} must be exact or fillers, not "${value}"`, {
    suggestion: 'Use exact (source transactions become destination transactions: real markers, aborted data aborted) or fillers (markers and aborted data become visible filler records).',
  });
}

export function parseOffsetSpec(value: string, name = 'mirror.start.offset.spec'): OffsetSpec {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (lower === 'earliest' || lower === '') return { type: 'earliest' };
  if (lower === 'latest') return { type: 'latest' };
  const m = ISO.exec(v.toUpperCase());
  if (m !== null) {
    const [, y, mo, d, h, mi, s = '00', frac = '0', zone = 'Z'] = m;
    const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    const z = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.padEnd(3, '0').slice(0, 3)}${z}`);
    if (Number(d) >= 1 && Number(d) <= days && Number(s) < 60 && !Number.isNaN(ms)) return { type: 'timestamp', timestampMs: ms };
  }
  throw new InvalidConfigError(`${name} must be earliest, latest or an ISO-8601 timestamp, not "${v}"`, {
    suggestion: `Use for example \`${name}=earliest\` or \`${name}=2024-05-01T00:00:00Z\`.`,
  });
}

const interval = (name: LinkConfigName, def: number, description: string): LinkConfigDef => ({ name, type: 'int', default: String(def), min: 1, description });
const flag = (name: LinkConfigName, description: string): LinkConfigDef => ({ name, type: 'boolean', default: 'false', description });

export const LINK_CONFIG_DEFS: readonly LinkConfigDef[] = [
  { name: 'link.mode', type: 'enum', default: 'DESTINATION', values: ['DESTINATION', 'SOURCE', 'BIDIRECTIONAL'], immutable: true, description: 'Which side of the link this object is: DESTINATION (mirrors here), SOURCE (source side of a source-initiated link) or BIDIRECTIONAL.' },
  { name: 'connection.mode', type: 'enum', default: 'OUTBOUND', values: ['OUTBOUND', 'INBOUND'], immutable: true, description: 'Which side opens the connection: OUTBOUND (this side) or INBOUND (the remote side, for source-initiated links).' },
  flag('consumer.offset.sync.enable', 'Copy committed offsets of the consumer groups selected by consumer.offset.group.filters, for mirror topics only.'),
  interval('consumer.offset.sync.ms', 30000, 'How often consumer group offsets are synced, in milliseconds.'),
  { name: 'consumer.offset.group.filters', type: 'json', default: '', parse: (v, n) => parseGroupFilters(v, n), description: 'JSON {"groupFilters":[…]} choosing the consumer groups whose offsets are synced; none when unset.' },
  flag('consumer.group.prefix.enable', 'Also put cluster.link.prefix in front of the names of synced consumer groups.'),
  flag('acl.sync.enable', 'Copy the ACLs selected by acl.filters from the source cluster (cannot be combined with cluster.link.prefix).'),
  interval('acl.sync.ms', 5000, 'How often ACLs are synced, in milliseconds.'),
  { name: 'acl.filters', type: 'json', default: '', parse: (v, n) => parseAclFilters(v, n), description: 'JSON {"aclFilters":[…]} choosing the ACLs to sync; ACLs managed separately on the destination must not match.' },
  flag('auto.create.mirror.topics.enable', 'Create mirror topics automatically for source topics selected by auto.create.mirror.topics.filters.'),
  { name: 'auto.create.mirror.topics.filters', type: 'json', default: '', parse: (v, n) => parseTopicFilters(v, n), description: 'JSON {"topicFilters":[…]} choosing the source topics that get mirror topics automatically.' },
  { name: 'cluster.link.prefix', type: 'string', default: '', immutable: true, parse: parsePrefix, description: 'Prefix added to the names of mirror topics (and of synced consumer groups with consumer.group.prefix.enable).' },
  { name: 'mirror.start.offset.spec', type: 'string', default: 'earliest', parse: (v, n) => parseOffsetSpec(v, n), description: 'Where new mirror topics start copying: earliest (all history), latest (new records only) or an ISO-8601 timestamp.' },
  { name: 'mirror.transactions', type: 'string', default: 'exact', parse: (v, n) => parseTransactionsMode(v, n), description: 'How source transactions are mirrored: exact (destination transactions put real COMMIT/ABORT markers at the source offsets and keep aborted data aborted; needs WRITE and DESCRIBE on the transactional ids clink.* on the destination, else falls back to fillers) or fillers (markers and aborted data become filler records).' },
  interval('topic.config.sync.ms', 5000, 'How often source topic configs are copied to mirror topics, in milliseconds.'),
  { name: 'topic.config.sync.include', type: 'list', default: SYNCABLE_TOPIC_CONFIGS.join(','), parse: (v, n) => parseTopicConfigSyncInclude(v, n), description: 'Topic configs copied to mirror topics; always-synced configs must stay in the list.' },
  flag('cluster.link.paused', 'Pause the whole link: its mirror topics stop copying and show LINK_PAUSED.'),
  interval('cluster.link.retry.timeout.ms', 300000, 'How long failures are retried before partitions are marked failed, in milliseconds.'),
  interval('availability.check.ms', 60000, 'How often the source cluster is checked for availability, in milliseconds.'),
  { name: 'availability.check.consecutive.failure.threshold', type: 'int', default: '5', min: 1, description: 'Failed availability checks in a row before the source is treated as unavailable.' },
  { name: 'num.cluster.link.fetchers', type: 'int', default: '1', min: 1, description: 'Number of fetcher threads copying records for the link.' },
  { name: 'replica.fetch.max.bytes', type: 'int', default: '1048576', min: 1, description: 'Bytes fetched per partition per request.' },
  { name: 'replica.fetch.min.bytes', type: 'int', default: '1', min: 1, description: 'Bytes a fetch waits for before the source answers.' },
  { name: 'replica.fetch.wait.max.ms', type: 'int', default: '500', description: 'Longest time a fetch waits for replica.fetch.min.bytes, in milliseconds.' },
  { name: 'replica.fetch.response.max.bytes', type: 'int', default: '10485760', min: 1, description: 'Bytes fetched per request across partitions.' },
  { name: 'replica.fetch.backoff.ms', type: 'int', default: '1000', description: 'Pause after a failed fetch, in milliseconds.' },
  { name: 'replica.socket.timeout.ms', type: 'int', default: '30000', min: 1, description: 'Socket timeout of fetch requests, in milliseconds.' },
  { name: 'replica.socket.receive.buffer.bytes', type: 'int', default: '65536', min: -1, description: 'Socket receive buffer of fetch connections (-1: operating-system default).' },
  { name: 'http.listen', type: 'string', default: '', parse: (v, n) => parseHttpListenConfig(v, n), description: 'clink only: [host:]port where the link\'s worker serves /metrics (Prometheus), the read-only REST API and /healthz; the host defaults to 127.0.0.1; no HTTP when unset. Read when the worker starts.' },
];

export const LINK_CONFIGS: ReadonlyMap<string, LinkConfigDef> = new Map(LINK_CONFIG_DEFS.map((d) => [d.name, d]));

export function isLinkConfigName(name: string): name is LinkConfigName {
  return LINK_CONFIGS.has(name);
}
