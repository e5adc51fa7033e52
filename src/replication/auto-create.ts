/**
 * Auto-created mirror topics (auto.create.mirror.topics.enable / .filters): a wrapper around the
 * mirror engine that, every topic.config.sync.ms, lists the source topics, and for each one the
 * filters select (internal `__` topics never) whose mirror topic (cluster.link.prefix + name) is
 * neither a stored mirror nor already a topic on the destination, creates the destination topic with
 * the source's partition count and synced configs and mirrors it.
 * The worker may not write the config store, so the mirrors it created are kept in its own file,
 * `<stateDir>/links/<link>/auto-mirrors.json` (read back at start, written atomically), and reported
 * through reportAutoMirrors (the status file), where the CLI finds them.
 * Invariants: the mirror engine is given `snapshot.mirrors ∪ auto mirrors`, a stored mirror of the
 * same topic winning (the CLI stores one when a user pauses or fails over an auto mirror); its
 * apply() is never called concurrently with itself; a topic clink did not create is never adopted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ConfigResourceTypes } from 'kafkajs';
import { matchesName } from '../core/filters.js';
import { validateLinkConfigs } from '../core/link-config.js';
import { assertValidName } from '../core/model/cluster.js';
import { mirrorKey, type MirrorRecord } from '../core/model/mirror.js';
import type { LinkEngine, LinkEngineDeps, LinkSnapshot } from './engine-api.js';
import { clientsKey, onCluster, openSyncClients, within, type SyncClients } from './sync-clients.js';

const TOPIC = 2 as ConfigResourceTypes;
const TOPIC_CONFIG_SOURCE = 1;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** reportAutoMirrors is called with every auto-created mirror whenever the set changes (and once at the first apply). */
export type AutoCreateDeps = LinkEngineDeps;

interface AutoFile {
  version: 1;
  link: string;
  mirrors: MirrorRecord[];
}

/** `<stateDir>/links/<link>/auto-mirrors.json`. */
export function autoMirrorsFile(stateDir: string, link: string): string {
  assertValidName('cluster link', link);
  return path.join(path.resolve(stateDir), 'links', link, 'auto-mirrors.json');
}

export function readAutoMirrors(file: string): MirrorRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const value = JSON.parse(text) as Partial<AutoFile> | null;
  return Array.isArray(value?.mirrors) ? value.mirrors.filter((m) => typeof m?.mirrorTopic === 'string' && typeof m.sourceTopic === 'string') : [];
}

function writeAutoMirrors(file: string, link: string, mirrors: MirrorRecord[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, JSON.stringify({ version: 1, link, mirrors } satisfies AutoFile, null, 2) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** The stored mirrors plus the auto ones no stored mirror replaces. */
export function withAutoMirrors(snapshot: LinkSnapshot, auto: readonly MirrorRecord[]): LinkSnapshot {
  const stored = new Set(snapshot.mirrors.map((m) => mirrorKey(m.link, m.mirrorTopic)));
  const extra = auto.filter((m) => m.link === snapshot.link.name && !stored.has(mirrorKey(m.link, m.mirrorTopic)));
  return extra.length === 0 ? snapshot : { ...snapshot, mirrors: [...snapshot.mirrors, ...extra] };
}

interface Plan {
  intervalMs: number;
  enabled: boolean;
}

export class AutoCreateTask implements LinkEngine {
  private snapshot: LinkSnapshot | undefined;
  private auto: MirrorRecord[] | undefined;
  private file: string | undefined;
  private tail: Promise<void> = Promise.resolve();
  private loop: { promise: Promise<void>; abort: AbortController } | undefined;
  private clients: { key: string; clients: SyncClients } | undefined;
  private stopped = false;
  private lastError: string | undefined;

  constructor(
    private readonly mirrors: LinkEngine,
    private readonly deps: AutoCreateDeps,
  ) {}

  apply(snapshot: LinkSnapshot): Promise<void> {
    return this.serial(async () => {
      if (this.stopped) return;
      this.snapshot = snapshot;
      if (this.auto === undefined) this.load(snapshot.link.name);
      await this.mirrors.apply(withAutoMirrors(snapshot, this.auto ?? []));
      const plan = this.plan(snapshot);
      if (plan?.enabled && !this.loop) this.start();
      else if (!plan?.enabled && this.loop) await this.halt();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.halt();
    await this.tail;
    await this.mirrors.stop();
  }

  private load(link: string): void {
    this.auto = [];
    if (!this.deps.stateDir) return;
    this.file = autoMirrorsFile(this.deps.stateDir, link);
    try {
      this.auto = readAutoMirrors(this.file).filter((m) => m.link === link);
    } catch (error) {
      this.deps.log.error('cannot read the auto-created mirrors; starting with none', { file: this.file, error: messageOf(error) });
    }
    if (this.auto.length > 0) this.deps.log.info('auto-created mirrors loaded', { mirrors: this.auto.length });
    this.deps.reportAutoMirrors?.([...this.auto]);
  }

  private plan(snapshot: LinkSnapshot): Plan | undefined {
    try {
      const configs = validateLinkConfigs(snapshot.link.configs).configs;
      return { intervalMs: configs['topic.config.sync.ms'], enabled: configs['auto.create.mirror.topics.enable'] };
    } catch {
      return undefined;
    }
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private start(): void {
    const abort = new AbortController();
    const promise = this.run(abort.signal).catch((error: unknown) => this.deps.log.error('auto-create of mirror topics stopped unexpectedly', { error: messageOf(error) }));
    this.loop = { promise, abort };
  }

  private async halt(): Promise<void> {
    const loop = this.loop;
    this.loop = undefined;
    if (loop) {
      loop.abort.abort();
      await within(loop.promise, 5_000);
    }
    const open = this.clients;
    this.clients = undefined;
    if (open) await within(open.clients.close(), 3_000);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const snapshot = this.snapshot;
      const plan = snapshot && this.plan(snapshot);
      if (!snapshot || !plan?.enabled) return;
      try {
        await this.pass(snapshot, signal);
        failures = 0;
        if (this.lastError !== undefined) this.deps.log.info('auto-create of mirror topics recovered');
        this.lastError = undefined;
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        const message = messageOf(error);
        if (message !== this.lastError) this.deps.log.warn('auto-create of mirror topics failed', { error: message });
        this.lastError = message;
        const open = this.clients;
        this.clients = undefined;
        if (open) await within(open.clients.close(), 3_000);
      }
      const delay = failures === 0 ? plan.intervalMs : Math.min(plan.intervalMs * 2 ** Math.min(failures, 16), Math.max(plan.intervalMs, 60_000));
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }

  private async pass(snapshot: LinkSnapshot, signal: AbortSignal): Promise<void> {
    const configs = validateLinkConfigs(snapshot.link.configs).configs;
    const filters = configs['auto.create.mirror.topics.filters'];
    const prefix = snapshot.link.configs['cluster.link.prefix'] ?? '';
    const include = new Set(configs['topic.config.sync.include']);
    const key = clientsKey(snapshot);
    if (this.clients?.key !== key) {
      const open = this.clients;
      this.clients = undefined;
      if (open) await within(open.clients.close(), 3_000);
      const clients = await openSyncClients(snapshot, this.deps.env, { clientId: `clink-link-${snapshot.link.name}-auto-create`, raw: false });
      if (signal.aborted) {
        await within(clients.close(), 3_000);
        return;
      }
      this.clients = { key, clients };
    }
    const { sourceAdmin, destAdmin, endpoints } = this.clients.clients;
    const [sourceTopics, destTopics] = await Promise.all([
      onCluster(endpoints.source, () => sourceAdmin.listTopics()),
      onCluster(endpoints.destination, () => destAdmin.listTopics()),
    ]);
    const existing = new Set(destTopics);
    const known = new Set([...snapshot.mirrors, ...(this.auto ?? [])].map((m) => m.mirrorTopic));
    const wanted = sourceTopics
      .filter((t) => !t.startsWith('__') && matchesName(filters, t))
      .filter((t) => !known.has(prefix + t) && !existing.has(prefix + t))
      .sort();
    const created: MirrorRecord[] = [];
    for (const sourceTopic of wanted) {
      if (signal.aborted) break;
      const mirrorTopic = prefix + sourceTopic;
      try {
        const { partitions, overrides } = await onCluster(endpoints.source, () => describeSource(sourceAdmin, sourceTopic));
        const synced = [...overrides].filter(([name]) => include.has(name)).map(([name, value]) => ({ name, value }));
        await onCluster(endpoints.destination, () =>
          destAdmin.createTopics({ waitForLeaders: true, topics: [{ topic: mirrorTopic, numPartitions: partitions, replicationFactor: -1, configEntries: synced }] }),
        );
        const now = Date.now();
        created.push({
          link: snapshot.link.name,
          mirrorTopic,
          sourceTopic,
          desiredState: 'ACTIVE',
          partitions,
          configOverrides: {},
          createdAt: new Date(now).toISOString(),
          stateChangedAtMs: now,
        });
        this.deps.log.info('mirror topic created automatically', { mirrorTopic, sourceTopic, partitions });
      } catch (error) {
        this.deps.log.warn(`cannot auto-create mirror topic ${mirrorTopic}`, { error: messageOf(error) });
      }
    }
    if (created.length === 0) return;
    await this.serial(async () => {
      if (this.stopped) return;
      this.auto = [...(this.auto ?? []), ...created];
      if (this.file) {
        try {
          writeAutoMirrors(this.file, snapshot.link.name, this.auto);
        } catch (error) {
          this.deps.log.error('cannot write the auto-created mirrors', { file: this.file, error: messageOf(error) });
        }
      }
      this.deps.reportAutoMirrors?.([...this.auto]);
      if (this.snapshot) await this.mirrors.apply(withAutoMirrors(this.snapshot, this.auto));
    });
  }
}

async function describeSource(admin: Admin, topic: string): Promise<{ partitions: number; overrides: Map<string, string> }> {
  const [metadata, described] = await Promise.all([
    admin.fetchTopicMetadata({ topics: [topic] }),
    admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: topic }] }),
  ]);
  const overrides = new Map<string, string>();
  for (const e of described.resources[0]?.configEntries ?? []) {
    if (Number(e.configSource) === TOPIC_CONFIG_SOURCE && e.configValue !== null) overrides.set(e.configName, e.configValue);
  }
  return { partitions: metadata.topics[0]?.partitions.length ?? 0, overrides };
}

export function createAutoCreateTask(mirrors: LinkEngine, deps: AutoCreateDeps): LinkEngine {
  return new AutoCreateTask(mirrors, deps);
}
