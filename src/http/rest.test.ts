/** The REST answers and the metrics over a made-up worker view (pure: no server, no Kafka). */
import { describe, expect, it } from 'vitest';
import type { MirrorRecord, WorkerStatusFile } from '../core/model/mirror.js';
import { WorkerMetrics } from './metrics.js';
import { HttpListenError, startWorkerHttpServer } from './server.js';
import { answerRest } from './rest.js';
import { mirrorViews, type WorkerView } from './worker-view.js';

const NOW = 1_700_000_000_000;
const mirror = (topic: string, desiredState: MirrorRecord['desiredState'] = 'ACTIVE'): MirrorRecord => ({
  link: 'dr-link', mirrorTopic: topic, sourceTopic: topic, desiredState, partitions: 2, configOverrides: {}, createdAt: '', stateChangedAtMs: NOW - 10,
});

function view(): WorkerView {
  const status: WorkerStatusFile = {
    link: 'dr-link', pid: 1, startedAtMs: NOW, updatedAtMs: NOW, ready: true,
    mirrors: {
      orders: { mirrorTopic: 'orders', sourceTopic: 'orders', status: 'PAUSED', statusTimeMs: NOW, partitions: [
        { partition: 0, status: 'PAUSED', lastSourceFetchOffset: 4, sourceHighWatermark: 11, destinationLogEnd: 4, updatedAtMs: NOW, caughtUpAtMs: NOW - 30_000 },
        { partition: 1, status: 'PAUSED', lastSourceFetchOffset: 4, sourceHighWatermark: 7, destinationLogEnd: 4, updatedAtMs: NOW, oldestPendingTimestampMs: NOW - 2_000 },
      ] },
      broken: { mirrorTopic: 'broken', sourceTopic: 'broken', status: 'FAILED', statusTimeMs: NOW, error: 'boom', partitions: [
        { partition: 0, status: 'FAILED', lastSourceFetchOffset: 1, sourceHighWatermark: 1, destinationLogEnd: 1, updatedAtMs: NOW, error: 'boom' },
      ] },
    },
    syncs: { consumer_offset_sync: { enabled: true, lastRunAtMs: NOW, lastSuccessAtMs: NOW - 5_000 } },
  };
  const snapshot = {
    link: { name: 'dr-link', linkId: 'id-1', destination: 'dr', sourceBootstrapServers: 'h:1', sourceClientConfig: { 'sasl.jaas.config': 'secret-jaas' }, configs: {}, createdAt: '', updatedAt: '' },
    destination: { name: 'dr', bootstrapServers: 'h:2', clusterId: 'C1', clientConfig: {}, createdAt: '' },
    mirrors: [mirror('orders', 'PAUSED'), mirror('broken')],
  };
  return { snapshot: () => snapshot, status: () => status, phase: () => 'running' };
}

const get = (path: string, method = 'GET') => answerRest(method, new URL(path, 'http://x'), 'http://x', view());

describe('REST', () => {
  it('answers mirrors with Confluent fields and describe\'s lag', () => {
    const r = get('/kafka/v3/clusters/C1/links/dr-link/mirrors/orders');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'KafkaMirrorData', mirror_status: 'PAUSED', num_partitions: 2, mirror_lags: [{ partition: 0, lag: 7, last_source_fetch_offset: 4 }, { partition: 1, lag: 3, last_source_fetch_offset: 4 }] });
    expect(get('/kafka/v3/clusters/C1/links/-/mirrors?mirror_status=failed').body).toMatchObject({ kind: 'KafkaMirrorDataList', data: [{ mirror_topic_name: 'broken', mirror_topic_error: 'boom' }] });
    expect(JSON.stringify(get('/kafka/v3/clusters/C1/links').body)).not.toContain('secret-jaas');
  });

  it('is read-only and says 404 in Confluent\'s error form', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(get('/kafka/v3/clusters/C1/links/dr-link', method)).toMatchObject({ status: 405, body: { error_code: 405 }, headers: { allow: 'GET, HEAD' } });
    expect(get('/kafka/v3/clusters/C2/links')).toMatchObject({ status: 404, body: { error_code: 404, message: 'cluster "C2" not found: this worker serves cluster "C1"' } });
    expect(get('/kafka/v3/clusters/C1/links/other')).toMatchObject({ status: 404, body: { message: 'cluster link "other" not found' } });
    expect(get('/kafka/v3/clusters/C1/links/dr-link/mirrors/nope')).toMatchObject({ status: 404, body: { message: 'mirror topic "nope" not found on cluster link "dr-link"' } });
    expect(get('/kafka/v3/clusters/C1/links/dr-link/configs')).toMatchObject({ status: 404 });
    expect(get('/kafka/v3/clusters/C1/links/dr-link/mirrors?mirror_status=nope')).toMatchObject({ status: 400 });
  });
});

describe('metrics', () => {
  it('serve the rows REST and describe use, with lag seconds from batch timestamps or the last catch-up', async () => {
    const v = view();
    const rows = mirrorViews(v, NOW);
    expect(rows.find((m) => m.mirrorTopic === 'orders')?.partitions.map((p) => [p.lag, p.lagSeconds])).toEqual([[7, 30], [3, 2]]);
    const text = await new WorkerMetrics('dr-link', v, { processMetrics: false }).scrape();
    expect(text).toContain('clink_mirror_partition_lag_records{link="dr-link",topic="orders",partition="0"} 7');
    expect(text).toContain('clink_mirror_topic_max_lag_records{link="dr-link",topic="orders"} 7');
    expect(text).toContain('clink_link_max_lag_records{link="dr-link"} 7');
    expect(text).toContain('clink_mirror_status{link="dr-link",topic="orders",status="PAUSED"} 1');
    expect(text).toContain('clink_partition_failed{link="dr-link",topic="broken",partition="0"} 1');
    expect(text).toContain(`clink_offset_sync_last_success_timestamp_seconds{link="dr-link"} ${(NOW - 5_000) / 1000}`);
    expect(text).not.toContain('clink_acl_sync_last_success_timestamp_seconds{');
    expect(text).not.toContain('secret-jaas');
  });

  it('count each failed sync pass once', async () => {
    const m = new WorkerMetrics('dr-link', view(), { processMetrics: false });
    m.sync('acl_sync', { enabled: true, lastRunAtMs: 1, error: 'x' });
    m.sync('acl_sync', { enabled: true, lastRunAtMs: 1, error: 'x' });
    m.sync('acl_sync', { enabled: true, lastRunAtMs: 2, error: 'x' });
    m.sync('acl_sync', { enabled: true, lastRunAtMs: 3, lastSuccessAtMs: 3 });
    expect(await m.scrape()).toContain('clink_sync_errors_total{link="dr-link",sync="acl_sync"} 2');
  });
});

describe('/healthz', () => {
  it('is 200 while the engine runs, 503 when the link failed or the worker stops', async () => {
    const v = view();
    let phase: 'running' | 'stopping' = 'running';
    const live: WorkerView = { ...v, phase: () => phase };
    const server = await startWorkerHttpServer({ host: '127.0.0.1', port: 0 }, 'dr-link', live, new WorkerMetrics('dr-link', live, { processMetrics: false }));
    try {
      const health = async () => {
        const r = await fetch(`http://${server.address}/healthz`);
        return [r.status, await r.json()];
      };
      expect(await health()).toEqual([200, { status: 'RUNNING' }]);
      v.status().error = 'cannot reach the destination cluster "dr"';
      expect(await health()).toEqual([503, { status: 'FAILED', error: 'cannot reach the destination cluster "dr"' }]);
      delete v.status().error;
      phase = 'stopping';
      expect(await health()).toEqual([503, { status: 'STOPPING' }]);
      // a second server on the same port: refused with a CONFLICT naming the address
      const port = Number(server.address.split(':')[1]);
      const second = startWorkerHttpServer({ host: '127.0.0.1', port }, 'dr-link', live, new WorkerMetrics('dr-link', live, { processMetrics: false }));
      await expect(second).rejects.toBeInstanceOf(HttpListenError);
      await expect(second).rejects.toMatchObject({ code: 'CONFLICT', message: `the worker of cluster link "dr-link" cannot listen for HTTP on 127.0.0.1:${port}: the address is already in use` });
    } finally {
      await server.close();
    }
  });
});
