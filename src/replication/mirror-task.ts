/**
 * One ACTIVE mirror topic: its topic sync (partitions and configs, first before any data, then every
 * `topic.config.sync.ms`) and one PartitionCopier per partition, and its status report.
 * Invariants: the mirror's status is the worst of its partitions' (FAILED > SOURCE_UNAVAILABLE >
 * ACTIVE), PENDING_MIRROR until its copiers exist; a report goes out at once when that status or an
 * error changes, and at most once a second otherwise, only when something changed; after stop()
 * resolves, no copier of this task has an append in flight and none will start.
 */
import type { MirrorRecord, MirrorStatus, MirrorStatusReport, PartitionStatus } from '../core/model/mirror.js';
import type { EngineLogger, EngineMetrics } from './engine-api.js';
import type { LinkSettings } from './link-settings.js';
import { PartitionCopier, type CopierContext } from './partition-copier.js';
import { Signal } from './scheduler.js';
import { TopicSync, type TopicSyncContext } from './topic-sync.js';

export type MirrorTaskContext = Omit<CopierContext, 'changed' | 'syncConfigs' | 'settings'> &
  Omit<TopicSyncContext, 'include'> & {
    settings(): LinkSettings;
    report(report: MirrorStatusReport): void;
    log: EngineLogger;
    metrics?: EngineMetrics;
  };

const RANK: Record<string, number> = { ACTIVE: 0, SOURCE_UNAVAILABLE: 1, FAILED: 2 };

export class MirrorTask {
  private readonly copiers = new Map<number, PartitionCopier>();
  private readonly sync: TopicSync;
  private readonly signal = new Signal();
  private readonly copierContext: CopierContext;
  private loop: Promise<void> | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private configSync: Promise<unknown> | undefined;
  private status: MirrorStatus = 'PENDING_MIRROR';
  private statusTimeMs = Date.now();
  private lastReport = '';
  private lastError = '';

  constructor(
    private readonly ctx: MirrorTaskContext,
    readonly mirror: MirrorRecord,
  ) {
    this.sync = new TopicSync({ ...ctx, include: () => ctx.settings().include }, mirror.sourceTopic, mirror.mirrorTopic);
    this.copierContext = {
      ...ctx,
      settings: () => ctx.settings().copier,
      changed: () => this.emit(),
      ...(ctx.metrics ? { appended: (partition: number, records: number, bytes: number) => ctx.metrics?.appended(mirror.mirrorTopic, partition, records, bytes) } : {}),
      syncConfigs: async () => void (await this.syncConfigs()),
    };
  }

  start(): void {
    this.loop ??= this.run();
    this.ticker ??= setInterval(() => this.emit(), 1000);
    this.emit();
  }

  /** Stops syncing and copying; returns the partitions' last statuses. */
  async stop(): Promise<PartitionStatus[]> {
    this.signal.close();
    if (this.ticker) clearInterval(this.ticker);
    await Promise.all([...this.copiers.values()].map((c) => c.stop()));
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    return this.partitions();
  }

  partitions(): PartitionStatus[] {
    return [...this.copiers.values()].map((c) => ({ ...c.status })).sort((a, b) => a.partition - b.partition);
  }

  private syncConfigs(): Promise<unknown> {
    this.configSync ??= this.sync.syncConfigs().finally(() => (this.configSync = undefined));
    return this.configSync;
  }

  private async run(): Promise<void> {
    while (!this.signal.isClosed) {
      let count = Math.max(this.copiers.size, this.mirror.partitions);
      try {
        count = Math.max(count, await this.sync.syncPartitions());
      } catch (error) {
        this.warnOnce(`partitions of ${this.mirror.mirrorTopic} not synced: ${String(error)}`);
      }
      try {
        await this.syncConfigs();
      } catch (error) {
        this.warnOnce(`topic configs of ${this.mirror.mirrorTopic} not synced: ${String(error)}`);
      }
      if (this.signal.isClosed) return;
      for (let partition = 0; partition < count; partition++) {
        if (this.copiers.has(partition)) continue;
        // Partitions added after the mirror was created hold only new data: copy them from the start.
        const spec = partition < this.mirror.partitions ? this.ctx.settings().startSpec : { type: 'earliest' as const };
        const copier = new PartitionCopier(this.copierContext, this.mirror.sourceTopic, this.mirror.mirrorTopic, partition, spec);
        this.copiers.set(partition, copier);
        copier.start();
      }
      this.emit();
      await this.signal.sleep(this.ctx.settings().syncMs);
    }
  }

  private warnOnce(message: string): void {
    if (message === this.lastError) return;
    this.lastError = message;
    this.ctx.log.warn(message);
  }

  /** Reports when anything changed since the last report. */
  private emit(): void {
    if (this.signal.isClosed) return;
    const partitions = this.partitions();
    let worst: PartitionStatus | undefined;
    for (const p of partitions) if (!worst || (RANK[p.status] ?? 0) > (RANK[worst.status] ?? 0)) worst = p;
    const status: MirrorStatus = worst ? worst.status : 'PENDING_MIRROR';
    if (status !== this.status) {
      this.status = status;
      this.statusTimeMs = Date.now();
    }
    const error = worst && worst.status !== 'ACTIVE' ? worst.error : partitions.find((p) => p.error)?.error;
    const report: MirrorStatusReport = {
      mirrorTopic: this.mirror.mirrorTopic,
      sourceTopic: this.mirror.sourceTopic,
      status,
      statusTimeMs: this.statusTimeMs,
      ...(error ? { error } : {}),
      partitions,
    };
    // Timestamps alone (heartbeat-like) do not make a report worth sending.
    const text = JSON.stringify({ ...report, partitions: partitions.map((p) => ({ ...p, updatedAtMs: 0, caughtUpAtMs: 0 })) });
    if (text === this.lastReport) return;
    this.lastReport = text;
    this.ctx.report(report);
  }
}
