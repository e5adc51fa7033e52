/**
 * The replication engine of one link (contract in engine-api.ts): converges on each snapshot it is
 * given. A mirror gets a running MirrorTask exactly while its desired state is ACTIVE and the link is
 * not paused; otherwise it is reported PAUSED, LINK_PAUSED or STOPPED with its last known partitions.
 * Invariants: apply() and stop() run one at a time, in call order; applying the same snapshot twice
 * changes nothing and reports nothing new; a STOPPED mirror is never written to again by this engine;
 * changed connection settings (addresses, credentials) replace every connection, other link configs
 * apply to running tasks on their next use; stop() resolves within 10 s with every connection closed.
 */
import { validateLinkConfigs } from '../core/link-config.js';
import type { MirrorRecord, MirrorStatus, PartitionStatus } from '../core/model/mirror.js';
import type { CreateLinkEngine, LinkEngine, LinkEngineDeps, LinkSnapshot } from './engine-api.js';
import { LinkSession, sessionKey } from './link-session.js';
import { linkSettings, type LinkSettings } from './link-settings.js';
import { MirrorTask } from './mirror-task.js';

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
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;
  private configError = false;

  constructor(private readonly deps: LinkEngineDeps) {}

  apply(snapshot: LinkSnapshot): Promise<void> {
    return this.serial(() => this.converge(snapshot));
  }

  async stop(): Promise<void> {
    this.stopped = true;
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

    const wanted = new Map(mirrors.map((m) => [m.mirrorTopic, m]));
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

  /** Reports a mirror that is not copying, once per status. */
  private reportIdle(mirror: MirrorRecord, status: MirrorStatus, error?: string): void {
    const key = `${status}\u0000${identity(mirror)}\u0000${error ?? ''}`;
    if (this.idleReported.get(mirror.mirrorTopic) === key) return;
    this.idleReported.set(mirror.mirrorTopic, key);
    const now = Date.now();
    const partitions = (this.lastPartitions.get(mirror.mirrorTopic) ?? []).map((p) => {
      const { error: _dropped, ...rest } = p;
      void _dropped;
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
}

export const createLinkEngine: CreateLinkEngine = (deps) => new Engine(deps);
