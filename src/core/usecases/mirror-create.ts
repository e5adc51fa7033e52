/**
 * `mirror create`: a mirror topic is always a new topic on the destination, with the source topic's
 * partition count and synced configs. One call may create several mirror topics of one link, all or
 * nothing: everything is checked first for every topic (link, names, no duplicates, source topic
 * exists, destination topic does not, --config only for configs the link does not sync) and one bad
 * topic fails the whole call before anything is created; then every topic is created in one
 * CreateTopics request and every mirror recorded in one store write. If creating or recording fails,
 * the new topics are deleted again, so a failure never leaves a half-created mirror.
 */
import { AlreadyExistsError, ClinkError, InvalidStateError, NotFoundError, UsageError } from '../errors.js';
import { mirrorKey, type MirrorRecord } from '../model/mirror.js';
import { requireLink } from './link-query.js';
import { isBidirectional, mirrorEnds } from '../link-direction.js';
import type { MirrorDeps } from './mirror-ports.js';

export interface CreateMirrorInput {
  link: string;
  mirrorTopic: string;
  /** Only for a single mirror topic (with several, each source name follows from the mirror name). */
  sourceTopic?: string;
  replicationFactor?: number;
  configs: Record<string, string>;
  startWorker: boolean;
  /** A mirror against the link's direction (BIDIRECTIONAL links only): it lives on the link's source cluster. */
  reversed?: boolean;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export interface CreateMirrorsInput extends Omit<CreateMirrorInput, 'mirrorTopic'> {
  mirrorTopics: readonly string[];
}

/** One mirror topic (the declarative `apply` path); see createMirrors. */
export async function createMirror(input: CreateMirrorInput, deps: MirrorDeps): Promise<MirrorRecord> {
  const { mirrorTopic, ...rest } = input;
  const [record] = await createMirrors({ ...rest, mirrorTopics: [mirrorTopic] }, deps);
  return record!;
}

/** Creates every mirror topic of `input.mirrorTopics`, in that order, or none of them. */
export async function createMirrors(input: CreateMirrorsInput, deps: MirrorDeps): Promise<MirrorRecord[]> {
  const data = await deps.store.read();
  const link = requireLink(data, input.link);
  const reversed = Boolean(input.reversed);
  if (reversed && !isBidirectional(link)) {
    throw new InvalidStateError(`cluster link "${link.name}" is not bidirectional, so it cannot mirror from its destination to its source`, {
      suggestion: 'Create the link with `link.mode=BIDIRECTIONAL`.',
    });
  }
  const names = input.mirrorTopics;
  if (names.length === 0) throw new UsageError('no mirror topic given', { suggestion: `Run \`clink mirror create <mirror-topic>... --link ${link.name}\`.` });
  if (input.sourceTopic !== undefined && names.length > 1) {
    throw new UsageError(`--source-topic names one source topic, but ${names.length} mirror topics were given`, {
      suggestion: 'Create that mirror topic in a call of its own; with several topics each source name is the mirror name without the link prefix.',
    });
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new UsageError(`mirror topic "${duplicate}" is given more than once`, { suggestion: 'Name each mirror topic once.' });
  }
  const prefix = reversed ? '' : link.configs['cluster.link.prefix'] ?? '';
  const pairs = names.map((mirrorTopic) => ({ mirrorTopic, sourceTopic: sourceTopicOf(mirrorTopic, input.sourceTopic, prefix, link.name) }));
  if (input.replicationFactor !== undefined && (!Number.isInteger(input.replicationFactor) || input.replicationFactor < 1)) {
    throw new UsageError(`invalid replication factor "${input.replicationFactor}"`, { suggestion: 'Pass a positive integer, or leave it out for the destination broker\'s default.' });
  }
  const include = deps.syncedTopicConfigs(link.configs);
  deps.assertMirrorTopicConfigs(input.configs, include);
  for (const { mirrorTopic } of pairs) if (data.mirrors[mirrorKey(link.name, mirrorTopic)]) throw mirrorExists(mirrorTopic, link.name);

  const { source, destination } = mirrorEnds(data, link, { reversed });
  const [sources, existing] = await Promise.all([
    deps.topics.describeTopics(source, pairs.map((p) => p.sourceTopic)),
    deps.topics.describeTopics(destination, pairs.map((p) => p.mirrorTopic)),
  ]);
  const problems: ClinkError[] = [];
  for (const { mirrorTopic, sourceTopic } of pairs) {
    if (!sources.get(sourceTopic)) {
      problems.push(new NotFoundError(`source topic "${sourceTopic}" not found on the source cluster of link "${link.name}"`, {
        suggestion: 'Check the topic name (and `--source-topic` when the link has a prefix); it must exist on the source cluster.',
      }));
    } else if (existing.get(mirrorTopic)) {
      problems.push(new AlreadyExistsError(`topic "${mirrorTopic}" already exists on the destination cluster "${link.destination}"`, {
        suggestion: 'A mirror topic is always a new topic: delete the existing topic first, or mirror into another cluster.',
      }));
    }
  }
  if (problems.length > 0) throw combined(problems, pairs.length);

  const now = deps.now();
  const records: MirrorRecord[] = pairs.map(({ mirrorTopic, sourceTopic }) => ({
    link: link.name,
    mirrorTopic,
    sourceTopic,
    desiredState: 'ACTIVE',
    partitions: sources.get(sourceTopic)!.partitions,
    configOverrides: input.configs,
    createdAt: now.toISOString(),
    stateChangedAtMs: now.getTime(),
    ...(reversed ? { reversed: true } : {}),
  }));
  try {
    await deps.topics.createTopics(destination, pairs.map(({ mirrorTopic, sourceTopic }) => {
      const info = sources.get(sourceTopic)!;
      const synced = Object.fromEntries(Object.entries(info.configs).filter(([name]) => include.includes(name)));
      return { name: mirrorTopic, partitions: info.partitions, replicationFactor: input.replicationFactor ?? -1, configs: { ...synced, ...input.configs } };
    }));
    await deps.store.update((d) => {
      requireLink(d, link.name);
      for (const r of records) if (d.mirrors[mirrorKey(link.name, r.mirrorTopic)]) throw mirrorExists(r.mirrorTopic, link.name);
      for (const r of records) d.mirrors[mirrorKey(link.name, r.mirrorTopic)] = r;
    });
  } catch (error) {
    // None of these topics existed before this call (checked above), so every one that exists now is ours.
    await deps.topics.deleteTopics(destination, pairs.map((p) => p.mirrorTopic)).catch(() => {});
    throw error;
  }
  if (input.startWorker) await deps.workers.ensureRunning(link.name);
  return records;
}

const TOPIC_NAME_RULE = 'Topic names use 1 to 249 letters, digits, ".", "_" or "-".';

function sourceTopicOf(mirrorTopic: string, given: string | undefined, prefix: string, linkName: string): string {
  if (!TOPIC_NAME.test(mirrorTopic) || mirrorTopic === '.' || mirrorTopic === '..') {
    throw new UsageError(`invalid topic name "${mirrorTopic}"`, { suggestion: TOPIC_NAME_RULE });
  }
  const sourceTopic = given ?? (prefix && mirrorTopic.startsWith(prefix) ? mirrorTopic.slice(prefix.length) : mirrorTopic);
  if (mirrorTopic !== prefix + sourceTopic) {
    throw new UsageError(
      prefix
        ? `mirror topic "${mirrorTopic}" must be the link prefix "${prefix}" followed by the source topic name "${sourceTopic}"`
        : `mirror topic "${mirrorTopic}" must have the same name as its source topic "${sourceTopic}"`,
      { suggestion: `Run \`clink mirror create ${prefix + sourceTopic} --link ${linkName}${given ? ` --source-topic ${sourceTopic}` : ''}\`.` },
    );
  }
  return sourceTopic;
}

/**
 * One problem is thrown as it is; several become one error of the first problem's kind (so its exit
 * code) whose message lists every topic's problem, since nothing was created for any of them.
 */
function combined(problems: ClinkError[], total: number): ClinkError {
  if (problems.length === 1) return problems[0]!;
  const first = problems[0]!;
  return new ClinkError(first.code, `${problems.length} of ${total} mirror topics cannot be created, so none was: ${problems.map((p) => p.message).join('; ')}`, {
    suggestion: `${[...new Set(problems.map((p) => p.suggestion).filter(Boolean))].join(' ')} Nothing was created; fix or leave out those topics and run the command again.`,
  });
}

function mirrorExists(topic: string, link: string): AlreadyExistsError {
  return new AlreadyExistsError(`mirror topic "${topic}" already exists on cluster link "${link}"`, {
    suggestion: `See it with \`clink mirror describe ${topic} --link ${link}\`.`,
  });
}
