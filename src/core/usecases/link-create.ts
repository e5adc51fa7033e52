/**
 * `link create`: split the given properties into source client properties and link configs,
 * validate everything, contact both clusters (unless told not to), and only then store the link.
 * A dry run does every check and stores nothing.
 */
import { AlreadyExistsError, ConflictError, UsageError } from '../errors.js';
import { assertValidBootstrap, assertValidName } from '../model/cluster.js';
import type { LinkRecord } from '../model/link.js';
import { resolveDestination } from './clusters.js';
import type { LinkDeps } from './link-ports.js';
import { planWorkerStart, startWorkerForLinkTasks, type WorkerStartResult } from './link-tasks.js';

export interface CreateLinkInput {
  name: string;
  sourceBootstrapServers?: string;
  sourceClusterId?: string;
  /** Everything from --config-file/--config: source client properties and link configs mixed. */
  properties: Record<string, string>;
  cluster?: string;
  dryRun: boolean;
  validate: boolean;
  /** Start the link's worker when a link-level task is enabled (false with --no-start). */
  startWorker: boolean;
}

/** Why the worker of a link with link-level tasks was not started. */
export type WorkerSkipReason = 'dry-run' | 'no-validate' | 'no-start';

export interface CreateLinkResult {
  link: LinkRecord;
  dryRun: boolean;
  /** The allow-listed configs Confluent prints after creating a link, sorted by key. */
  shownConfigs: Array<[string, string]>;
  /** What happened (or, in a dry run, would happen) to the link's worker. */
  worker: WorkerStartResult & { skipReason?: WorkerSkipReason };
}

export function splitProperties(properties: Record<string, string>, isClientKey: (key: string) => boolean) {
  const client: Record<string, string> = {};
  const link: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (isClientKey(key)) client[key] = value;
    else link[key] = value;
  }
  return { client, link };
}

function duplicate(name: string): AlreadyExistsError {
  return new AlreadyExistsError(`cluster link "${name}" already exists`, {
    suggestion: `Choose another name, or delete it first with \`clink link delete ${name}\`.`,
  });
}

export async function createLink(input: CreateLinkInput, deps: LinkDeps): Promise<CreateLinkResult> {
  assertValidName('cluster link', input.name);
  const { client, link } = splitProperties(input.properties, (k) => deps.rules.isClientConfigKey(k));
  const { 'bootstrap.servers': fileBootstrap, ...sourceClientConfig } = client;
  const sourceBootstrapServers = input.sourceBootstrapServers ?? fileBootstrap;
  if (!sourceBootstrapServers) {
    throw new UsageError('missing source bootstrap servers', {
      suggestion: 'Pass `--source-bootstrap-server <host:port>` or set `bootstrap.servers` in the config file.',
    });
  }
  assertValidBootstrap(sourceBootstrapServers, 'source bootstrap server');
  const configs = deps.rules.validateLinkConfigs({ 'link.mode': 'DESTINATION', ...link });
  deps.rules.checkClientConfig({ ...sourceClientConfig, 'bootstrap.servers': sourceBootstrapServers });

  const before = await deps.store.read();
  const destination = resolveDestination(before, input.cluster, deps.env);
  if (before.links[input.name]) throw duplicate(input.name);

  let sourceClusterId = input.sourceClusterId;
  let destinationClusterId = destination.clusterId;
  if (input.validate) {
    const [source, dest] = await Promise.all([
      deps.probe.describe({ bootstrapServers: sourceBootstrapServers, clientConfig: sourceClientConfig, label: 'source cluster' }),
      deps.probe.describe({ bootstrapServers: destination.bootstrapServers, clientConfig: destination.clientConfig, label: `destination cluster "${destination.name}"` }),
    ]);
    if (input.sourceClusterId && input.sourceClusterId !== source.clusterId) {
      throw new ConflictError(`the source cluster at ${sourceBootstrapServers} has cluster id "${source.clusterId}", not "${input.sourceClusterId}"`, {
        suggestion: 'Check `--source-cluster` and `--source-bootstrap-server`: they must name the same cluster.',
      });
    }
    if (source.clusterId === dest.clusterId) {
      throw new ConflictError(`the source and destination are the same cluster ("${source.clusterId}")`, {
        suggestion: 'A cluster link copies between two different clusters; check `--source-bootstrap-server` and `--cluster`.',
      });
    }
    sourceClusterId = source.clusterId;
    destinationClusterId = dest.clusterId;
  }

  const now = deps.now().toISOString();
  const record: LinkRecord = {
    name: input.name,
    linkId: deps.newLinkId(),
    destination: destination.name,
    sourceBootstrapServers,
    sourceClientConfig,
    configs,
    createdAt: now,
    updatedAt: now,
    ...(sourceClusterId ? { sourceClusterId } : {}),
    ...(destinationClusterId ? { destinationClusterId } : {}),
  };
  if (!input.dryRun) {
    await deps.store.update((data) => {
      if (data.links[input.name]) throw duplicate(input.name);
      resolveDestination(data, destination.name, {});
      data.links[input.name] = record;
    });
  }
  const all: Record<string, string> = { ...input.properties, ...configs, 'bootstrap.servers': sourceBootstrapServers };
  const shownConfigs = Object.entries(all)
    .filter(([key]) => deps.rules.createOutputKeys.has(key) && !deps.rules.isSensitiveKey(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { link: record, dryRun: input.dryRun, shownConfigs, worker: await workerAfterCreate(input, record, deps) };
}

/** A dry run and --no-validate never start anything (the clusters may not be reachable); they say what would start. */
async function workerAfterCreate(input: CreateLinkInput, record: LinkRecord, deps: LinkDeps): Promise<CreateLinkResult['worker']> {
  const skipReason: WorkerSkipReason | undefined = input.dryRun ? 'dry-run' : !input.validate ? 'no-validate' : !input.startWorker || !deps.workers ? 'no-start' : undefined;
  const plan = planWorkerStart(record.name, record.configs, true);
  if (plan.tasks.length === 0) return { outcome: 'not-needed', tasks: [], startCommand: plan.startCommand };
  if (skipReason || !deps.workers) return { outcome: 'skipped', tasks: plan.tasks, startCommand: plan.startCommand, skipReason: skipReason ?? 'no-start' };
  return startWorkerForLinkTasks(record.name, true, { store: deps.store, workers: deps.workers });
}
