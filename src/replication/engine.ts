/**
 * The replication engine of one link (contract in engine-api.ts): converges on each snapshot it is
 * given. A mirror gets a running MirrorTask exactly while its desired state is ACTIVE and the link is
 * not paused; otherwise it is reported PAUSED, LINK_PAUSED or STOPPED with its last known partitions.
 * Invariants: apply() and stop() run one at a time, in call order; applying the same snapshot twice
 * changes nothing and reports nothing new; a STOPPED mirror is never written to again by this engine;
 * changed connection settings (addresses, credentials) replace every connection, other link configs
 * apply to running tasks on their next use; stop() resolves within 10 s with every connection closed.
 * A PAUSED or LINK_PAUSED mirror has no copier, so every `topic.config.sync.ms` the engine reads its
 * source high watermark and destination log end (one ListOffsets per side and topic) and reports them
 * when they changed: its lag stays as fresh as `mirror describe`'s without anything asking for it.
 */
import { validateLinkConfigs } from '../core/link-config.js';
import type { MirrorRecord, MirrorStatus, PartitionStatus } from '../core/model/mirror.js';
import type { CreateLinkEngine, LinkEngine, LinkEngineDeps, LinkSnapshot } from './engine-api.js';
import { LinkSession, sessionKey } from './link-session.js';
import { linkSettings, type LinkSettings } from './link-settings.js';
import { MirrorTask } from './mirror-task.js';
import { listOffsets } from './raw-admin.js';
import { Signal } from './scheduler.js';

const STOP_BUDGET_MS = 8000;
const within = (work: Promise<unknown>, ms: number): Promise<unknown> =>
  Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())]);

/** Identity of a mirror: a deleted and recreated mirror of the same name is a new mirror. */
const identity = (m: MirrorRecord): string => `${m.sourceTopic}\u0000${m.createdAt}`;

class Engine implements LinkEngine {
  private session: LinkSession | undefined;
  private settings: LinkSettings | undefined;
  private readonly tasks = new Map<string, { task: MirrorTask; id: string }>();
  private readonly lastPartitions = new Map<string, PartitionStatus[]>();
  private readonly idleReported = new Map<string, string>();
  /** Mirrors reported idle, with how: the offset refresh re-reports exactly these. */
  private readonly idle = new Map<string, { mirror: MirrorRecord; status: MirrorStatus; error?: string }>();
  private readonly idleSignal = new Signal();
  private idleLoop: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;
  private configError = false;

  constructor(private readonly deps: LinkEngineDeps) {}

  apply(snapshot: LinkSnapshot): Promise<void> {
    return this.serial(() => this.converge(snapshot));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.idleSignal.close();
    // An apply in progress notices `stopped` after its current step; stop does not wait for it long.
    await within(this.tail, 1500);
    await within(this.stopTasks([...this.tasks.keys()]), STOP_BUDGET_MS - 4500);
    await within(this.session?.close() ?? Promise.resolve(), 3000);
    this.session = undefined;
    this.deps.log.info('replication engine stopped');
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async converge(snapshot: LinkSnapshot): Promise<void> {
    if (this.stopped) return;
    const { link, destination, mirrors } = snapshot;
    let settings: LinkSettings;
    try {
      settings = linkSettings(validateLinkConfigs(link.configs).configs, this.deps.env, link.name);
    } catch (error) {
      const message = `invalid configs of cluster link "${link.name}": ${error instanceof Error ? error.message : String(error)}`;
      this.deps.reportLinkError(message);
      this.configError = true;
      await this.stopTasks([...this.tasks.keys()]);
      for (const mirror of mirrors) this.reportIdle(mirror, mirror.desiredState === 'STOPPED' ? 'STOPPED' : 'LINK_FAILED', message);
      return;
    }
    this.settings = settings;
    if (this.configError) this.deps.reportLinkError(undefined);
    this.configError = false;
    const key = sessionKey(link, destination, settings);
    if (this.session && this.session.key !== key) {
      this.deps.log.info(`connection settings of cluster link "${link.name}" changed: reconnecting`);
      await this.stopTasks([...this.tasks.keys()]);
      await this.session.close();
      this.session = undefined;
    }
    if (this.stopped) return;
    const session = (this.session ??= new LinkSession(key, link, destination, this.deps, () => this.settings ?? settings));

    this.idleLoop ??= this.refreshIdleLoop();
    const wanted = new Map(mirrors.map((m) => [m.mirrorTopic, m]));
    for (const topic of [...this.idle.keys()]) if (!wanted.has(topic)) this.idle.delete(topic);
    const outdated = [...this.tasks].filter(([topic, { id }]) => {
      const m = wanted.get(topic);
      return !m || identity(m) !== id || this.targetOf(m, settings) !== 'ACTIVE';
    });
    await this.stopTasks(outdated.map(([topic]) => topic));
    for (const mirror of mirrors) {
      if (this.stopped) return;
      const target = this.targetOf(mirror, settings);
      if (target !== 'ACTIVE') {
        this.reportIdle(mirror, target);
        continue;
      }
      if (this.tasks.has(mirror.mirrorTopic)) continue;
      this.idleReported.delete(mirror.mirrorTopic);
      this.idle.delete(mirror.mirrorTopic);
      const task = new MirrorTask(
        {
          source: session.source,
          dest: session.dest,
          producer: session.producer,
          sourceAdmin: session.sourceAdmin,
          destAdmin: session.destAdmin,
          fetcher: session.fetcher,
          budget: session.budget,
          log: this.deps.log,
          settings: () => this.settings ?? settings,
          ...(this.deps.metrics ? { metrics: this.deps.metrics } : {}),
          report: (report) => {
            this.lastPartitions.set(report.mirrorTopic, report.partitions);
            this.deps.report(report);
          },
        },
        mirror,
      );
      this.tasks.set(mirror.mirrorTopic, { task, id: identity(mirror) });
      this.deps.log.info(`mirror topic ${mirror.mirrorTopic}: copying from ${mirror.sourceTopic}`);
      task.start();
    }
  }

  private targetOf(mirror: MirrorRecord, settings: LinkSettings): MirrorStatus {
    if (mirror.desiredState === 'STOPPED') return 'STOPPED';
    if (settings.paused) return 'LINK_PAUSED';
    return mirror.desiredState;
  }

  private async stopTasks(topics: string[]): Promise<void> {
    await Promise.all(
      topics.map(async (topic) => {
        const entry = this.tasks.get(topic);
        if (!entry) return;
        this.tasks.delete(topic);
        this.lastPartitions.set(topic, await entry.task.stop());
        this.deps.log.info(`mirror topic ${topic}: copying stopped`);
      }),
    );
  }

  /** Reports a mirror that is not copying, once per status (again when `fresh` offsets came in). */
  private reportIdle(mirror: MirrorRecord, status: MirrorStatus, error?: string, fresh = false): void {
    this.idle.set(mirror.mirrorTopic, { mirror, status, ...(error ? { error } : {}) });
    const key = `${status}\u0000${identity(mirror)}\u0000${error ?? ''}`;
    if (!fresh && this.idleReported.get(mirror.mirrorTopic) === key) return;
    this.idleReported.set(mirror.mirrorTopic, key);
    const now = Date.now();
    const partitions = (this.lastPartitions.get(mirror.mirrorTopic) ?? []).map((p) => {
      const { error: _dropped, oldestPendingTimestampMs: _released, ...rest } = p;
      void _dropped;
      void _released;
      return { ...rest, status, updatedAtMs: now };
    });
    this.deps.report({
      mirrorTopic: mirror.mirrorTopic,
      sourceTopic: mirror.sourceTopic,
      status,
      statusTimeMs: now,
      ...(error ? { error } : {}),
      partitions,
    });
  }

  /** Every topic.config.sync.ms: fresh offsets of the paused mirrors (see the top comment). */
  private async refreshIdleLoop(): Promise<void> {
    while (!this.stopped) {
      await this.idleSignal.sleep(this.settings?.syncMs ?? 5000);
      if (this.stopped) return;
      await Promise.all([...this.idle.values()].map((entry) => this.refreshIdle(entry))).catch(() => undefined);
    }
  }

  private async refreshIdle(entry: { mirror: MirrorRecord; status: MirrorStatus; error?: string }): Promise<void> {
    const { mirror, status } = entry;
    const session = this.session;
    if (!session || (status !== 'PAUSED' && status !== 'LINK_PAUSED')) return;
    const known = this.lastPartitions.get(mirror.mirrorTopic) ?? [];
    const count = Math.max(known.length, mirror.partitions);
    const ids = Array.from({ length: count }, (_, p) => p);
    let offsets: [Map<number, bigint>, Map<number, bigint>];
    try {
      offsets = await Promise.all([
        session.source().then((c) => listOffsets(c, mirror.sourceTopic, ids, 'latest')),
        session.dest().then((c) => listOffsets(c, mirror.mirrorTopic, ids, 'latest')),
      ]);
    } catch (error) {
      this.deps.log.debug(`mirror topic ${mirror.mirrorTopic}: offsets of the paused mirror not read`, { error: String(error) });
      return;
    }
    // Still the same idle mirror (not resumed, deleted or re-paused while the offsets were read)?
    if (this.idle.get(mirror.mirrorTopic) !== entry || this.stopped || this.session !== session) return;
    const now = Date.now();
    let changed = known.length !== count;
    const partitions = ids.map((p) => {
      const before = known.find((x) => x.partition === p);
      const hw = Number(offsets[0].get(p) ?? BigInt(before?.sourceHighWatermark ?? -1));
      const end = Number(offsets[1].get(p) ?? BigInt(before?.destinationLogEnd ?? -1));
      if (!before || before.sourceHighWatermark !== hw || before.destinationLogEnd !== end) changed = true;
      const next: PartitionStatus = {
        ...(before ?? { partition: p, status, lastSourceFetchOffset: end, updatedAtMs: now }),
        sourceHighWatermark: hw,
        destinationLogEnd: end,
      };
      if (hw >= 0 && end >= hw) next.caughtUpAtMs = now;
      return next;
    });
    this.lastPartitions.set(mirror.mirrorTopic, partitions);
    if (changed) this.reportIdle(mirror, status, entry.error, true);
  }
}

export const createLinkEngine: CreateLinkEngine = (deps) => new Engine(deps);
