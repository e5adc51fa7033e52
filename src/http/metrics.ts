/**
 * The worker's Prometheus metrics (prom-client). Gauges are computed at scrape time from the
 * WorkerView (what the engine last reported), counters and histograms are fed by the engine through
 * EngineMetrics. Invariants: a scrape never talks to Kafka; every series carries `link`, mirror
 * series `topic` (the mirror topic) and partition series `partition`; a lag that is not known yet has
 * no sample rather than a made-up one; no label or value ever holds a config value (secrets).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MIRROR_STATUSES } from '../core/model/mirror.js';
import type { SyncName, SyncStatus } from '../core/model/sync.js';
import type { EngineMetrics } from '../replication/engine-api.js';
import { mirrorViews, type MirrorView, type WorkerView } from './worker-view.js';

const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class WorkerMetrics implements EngineMetrics {
  readonly registry = new Registry();
  private readonly records: Counter<'link' | 'topic'>;
  private readonly bytes: Counter<'link' | 'topic'>;
  private readonly fetches: Counter<'link' | 'result'>;
  private readonly produces: Counter<'link' | 'result'>;
  private readonly fetchLatency: Histogram<'link'>;
  private readonly produceLatency: Histogram<'link'>;
  private readonly syncErrors: Counter<'link' | 'sync'>;
  private readonly seenSyncErrors = new Map<SyncName, number | undefined>();
  /** Mirror rows of the scrape in progress (computed once, read by every gauge). */
  private rows: MirrorView[] | undefined;

  constructor(
    private readonly link: string,
    private readonly view: WorkerView,
    options: { processMetrics?: boolean } = {},
  ) {
    const r = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.records = new Counter({ name: 'clink_mirror_records_total', help: 'Offsets (records and fillers) appended to the mirror topic.', labelNames: ['link', 'topic'], registers: r });
    this.bytes = new Counter({ name: 'clink_mirror_bytes_total', help: 'Record-batch bytes appended to the mirror topic.', labelNames: ['link', 'topic'], registers: r });
    this.fetches = new Counter({ name: 'clink_mirror_fetch_requests_total', help: 'Fetch requests sent to source brokers, by result (ok or error).', labelNames: ['link', 'result'], registers: r });
    this.produces = new Counter({ name: 'clink_mirror_produce_requests_total', help: 'Produce rounds sent to the destination, by result (ok or error).', labelNames: ['link', 'result'], registers: r });
    this.fetchLatency = new Histogram({ name: 'clink_mirror_fetch_latency_seconds', help: 'Time from sending a Fetch to its answer (includes replica.fetch.wait.max.ms when the source is idle).', labelNames: ['link'], buckets: LATENCY_BUCKETS, registers: r });
    this.produceLatency = new Histogram({ name: 'clink_mirror_produce_latency_seconds', help: 'Time from sending a Produce round to its answer (acks=all).', labelNames: ['link'], buckets: LATENCY_BUCKETS, registers: r });
    this.syncErrors = new Counter({ name: 'clink_sync_errors_total', help: 'Failed passes of a periodic sync (consumer_offset_sync, acl_sync).', labelNames: ['link', 'sync'], registers: r });
    for (const sync of ['consumer_offset_sync', 'acl_sync']) this.syncErrors.inc({ link, sync }, 0);
    this.fetches.inc({ link, result: 'ok' }, 0);
    this.produces.inc({ link, result: 'ok' }, 0);

    const rows = () => (this.rows ??= mirrorViews(this.view));
    const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>) => void) =>
      new Gauge<L>({ name, help, labelNames, registers: r, collect() { this.reset(); fill(this); } });
    gauge('clink_mirror_partition_lag_records', 'Source high watermark minus destination log end of the mirror partition (the lag `mirror describe` shows).', ['link', 'topic', 'partition'], (g) => {
      for (const m of rows()) for (const p of m.partitions) if (p.lag >= 0) g.set({ link, topic: m.mirrorTopic, partition: String(p.partition) }, p.lag);
    });
    gauge('clink_mirror_topic_max_lag_records', "Largest partition lag of the mirror topic (Confluent's MaxLag).", ['link', 'topic'], (g) => {
      for (const m of rows()) if (m.partitions.some((p) => p.lag >= 0)) g.set({ link, topic: m.mirrorTopic }, Math.max(...m.partitions.map((p) => p.lag)));
    });
    gauge('clink_link_max_lag_records', 'Largest partition lag over every mirror topic of the link.', ['link'], (g) => {
      const lags = rows().flatMap((m) => m.partitions.map((p) => p.lag)).filter((l) => l >= 0);
      g.set({ link }, lags.length ? Math.max(...lags) : 0);
    });
    gauge('clink_mirror_partition_lag_seconds', 'Age of the oldest source record not yet on the destination (batch timestamps; since the partition was last caught up when its records are not fetched yet); 0 when caught up.', ['link', 'topic', 'partition'], (g) => {
      for (const m of rows()) for (const p of m.partitions) if (p.lagSeconds !== undefined) g.set({ link, topic: m.mirrorTopic, partition: String(p.partition) }, p.lagSeconds);
    });
    gauge('clink_mirror_status', 'Mirror status: 1 for the status the mirror topic is in, 0 for the others.', ['link', 'topic', 'status'], (g) => {
      for (const m of rows()) for (const status of MIRROR_STATUSES) g.set({ link, topic: m.mirrorTopic, status }, m.status === status ? 1 : 0);
    });
    gauge('clink_partition_failed', '1 when the mirror partition is FAILED (it copies nothing more until the mirror is recreated or truncated and restored), else 0.', ['link', 'topic', 'partition'], (g) => {
      for (const m of rows()) for (const p of m.partitions) g.set({ link, topic: m.mirrorTopic, partition: String(p.partition) }, p.failed ? 1 : 0);
    });
    const lastSuccess = (name: string, sync: SyncName, what: string) =>
      gauge(name, `Unix time of the last successful ${what} pass (absent while it never succeeded or is disabled).`, ['link'], (g) => {
        const at = this.view.status().syncs?.[sync]?.lastSuccessAtMs;
        if (at !== undefined) g.set({ link }, at / 1000);
      });
    lastSuccess('clink_offset_sync_last_success_timestamp_seconds', 'consumer_offset_sync', 'consumer offset sync');
    lastSuccess('clink_acl_sync_last_success_timestamp_seconds', 'acl_sync', 'ACL sync');
    gauge('clink_worker_ready', '1 once the worker applied its link and runs, 0 while it starts or stops.', ['link'], (g) => {
      g.set({ link }, this.view.phase() === 'running' ? 1 : 0);
    });
  }

  /** The text exposition of every metric (one consistent set of mirror rows per scrape). */
  async scrape(): Promise<string> {
    this.rows = undefined;
    try {
      return await this.registry.metrics();
    } finally {
      this.rows = undefined;
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  fetchRequest(seconds: number, failed: boolean): void {
    this.fetches.inc({ link: this.link, result: failed ? 'error' : 'ok' });
    this.fetchLatency.observe({ link: this.link }, seconds);
  }

  produceRequest(seconds: number, failed: boolean): void {
    this.produces.inc({ link: this.link, result: failed ? 'error' : 'ok' });
    this.produceLatency.observe({ link: this.link }, seconds);
  }

  appended(mirrorTopic: string, _partition: number, records: number, bytes: number): void {
    this.records.inc({ link: this.link, topic: mirrorTopic }, records);
    this.bytes.inc({ link: this.link, topic: mirrorTopic }, bytes);
  }

  /** A sync reported: a failed pass not counted yet counts once. */
  sync(name: SyncName, status: SyncStatus): void {
    if (status.error === undefined) return;
    const run = status.lastRunAtMs;
    if (this.seenSyncErrors.has(name) && this.seenSyncErrors.get(name) === run) return;
    this.seenSyncErrors.set(name, run);
    this.syncErrors.inc({ link: this.link, sync: name });
  }
}
