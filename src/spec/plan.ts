/**
 * The plan of `clink apply`: a pure function of (the documents, the config store, what is known about
 * source topics). It resolves the documents into links (two bidirectional CRs with one spec.name and
 * swapped clusters become one BIDIRECTIONAL link whose second CR's mirrors are reversed mirrors),
 * compares them with the store, and checks every mirror state move with the one state machine
 * (transition()). Invariant: it never changes anything and returns every problem it found; a plan
 * with problems is never applied.
 */
import { ErrorCode } from '../core/errors.js';
import { ClinkError } from '../core/errors.js';
import { closestMatch } from '../core/did-you-mean.js';
import { transition, type MirrorOperation } from '../core/model/mirror-state.js';
import type { DesiredMirrorState, MirrorRecord } from '../core/model/mirror.js';
import type { ClusterRecord } from '../core/model/cluster.js';
import type { StoreData } from '../core/ports.js';
import { describeOrigin, type ClusterSpec, type DocSpec, type MirrorSpec, type Origin, type SpecState } from './model.js';

export interface PlanProblem {
  code: ErrorCode;
  origin?: Origin;
  path?: string;
  line?: number;
  message: string;
  suggestion?: string;
}

export interface ConfigChange {
  key: string;
  from?: string;
  to?: string;
  sensitive: boolean;
}

export interface MirrorPlan {
  topic: string;
  sourceTopic: string;
  reversed: boolean;
  /** create | unchanged | configure (a state move) | delete (--prune) | keep (not in the spec, no --prune) */
  action: 'create' | 'configure' | 'unchanged' | 'delete' | 'keep';
  from?: DesiredMirrorState;
  operation?: MirrorOperation;
  state?: SpecState;
  configs: Record<string, string>;
  replicationFactor?: number;
}

export interface LinkPlan {
  name: string;
  origins: Origin[];
  action: 'create' | 'configure' | 'unchanged';
  destination: string;
  sourceBootstrapServers: string;
  sourceClusterId?: string;
  sourceClientConfig: Record<string, string>;
  /** Desired link configs, canonical. */
  configs: Record<string, string>;
  changes: ConfigChange[];
  /** Stored configs the spec does not mention: apply never unsets them. */
  kept: string[];
  mirrors: MirrorPlan[];
}

export interface PlanInput {
  docs: DocSpec[];
  store: StoreData;
  /** For mirrors the store does not have, keyed `link/mirror`: does the source topic exist? */
  sourceTopics: ReadonlyMap<string, boolean>;
  /** Canonical link configs (the link create rules, `link.mode` defaulted); throws ClinkError. */
  normalizeConfigs(configs: Record<string, string>): Record<string, string>;
  isClientKey(key: string): boolean;
  isSensitive(key: string): boolean;
  prune: boolean;
}

export interface Plan {
  links: LinkPlan[];
  problems: PlanProblem[];
}

interface ResolvedCluster {
  registered?: ClusterRecord;
  bootstrap: string;
  clientConfig: Record<string, string>;
  identity: string;
}

/** Where a mirror's topics are: the store key of a link's mirror, as the executor asks for it. */
export const mirrorFactKey = (link: string, mirror: string): string => `${link}/${mirror}`;

export function resolveCluster(c: ClusterSpec, store: StoreData): ResolvedCluster | string {
  const byName = c.name ? store.clusters[c.name] : undefined;
  const byBootstrap = c.bootstrapEndpoint ? Object.values(store.clusters).find((r) => r.bootstrapServers === c.bootstrapEndpoint) : undefined;
  const registered = byName ?? (c.name && c.bootstrapEndpoint ? undefined : byBootstrap);
  if (!registered && !c.bootstrapEndpoint) {
    const near = closestMatch(c.name ?? '', Object.keys(store.clusters));
    return `cluster "${c.name}" is not registered${near ? ` (did you mean "${near}"?)` : ''}`;
  }
  const bootstrap = c.bootstrapEndpoint ?? registered!.bootstrapServers;
  const own = Object.keys(c.clientConfig).length > 0;
  return {
    ...(registered ? { registered } : {}),
    bootstrap,
    clientConfig: own || !registered ? { ...c.clientConfig } : { ...registered.clientConfig },
    identity: registered ? `cluster:${registered.name}` : `bootstrap:${bootstrap}`,
  };
}

interface Resolved {
  name: string;
  origins: Origin[];
  destination: string;
  source: ResolvedCluster;
  sourceClusterId?: string;
  configs: Record<string, string>;
  mirrors: Array<MirrorSpec & { reversed: boolean; origin: Origin }>;
}

const STATUS_OF: Record<DesiredMirrorState, 'ACTIVE' | 'PAUSED' | 'STOPPED'> = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

/** The operation that moves a mirror from its desired state to the spec's state, if any. */
export function operationFor(current: DesiredMirrorState, wanted: SpecState): MirrorOperation | undefined {
  switch (wanted) {
    case 'ACTIVE':
      return current === 'ACTIVE' ? undefined : 'resume';
    case 'PAUSE':
      return current === 'PAUSED' ? undefined : 'pause';
    case 'FAILOVER':
      return current === 'STOPPED' ? undefined : 'failover';
    case 'PROMOTE':
      return current === 'STOPPED' ? undefined : 'promote';
  }
}

/** The spec state that describes a stored mirror (export): STOPPED is written as FAILOVER. */
export function specStateOf(desired: DesiredMirrorState): SpecState {
  return desired === 'ACTIVE' ? 'ACTIVE' : desired === 'PAUSED' ? 'PAUSE' : 'FAILOVER';
}

function resolveLinks(input: PlanInput, problems: PlanProblem[]): Resolved[] {
  const groups = new Map<string, DocSpec[]>();
  for (const doc of input.docs) groups.set(doc.linkName, [...(groups.get(doc.linkName) ?? []), doc]);
  const out: Resolved[] = [];
  for (const [name, docs] of groups) {
    const resolvedDocs: Array<{ doc: DocSpec; source: ResolvedCluster; destination: ResolvedCluster }> = [];
    for (const doc of docs) {
      const source = resolveCluster(doc.source, input.store);
      const destination = resolveCluster(doc.destination, input.store);
      if (typeof source === 'string') problems.push({ code: ErrorCode.NOT_FOUND, origin: doc.origin, path: 'spec.sourceKafkaCluster', message: source, suggestion: 'Give its `bootstrapEndpoint`, or register it with `clink cluster add`.' });
      if (typeof destination === 'string') problems.push({ code: ErrorCode.NOT_FOUND, origin: doc.origin, path: 'spec.destinationKafkaCluster', message: destination, suggestion: 'Register the destination with `clink cluster add <name> --bootstrap-server …`.' });
      if (typeof source !== 'string' && typeof destination !== 'string') resolvedDocs.push({ doc, source, destination });
    }
    if (resolvedDocs.length !== docs.length) continue;
    const existing = input.store.links[name];
    const registeredDest = (r: (typeof resolvedDocs)[number]) => r.destination.registered !== undefined && (!existing || existing.destination === r.destination.registered.name);
    let forward = resolvedDocs[0]!;
    let reverse: (typeof resolvedDocs)[number] | undefined;
    if (resolvedDocs.length > 1) {
      const [a, b] = resolvedDocs as [typeof forward, typeof forward];
      const swapped = resolvedDocs.length === 2 && a.doc.bidirectional && b.doc.bidirectional && a.source.identity === b.destination.identity && a.destination.identity === b.source.identity;
      if (!swapped) {
        problems.push({
          code: ErrorCode.CONFLICT,
          origin: b.doc.origin,
          path: 'spec.name',
          message: `${resolvedDocs.length} documents describe cluster link "${name}" (${resolvedDocs.map((r) => describeOrigin(r.doc.origin)).join('; ')}) and they disagree`,
          suggestion: 'Only the two halves of a bidirectional link share a spec.name: both with `sourceInitiatedLink.linkMode: Bidirectional` and with source and destination swapped.',
        });
        continue;
      }
      // The link lives on the first document's destination, unless it already lives on the other's.
      const bFirst = !registeredDest(a) && registeredDest(b);
      forward = bFirst ? b : a;
      reverse = bFirst ? a : b;
    }
    if (!forward.destination.registered) {
      problems.push({ code: ErrorCode.NOT_FOUND, origin: forward.doc.origin, path: 'spec.destinationKafkaCluster', message: `no registered cluster has bootstrap servers "${forward.destination.bootstrap}"`, suggestion: 'The destination of a link is a registered cluster: `clink cluster add <name> --bootstrap-server …`, then name it in `destinationKafkaCluster.name`.' });
      continue;
    }
    const configs = { ...forward.doc.configs };
    if (reverse) {
      for (const [k, v] of Object.entries(reverse.doc.configs)) {
        if (configs[k] !== undefined && configs[k] !== v) {
          problems.push({ code: ErrorCode.CONFLICT, origin: reverse.doc.origin, path: `spec.configs.${k}`, message: `the two documents of bidirectional link "${name}" disagree about ${k}`, suggestion: `Give ${k} the same value in both, or only in one.` });
        }
        configs[k] = v;
      }
    }
    const clusterId = forward.doc.source.clusterId ?? reverse?.doc.destination.clusterId;
    out.push({
      name,
      origins: resolvedDocs.map((r) => r.doc.origin),
      destination: forward.destination.registered!.name,
      source: forward.source,
      ...(clusterId ? { sourceClusterId: clusterId } : {}),
      configs,
      mirrors: [
        ...forward.doc.mirrors.map((m) => ({ ...m, reversed: false, origin: forward.doc.origin })),
        ...(reverse?.doc.mirrors ?? []).map((m) => ({ ...m, reversed: true, origin: reverse!.doc.origin })),
      ],
    });
  }
  return out;
}

function diff(from: Record<string, string>, to: Record<string, string>, isSensitive: (k: string) => boolean): ConfigChange[] {
  const keys = [...new Set([...Object.keys(to)])].sort();
  return keys.filter((k) => from[k] !== to[k]).map((k) => ({ key: k, ...(from[k] !== undefined ? { from: from[k] } : {}), to: to[k], sensitive: isSensitive(k) }));
}

const sameMap = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export function plan(input: PlanInput): Plan {
  const problems: PlanProblem[] = [];
  const links: LinkPlan[] = [];
  for (const r of resolveLinks(input, problems)) {
    const origin = r.origins[0]!;
    const linkConfigs: Record<string, string> = {};
    const clientConfig: Record<string, string> = { ...r.source.clientConfig };
    for (const [k, v] of Object.entries(r.configs)) (input.isClientKey(k) ? clientConfig : linkConfigs)[k] = v;
    if (clientConfig['bootstrap.servers'] !== undefined) {
      problems.push({ code: ErrorCode.INVALID_CONFIG, origin, path: 'spec.configs.bootstrap.servers', message: 'bootstrap.servers belongs in sourceKafkaCluster.bootstrapEndpoint', suggestion: 'Move it to `spec.sourceKafkaCluster.bootstrapEndpoint`.' });
      delete clientConfig['bootstrap.servers'];
    }
    let configs: Record<string, string>;
    try {
      configs = input.normalizeConfigs(linkConfigs);
    } catch (error) {
      if (!(error instanceof ClinkError)) throw error;
      problems.push({ code: error.code, origin, path: 'spec.configs', message: error.message, ...(error.suggestion ? { suggestion: error.suggestion } : {}) });
      continue;
    }
    const existing = input.store.links[r.name];
    const prefix = configs['cluster.link.prefix'] ?? '';
    const desiredClient = { 'bootstrap.servers': r.source.bootstrap, ...clientConfig };
    let action: LinkPlan['action'] = 'create';
    let changes: ConfigChange[];
    let kept: string[] = [];
    if (!existing) {
      changes = diff({}, { ...desiredClient, ...configs }, input.isSensitive);
    } else {
      if (existing.destination !== r.destination) {
        problems.push({ code: ErrorCode.CONFLICT, origin, path: 'spec.destinationKafkaCluster', message: `cluster link "${r.name}" exists with destination "${existing.destination}", not "${r.destination}"`, suggestion: `A link cannot move: delete it with \`clink link delete ${r.name}\` first, or give this link another spec.name.` });
      }
      if (r.sourceClusterId && existing.sourceClusterId && r.sourceClusterId !== existing.sourceClusterId) {
        problems.push({ code: ErrorCode.CONFLICT, origin, path: 'spec.sourceKafkaCluster.clusterID', message: `cluster link "${r.name}" reads from cluster "${existing.sourceClusterId}", not "${r.sourceClusterId}"` });
      }
      if ((existing.configs['link.mode'] ?? 'DESTINATION') !== configs['link.mode']) {
        problems.push({ code: ErrorCode.CONFLICT, origin, path: 'spec.sourceInitiatedLink.linkMode', message: `cluster link "${r.name}" has link.mode ${existing.configs['link.mode']}, which cannot change to ${configs['link.mode']}`, suggestion: 'Delete and re-create the link to change its mode.' });
      }
      const current = { 'bootstrap.servers': existing.sourceBootstrapServers, ...existing.sourceClientConfig, ...existing.configs };
      changes = diff(current, { ...desiredClient, ...configs }, input.isSensitive).filter((c) => c.key !== 'link.mode');
      kept = Object.keys(current).filter((k) => !(k in desiredClient) && !(k in configs)).sort();
      action = changes.length > 0 ? 'configure' : 'unchanged';
    }

    const stored = Object.values(input.store.mirrors).filter((m) => m.link === r.name);
    const mirrors: MirrorPlan[] = [];
    for (const m of r.mirrors) {
      const sourceTopic = m.sourceTopicName ?? (!m.reversed && prefix && m.name.startsWith(prefix) ? m.name.slice(prefix.length) : m.name);
      const at = { origin: m.origin, path: m.path, line: m.line };
      const have = stored.find((s) => s.mirrorTopic === m.name);
      if (!m.reversed && m.name !== prefix + sourceTopic) {
        problems.push({ code: ErrorCode.INVALID_CONFIG, ...at, message: `mirror topic "${m.name}" must be ${prefix ? `the link prefix "${prefix}" followed by` : 'named like'} its source topic "${sourceTopic}"`, suggestion: `Name it "${prefix + sourceTopic}".` });
        continue;
      }
      const base = { topic: m.name, sourceTopic, reversed: m.reversed, state: m.state, configs: m.configs, ...(m.replicationFactor !== undefined ? { replicationFactor: m.replicationFactor } : {}) };
      let from: DesiredMirrorState = 'ACTIVE';
      if (have) {
        from = have.desiredState;
        if (Boolean(have.reversed) !== m.reversed) {
          problems.push({ code: ErrorCode.CONFLICT, ...at, message: `mirror topic "${m.name}" of link "${r.name}" runs ${have.reversed ? 'from the destination to the source' : 'from the source to the destination'}, not as this document says`, suggestion: 'List it in the document of the other direction.' });
          continue;
        }
        if (!sameMap(have.configOverrides, m.configs)) {
          problems.push({ code: ErrorCode.INVALID_CONFIG, ...at, path: `${m.path}.configs`, message: `the configs of existing mirror topic "${m.name}" differ from the spec, and apply does not alter topic configs`, suggestion: 'Keep the configs the mirror was created with (see `clink link describe <link> -o yaml --as-spec`).' });
          continue;
        }
      } else if (input.sourceTopics.get(mirrorFactKey(r.name, m.name)) === false) {
        problems.push({ code: ErrorCode.NOT_FOUND, ...at, message: `source topic "${sourceTopic}" of mirror topic "${m.name}" not found on the ${m.reversed ? 'destination' : 'source'} cluster of link "${r.name}"`, suggestion: 'Create the source topic first, or fix the name (and sourceTopicName).' });
        continue;
      }
      const operation = operationFor(from, m.state);
      if (operation) {
        try {
          transition(m.name, STATUS_OF[from], operation);
        } catch (error) {
          if (!(error instanceof ClinkError)) throw error;
          problems.push({ code: error.code, ...at, path: `${m.path}.state`, message: error.message, ...(error.suggestion ? { suggestion: error.suggestion } : {}) });
          continue;
        }
      }
      mirrors.push({ ...base, action: !have ? 'create' : operation ? 'configure' : 'unchanged', ...(have ? { from } : {}), ...(operation ? { operation } : {}) });
    }
    const listed = new Set(r.mirrors.map((m) => m.name));
    for (const s of stored.filter((x) => !listed.has(x.mirrorTopic)).sort((a, b) => (a.mirrorTopic < b.mirrorTopic ? -1 : 1))) {
      mirrors.push({ topic: s.mirrorTopic, sourceTopic: s.sourceTopic, reversed: Boolean(s.reversed), action: input.prune ? 'delete' : 'keep', from: s.desiredState, configs: s.configOverrides });
    }
    links.push({
      name: r.name,
      origins: r.origins,
      action,
      destination: r.destination,
      sourceBootstrapServers: r.source.bootstrap,
      ...(r.sourceClusterId ? { sourceClusterId: r.sourceClusterId } : {}),
      sourceClientConfig: clientConfig,
      configs,
      changes,
      kept,
      mirrors,
    });
  }
  return { links, problems };
}

export type { MirrorRecord };
