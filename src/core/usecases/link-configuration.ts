/**
 * `link configuration list|update`: effective configs of a link (defaults included, secrets masked),
 * and validated updates. An update is checked as a whole (the merged configs must be valid) before
 * anything is stored; immutable configs cannot change.
 */
import { InvalidConfigError } from '../errors.js';
import { assertValidBootstrap } from '../model/cluster.js';
import { requireLink } from './link-query.js';
import { splitProperties } from './link-create.js';
import type { EffectiveConfig, LinkDeps } from './link-ports.js';
import { startWorkerForLinkTasks, workerStartCommand, type WorkerStartResult } from './link-tasks.js';

export async function listLinkConfigs(name: string, deps: LinkDeps): Promise<EffectiveConfig[]> {
  const data = await deps.store.read();
  const link = requireLink(data, name);
  const rows: EffectiveConfig[] = deps.rules.effectiveLinkConfigs(link.configs);
  rows.push({ name: 'bootstrap.servers', value: link.sourceBootstrapServers, readOnly: false, sensitive: false, source: 'DYNAMIC_CLUSTER_LINK_CONFIG' });
  for (const [key, value] of Object.entries(link.sourceClientConfig)) {
    const sensitive = deps.rules.isSensitiveKey(key);
    rows.push({ name: key, value: sensitive ? deps.rules.redact(value) : value, readOnly: false, sensitive, source: 'DYNAMIC_CLUSTER_LINK_CONFIG' });
  }
  const destination = data.clusters[link.destination];
  rows.push({ name: 'dest.cluster.id', value: destination?.clusterId ?? link.destinationClusterId ?? '', readOnly: true, sensitive: false, source: '' });
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Stores the update, then starts the link's worker when the link now has a link-level task enabled (unless `startWorker` is false). */
export async function updateLinkConfigs(name: string, properties: Record<string, string>, startWorker: boolean, deps: LinkDeps): Promise<WorkerStartResult> {
  if (Object.keys(properties).length === 0) {
    throw new InvalidConfigError('no configs to update', {
      suggestion: 'Pass `--config key=value[,key=value]` or `--config-file <file>`.',
    });
  }
  const { client, link } = splitProperties(properties, (k) => deps.rules.isClientConfigKey(k));
  await deps.store.update((data) => {
    const record = requireLink(data, name);
    const configs = deps.rules.validateLinkConfigs(link, record.configs);
    const { 'bootstrap.servers': bootstrap, ...clientRest } = client;
    if (bootstrap !== undefined) assertValidBootstrap(bootstrap, 'source bootstrap server');
    const sourceClientConfig = { ...record.sourceClientConfig, ...clientRest };
    const sourceBootstrapServers = bootstrap ?? record.sourceBootstrapServers;
    deps.rules.checkClientConfig({ ...sourceClientConfig, 'bootstrap.servers': sourceBootstrapServers });
    data.links[name] = { ...record, configs, sourceClientConfig, sourceBootstrapServers, updatedAt: deps.now().toISOString() };
  });
  if (!deps.workers) return { outcome: startWorker ? 'not-needed' : 'skipped', tasks: [], startCommand: workerStartCommand(name) };
  return startWorkerForLinkTasks(name, startWorker, { store: deps.store, workers: deps.workers });
}
