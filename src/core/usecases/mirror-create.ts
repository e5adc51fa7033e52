/**
 * `mirror create`: a mirror topic is always a new topic on the destination, with the source topic's
 * partition count and synced configs. Everything is checked first (link, names, source topic exists,
 * destination topic does not, --config only for configs the link does not sync); then the topic is
 * created and the mirror recorded. If recording fails the new topic is deleted again, so a failure
 * never leaves a half-created mirror.
 */
import { AlreadyExistsError, InvalidStateError, NotFoundError, UsageError } from '../errors.js';
import { mirrorKey, type MirrorRecord } from '../model/mirror.js';
import { requireLink } from './link-query.js';
import { isBidirectional, mirrorEnds } from '../link-direction.js';
import type { MirrorDeps } from './mirror-ports.js';

export interface CreateMirrorInput {
  link: string;
  mirrorTopic: string;
  sourceTopic?: string;
  replicationFactor?: number;
  configs: Record<string, string>;
  startWorker: boolean;
  /** A mirror against the link's direction (BIDIRECTIONAL links only): it lives on the link's source cluster. */
  reversed?: boolean;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export async function createMirror(input: CreateMirrorInput, deps: MirrorDeps): Promise<MirrorRecord> {
  const data = await deps.store.read();
  const link = requireLink(data, input.link);
  const reversed = Boolean(input.reversed);
  if (reversed && !isBidirectional(link)) {
    throw new InvalidStateError(`cluster link "${link.name}" is not bidirectional, so it cannot mirror from its destination to its source`, {
      suggestion: 'Create the link with `link.mode=BIDIRECTIONAL`.',
    });
  }
  const prefix = reversed ? '' : link.configs['cluster.link.prefix'] ?? '';
  if (!TOPIC_NAME.test(input.mirrorTopic) || input.mirrorTopic === '.' || input.mirrorTopic === '..') {
    throw new UsageError(`invalid topic name "${input.mirrorTopic}"`, {
      suggestion: 'Topic names use 1 to 249 letters, digits, ".", "_" or "-".',
    });
  }
  const sourceTopic = input.sourceTopic ?? (prefix && input.mirrorTopic.startsWith(prefix) ? input.mirrorTopic.slice(prefix.length) : input.mirrorTopic);
  if (input.mirrorTopic !== prefix + sourceTopic) {
    throw new UsageError(
      prefix
        ? `mirror topic "${input.mirrorTopic}" must be the link prefix "${prefix}" followed by the source topic name "${sourceTopic}"`
        : `mirror topic "${input.mirrorTopic}" must have the same name as its source topic "${sourceTopic}"`,
      { suggestion: `Run \`clink mirror create ${prefix + sourceTopic} --link ${link.name}${input.sourceTopic ? ` --source-topic ${sourceTopic}` : ''}\`.` },
    );
  }
  if (input.replicationFactor !== undefined && (!Number.isInteger(input.replicationFactor) || input.replicationFactor < 1)) {
    throw new UsageError(`invalid replication factor "${input.replicationFactor}"`, { suggestion: 'Pass a positive integer, or leave it out for the destination broker\'s default.' });
  }
  const include = deps.syncedTopicConfigs(link.configs);
  deps.assertMirrorTopicConfigs(input.configs, include);
  const key = mirrorKey(link.name, input.mirrorTopic);
  if (data.mirrors[key]) throw mirrorExists(input.mirrorTopic, link.name);

  const { source, destination } = mirrorEnds(data, link, { reversed });
  const [sourceTopicInfo, existing] = await Promise.all([
    deps.topics.describeTopic(source, sourceTopic),
    deps.topics.describeTopic(destination, input.mirrorTopic),
  ]);
  if (!sourceTopicInfo) {
    throw new NotFoundError(`source topic "${sourceTopic}" not found on the source cluster of link "${link.name}"`, {
      suggestion: 'Check the topic name (and `--source-topic` when the link has a prefix); it must exist on the source cluster.',
    });
  }
  if (existing) {
    throw new AlreadyExistsError(`topic "${input.mirrorTopic}" already exists on the destination cluster "${link.destination}"`, {
      suggestion: 'A mirror topic is always a new topic: delete the existing topic first, or mirror into another cluster.',
    });
  }
  const synced = Object.fromEntries(Object.entries(sourceTopicInfo.configs).filter(([name]) => include.includes(name)));
  await deps.topics.createTopic(destination, {
    name: input.mirrorTopic,
    partitions: sourceTopicInfo.partitions,
    replicationFactor: input.replicationFactor ?? -1,
    configs: { ...synced, ...input.configs },
  });

  const now = deps.now();
  const record: MirrorRecord = {
    link: link.name,
    mirrorTopic: input.mirrorTopic,
    sourceTopic,
    desiredState: 'ACTIVE',
    partitions: sourceTopicInfo.partitions,
    configOverrides: input.configs,
    createdAt: now.toISOString(),
    stateChangedAtMs: now.getTime(),
    ...(reversed ? { reversed: true } : {}),
  };
  try {
    await deps.store.update((d) => {
      requireLink(d, link.name);
      if (d.mirrors[key]) throw mirrorExists(input.mirrorTopic, link.name);
      d.mirrors[key] = record;
    });
  } catch (error) {
    await deps.topics.deleteTopic(destination, input.mirrorTopic).catch(() => {});
    throw error;
  }
  if (input.startWorker) await deps.workers.ensureRunning(link.name);
  return record;
}

function mirrorExists(topic: string, link: string): AlreadyExistsError {
  return new AlreadyExistsError(`mirror topic "${topic}" already exists on cluster link "${link}"`, {
    suggestion: `See it with \`clink mirror describe ${topic} --link ${link}\`.`,
  });
}
