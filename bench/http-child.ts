/**
 * Child of the http phase (bench/http-scrape.ts): a worker's HTTP endpoint over an in-memory link of
 * N mirrors × P partitions, all lagging, exactly as the worker serves it (the same WorkerView, metrics
 * and server; the engine is replaced by status reports, since a scrape reads only those).
 * Protocol (IPC): sends {rssBefore, heapBefore} once the status is built (after GC), then {address,
 * rssListening} once the endpoint listens; on 'rss' sends {rss, heap} (after GC). Run with --expose-gc.
 */
import type { MirrorRecord, WorkerStatusFile } from '../src/core/model/mirror.js';
import { WorkerMetrics } from '../src/http/metrics.js';
import { startWorkerHttpServer } from '../src/http/server.js';
import type { WorkerView } from '../src/http/worker-view.js';

const [mirrorCount, partitionCount] = [Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 6)];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const rss = () => {
  gc();
  gc();
  return process.memoryUsage().rss;
};
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const send = (message: unknown) => process.send?.(message);

const now = Date.now();
const mirrors: MirrorRecord[] = Array.from({ length: mirrorCount }, (_, i) => ({
  link: 'bench-link', mirrorTopic: `orders-${String(i).padStart(3, '0')}`, sourceTopic: `orders-${String(i).padStart(3, '0')}`,
  desiredState: 'ACTIVE', partitions: partitionCount, configOverrides: {}, createdAt: new Date(now).toISOString(), stateChangedAtMs: now,
}));
const status: WorkerStatusFile = {
  link: 'bench-link', pid: process.pid, startedAtMs: now, updatedAtMs: now, ready: true,
  mirrors: Object.fromEntries(mirrors.map((m, i) => [m.mirrorTopic, {
    mirrorTopic: m.mirrorTopic, sourceTopic: m.sourceTopic, status: 'ACTIVE' as const, statusTimeMs: now,
    partitions: Array.from({ length: partitionCount }, (_, p) => ({
      partition: p, status: 'ACTIVE' as const, lastSourceFetchOffset: 1_000_000 + i, sourceHighWatermark: 1_000_000 + i + p * 10, destinationLogEnd: 1_000_000 + i,
      updatedAtMs: now, oldestPendingTimestampMs: now - 1000 * p, caughtUpAtMs: now - 5000,
    })),
  }])),
  syncs: { consumer_offset_sync: { enabled: true, lastRunAtMs: now, lastSuccessAtMs: now } },
};
const snapshot = {
  link: { name: 'bench-link', linkId: 'bench-link-id', destination: 'dr', sourceBootstrapServers: 'h:1', sourceClientConfig: {}, configs: {}, createdAt: '', updatedAt: '' },
  destination: { name: 'dr', bootstrapServers: 'h:2', clusterId: 'bench-cluster', clientConfig: {}, createdAt: '' },
  mirrors,
};
send({ rssBefore: rss(), heapBefore: heap() });

const view: WorkerView = { snapshot: () => snapshot, status: () => status, phase: () => 'running' };
const metrics = new WorkerMetrics('bench-link', view);
// The engine keeps counting while it copies: give every counter and histogram its series.
for (const m of mirrors) metrics.appended(m.mirrorTopic, 0, 100, 100_000);
for (let i = 0; i < 100; i++) {
  metrics.fetchRequest(0.01 * (i % 7), false);
  metrics.produceRequest(0.005 * (i % 5), false);
}
const server = await startWorkerHttpServer({ host: '127.0.0.1', port: 0 }, 'bench-link', view, metrics);
const rssListening = rss();
const inProcess: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  await metrics.scrape();
  inProcess.push(performance.now() - t);
}
send({ address: server.address, inProcessMs: inProcess, rssListening });
process.on('message', (message) => {
  if (message === 'rss') send({ rss: rss(), heap: heap() });
  if (message === 'stop') void server.close().then(() => process.exit(0));
});
