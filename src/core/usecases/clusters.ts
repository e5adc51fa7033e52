/**
 * Use cases of the cluster registry: add, list, describe, use, delete. Each validates its input fully
 * before the store is touched, contacts Kafka (when asked) before taking the store lock, and
 * re-checks under the lock, so a failure leaves the store exactly as it was.
 */
import { AlreadyExistsError, ConflictError, NotFoundError, UsageError } from '../errors.js';
import { assertValidBootstrap, assertValidName, type ClusterRecord } from '../model/cluster.js';
import type { ClusterProbePort, ConfigStorePort, StoreData } from '../ports.js';

export interface ClusterDeps {
  store: ConfigStorePort;
  probe: ClusterProbePort;
  now: () => Date;
  /** Static checks of client properties (unsupported mechanism, JKS store, …); throws ClinkErrors. */
  checkClientConfig: (props: Record<string, string>) => void;
  describeSecurity: (props: Record<string, string>) => string;
}

export interface AddClusterInput {
  name: string;
  bootstrapServers?: string;
  /** Client properties from --config-file/--config (may include bootstrap.servers). */
  properties: Record<string, string>;
  validate: boolean;
}

export interface ClusterSummary {
  name: string;
  bootstrapServers: string;
  clusterId: string;
  security: string;
  current: boolean;
  linkCount: number;
  clientConfigKeys: string[];
}

export function clusterNotFound(name: string): NotFoundError {
  return new NotFoundError(`cluster "${name}" not found`, {
    suggestion: 'List registered clusters with `clink cluster list`.',
  });
}

export function requireCluster(data: StoreData, name: string): ClusterRecord {
  const cluster = data.clusters[name];
  if (!cluster) throw clusterNotFound(name);
  return cluster;
}

function duplicate(name: string): AlreadyExistsError {
  return new AlreadyExistsError(`cluster "${name}" already exists`, {
    suggestion: `Choose another name, or remove it first with \`clink cluster delete ${name}\`.`,
  });
}

export async function addCluster(input: AddClusterInput, deps: ClusterDeps): Promise<ClusterSummary> {
  assertValidName('cluster', input.name);
  const { 'bootstrap.servers': fileBootstrap, ...clientConfig } = input.properties;
  const bootstrapServers = input.bootstrapServers ?? fileBootstrap;
  if (!bootstrapServers) {
    throw new UsageError('missing bootstrap servers', {
      suggestion: 'Pass `--bootstrap-server <host:port>` or set `bootstrap.servers` in the config file.',
    });
  }
  assertValidBootstrap(bootstrapServers);
  deps.checkClientConfig({ ...clientConfig, 'bootstrap.servers': bootstrapServers });
  if ((await deps.store.read()).clusters[input.name]) throw duplicate(input.name);

  let clusterId: string | undefined;
  if (input.validate) {
    const info = await deps.probe.describe({ bootstrapServers, clientConfig, label: `cluster "${input.name}"` });
    clusterId = info.clusterId;
  }
  const record: ClusterRecord = {
    name: input.name,
    bootstrapServers,
    clientConfig,
    createdAt: deps.now().toISOString(),
    ...(clusterId ? { clusterId } : {}),
  };
  const data = await deps.store.update((d) => {
    if (d.clusters[input.name]) throw duplicate(input.name);
    d.clusters[input.name] = record;
    if (!d.currentCluster) d.currentCluster = input.name;
    return d;
  });
  return summarize(data, record, deps);
}

export async function listClusters(deps: Pick<ClusterDeps, 'store' | 'describeSecurity'>): Promise<ClusterSummary[]> {
  const data = await deps.store.read();
  return Object.values(data.clusters)
    .map((c) => summarize(data, c, deps))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function describeCluster(name: string, deps: Pick<ClusterDeps, 'store' | 'describeSecurity'>): Promise<ClusterSummary> {
  const data = await deps.store.read();
  return summarize(data, requireCluster(data, name), deps);
}

export async function useCluster(name: string, deps: Pick<ClusterDeps, 'store'>): Promise<void> {
  await deps.store.update((d) => {
    requireCluster(d, name);
    d.currentCluster = name;
  });
}

export async function deleteCluster(name: string, deps: Pick<ClusterDeps, 'store'>): Promise<void> {
  await deps.store.update((d) => {
    requireCluster(d, name);
    const links = Object.values(d.links).filter((l) => l.destination === name).map((l) => `"${l.name}"`);
    if (links.length > 0) {
      throw new ConflictError(`cluster "${name}" is the destination of cluster link${links.length > 1 ? 's' : ''} ${links.join(', ')}`, {
        suggestion: 'Delete those links first with `clink link delete <link>`.',
      });
    }
    delete d.clusters[name];
    if (d.currentCluster === name) delete d.currentCluster;
  });
}

function summarize(data: StoreData, c: ClusterRecord, deps: Pick<ClusterDeps, 'describeSecurity'>): ClusterSummary {
  return {
    name: c.name,
    bootstrapServers: c.bootstrapServers,
    clusterId: c.clusterId ?? '',
    security: deps.describeSecurity({ ...c.clientConfig, 'bootstrap.servers': c.bootstrapServers }),
    current: data.currentCluster === c.name,
    linkCount: Object.values(data.links).filter((l) => l.destination === c.name).length,
    clientConfigKeys: Object.keys(c.clientConfig).sort(),
  };
}

/** The destination cluster of a link or mirror command: --cluster, else CLINK_CLUSTER, else `cluster use`. */
export function resolveDestination(data: StoreData, flag: string | undefined, env: NodeJS.ProcessEnv): ClusterRecord {
  const name = flag || env.CLINK_CLUSTER || data.currentCluster;
  if (!name) {
    throw new UsageError('no destination cluster selected', {
      suggestion:
        'Register one with `clink cluster add <name> --bootstrap-server <host:port>`, then select it with `clink cluster use <name>` or pass `--cluster <name>`.',
    });
  }
  return requireCluster(data, name);
}
