/**
 * Wires the adapters (config store, Kafka probe, client-config checks) into the dependencies the
 * use cases take. Kafka modules are imported lazily so that commands which never talk to Kafka
 * (and `clink --version`) start fast.
 */
import type { CliContext } from './context.js';
import type { ClusterDeps } from '../core/usecases/clusters.js';
import type { LinkConfigRules, LinkDeps } from '../core/usecases/link-ports.js';
import type { MirrorDeps } from '../core/usecases/mirror-ports.js';
import type { PromoteDeps } from '../core/usecases/mirror-promote.js';
import { ConfStore } from '../config/store.js';

export function storeFor(ctx: CliContext): ConfStore {
  return new ConfStore(ctx.configDir);
}

export async function clusterDeps(ctx: CliContext): Promise<ClusterDeps> {
  const [{ KafkaClusterProbe }, clientConfig] = await Promise.all([
    import('../kafka/probe.js'),
    import('../kafka/client-config.js'),
  ]);
  return {
    store: storeFor(ctx),
    probe: new KafkaClusterProbe(ctx.env),
    now: () => new Date(),
    checkClientConfig: (props) => clientConfig.checkClientConfig(props),
    describeSecurity: (props) => clientConfig.describeSecurity(props),
  };
}

export async function linkDeps(ctx: CliContext): Promise<LinkDeps> {
  const [{ KafkaClusterProbe }, clientConfig, linkConfig, secrets, { randomBytes }] = await Promise.all([
    import('../kafka/probe.js'),
    import('../kafka/client-config.js'),
    import('../core/link-config.js'),
    import('../config/secrets.js'),
    import('node:crypto'),
  ]);
  const isLinkKey = (key: string) => !clientConfig.isClientConfigKey(key);
  const rules: LinkConfigRules = {
    isClientConfigKey: (key) => clientConfig.isClientConfigKey(key),
    validateLinkConfigs: (configs, current) => {
      const { values } = linkConfig.validateLinkConfigs(configs, current === undefined ? {} : { current });
      return Object.fromEntries(Object.entries(values).filter(([key]) => isLinkKey(key)));
    },
    checkClientConfig: (props) => clientConfig.checkClientConfig(props),
    createOutputKeys: new Set(linkConfig.LINK_CREATE_OUTPUT_KEYS),
    effectiveLinkConfigs: (configs) => linkConfig.effectiveLinkConfigs(configs),
    isSensitiveKey: (key) => secrets.isSensitiveKey(key),
    redact: (value) => secrets.redactValue(value),
    describeSecurity: (props) => clientConfig.describeSecurity(props),
  };
  return {
    store: storeFor(ctx),
    probe: new KafkaClusterProbe(ctx.env),
    rules,
    now: () => new Date(),
    newLinkId: () => randomBytes(16).toString('base64url').replace(/^-/, 'L'),
    env: ctx.env,
    workers: (await import('./worker-port.js')).workerPortFor(ctx),
    acls: new (await import('../kafka/acl-reader.js')).KafkaAclReader(ctx.env),
  };
}

export async function mirrorDeps(ctx: CliContext): Promise<MirrorDeps> {
  const [{ KafkaTopicAdmin }, { KafkaGroupOffsets }, topicSync, { workerPortFor }, { KafkaAclReader }] = await Promise.all([
    import('../kafka/topic-admin.js'),
    import('../kafka/group-offsets.js'),
    import('../core/topic-config-sync.js'),
    import('./worker-port.js'),
    import('../kafka/acl-reader.js'),
  ]);
  const store = storeFor(ctx);
  return {
    store,
    topics: new KafkaTopicAdmin(ctx.env),
    groups: new KafkaGroupOffsets(ctx.env),
    workers: workerPortFor(ctx),
    acls: new KafkaAclReader(ctx.env),
    transitionErrors: await transitionErrorLog(ctx, store),
    now: () => new Date(),
    env: ctx.env,
    syncedTopicConfigs: (configs) => topicSync.parseTopicConfigSyncInclude(configs['topic.config.sync.include'] ?? ''),
    assertMirrorTopicConfigs: (configs, include) => topicSync.assertMirrorTopicConfigs(configs, include),
  };
}

/** The recorded transition errors; messages are scrubbed of the link's and its clusters' secrets. */
async function transitionErrorLog(ctx: CliContext, store: ConfStore): Promise<import('../core/ports.js').TransitionErrorLogPort> {
  const [{ TransitionErrorLog }, { collectSecretValues }] = await Promise.all([import('../worker/transition-error-log.js'), import('../config/secrets.js')]);
  return new TransitionErrorLog(ctx.stateDir, async (link) => {
    const data = await store.read();
    const record = data.links[link];
    const maps = [record?.configs ?? {}, record?.sourceClientConfig ?? {}, ...Object.values(data.clusters).map((c) => c.clientConfig)];
    return maps.flatMap((m) => collectSecretValues(m));
  });
}

export async function promoteDeps(ctx: CliContext): Promise<PromoteDeps> {
  const [base, { syncOffsetsOnce }] = await Promise.all([mirrorDeps(ctx), import('./offset-sync-once.js')]);
  return {
    ...base,
    syncOffsetsOnce: (link, mirrors) => syncOffsetsOnce(link, mirrors, { store: base.store, env: ctx.env, stateDir: ctx.stateDir }),
  };
}

export async function reverseDeps(ctx: CliContext): Promise<import('../core/usecases/mirror-reverse.js').ReverseDeps> {
  const [base, { KafkaRecordReader }] = await Promise.all([promoteDeps(ctx), import('../kafka/record-reader.js')]);
  return { ...base, records: new KafkaRecordReader(ctx.env) };
}

export async function truncateDeps(ctx: CliContext): Promise<import('../core/usecases/mirror-truncate.js').TruncateDeps> {
  const [base, { KafkaRecordReader }, { KafkaRecordWriter }] = await Promise.all([mirrorDeps(ctx), import('../kafka/record-reader.js'), import('../kafka/record-writer.js')]);
  return { ...base, records: new KafkaRecordReader(ctx.env), writer: new KafkaRecordWriter(ctx.env) };
}
