/**
 * The read-only part of Confluent's REST v3 for links and mirrors, answered from the worker's view:
 *   GET /kafka/v3/clusters/{cluster_id}/links[/{link_name}[/mirrors[/{mirror_topic_name}]]]
 * (`links/-/mirrors` too), with Confluent's JSON shapes (KafkaLinkData, KafkaMirrorData and their
 * lists). Invariants: pure (a request and the view in, a status and a JSON body out); every write
 * method is 405 and every unknown cluster, link or topic 404, both in Confluent's error form
 * {"error_code":…,"message":…}; no config value ever appears in an answer (secrets).
 */
import { MIRROR_STATUSES, type MirrorStatus } from '../core/model/mirror.js';
import { destinationClusterId, mirrorViews, type MirrorView, type WorkerView } from './worker-view.js';

export interface RestAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const REST_PREFIX = '/kafka/v3/clusters/';

const error = (status: number, message: string, headers?: Record<string, string>): RestAnswer => ({ status, body: { error_code: status, message }, ...(headers ? { headers } : {}) });

function linkState(view: WorkerView): string {
  const snapshot = view.snapshot();
  if (snapshot?.link.configs['cluster.link.paused'] === 'true') return 'PAUSED';
  return view.status().error ? 'UNAVAILABLE' : 'ACTIVE';
}

function mirrorData(base: string, clusterId: string, link: string, m: MirrorView): Record<string, unknown> {
  return {
    kind: 'KafkaMirrorData',
    metadata: { self: `${base}/links/${link}/mirrors/${m.mirrorTopic}`, resource_name: `crn:///kafka=${clusterId}/cluster-link=${link}/topic=${m.mirrorTopic}` },
    link_name: link,
    mirror_topic_name: m.mirrorTopic,
    source_topic_name: m.sourceTopic,
    num_partitions: m.partitions.length,
    mirror_lags: m.partitions.map((p) => ({ partition: p.partition, lag: p.lag, last_source_fetch_offset: p.lastSourceFetchOffset })),
    mirror_status: m.status,
    mirror_topic_error: m.error === '' ? 'NO_ERROR' : m.error,
    state_time_ms: m.statusTimeMs,
  };
}

/** `request.url` is the path and query; `origin` is how the client reached us (http://host:port). */
export function answerRest(method: string, url: URL, origin: string, view: WorkerView): RestAnswer {
  if (method !== 'GET' && method !== 'HEAD') {
    return error(405, `method ${method} is not allowed: the REST API of clink's worker is read-only (change links and mirrors with the clink CLI)`, { allow: 'GET, HEAD' });
  }
  const parts = url.pathname.slice(REST_PREFIX.length).split('/').map((p) => decodeURIComponent(p));
  if (parts[parts.length - 1] === '') parts.pop();
  const [clusterId, links, linkName, mirrors, topic, ...rest] = parts;
  const snapshot = view.snapshot();
  const ours = destinationClusterId(view);
  if (!snapshot || ours === undefined) return error(503, 'the worker has not applied its cluster link yet');
  if (clusterId !== ours) return error(404, `cluster "${clusterId ?? ''}" not found: this worker serves cluster "${ours}"`);
  const base = `${origin}${REST_PREFIX}${ours}`;
  const link = snapshot.link;
  if (links !== 'links' || rest.length > 0 || (mirrors !== undefined && mirrors !== 'mirrors')) return error(404, `no such resource: ${url.pathname}`);
  if (linkName !== undefined && linkName !== '-' && linkName !== link.name) return error(404, `cluster link "${linkName}" not found`);

  if (mirrors !== undefined) {
    const rows = mirrorViews(view);
    if (topic !== undefined) {
      const row = rows.find((m) => m.mirrorTopic === topic);
      if (!row) return error(404, `mirror topic "${topic}" not found on cluster link "${link.name}"`);
      return { status: 200, body: mirrorData(base, ours, link.name, row) };
    }
    const wanted = url.searchParams.get('mirror_status');
    if (wanted !== null && !(MIRROR_STATUSES as readonly string[]).includes(wanted.toUpperCase())) {
      return error(400, `invalid mirror_status "${wanted}": use one of ${MIRROR_STATUSES.join(', ')}`);
    }
    const selected = rows.filter((m) => wanted === null || m.status === (wanted.toUpperCase() as MirrorStatus));
    const self = `${base}/links/${linkName ?? link.name}/mirrors`;
    return { status: 200, body: { kind: 'KafkaMirrorDataList', metadata: { self, next: null }, data: selected.map((m) => mirrorData(base, ours, link.name, m)) } };
  }
  if (linkName === '-') return error(404, `no such resource: ${url.pathname}`);
  const data = {
    kind: 'KafkaLinkData',
    metadata: { self: `${base}/links/${link.name}`, resource_name: `crn:///kafka=${ours}/cluster-link=${link.name}` },
    ...(link.sourceClusterId ? { source_cluster_id: link.sourceClusterId } : {}),
    destination_cluster_id: ours,
    link_name: link.name,
    link_id: link.linkId,
    cluster_link_id: link.linkId,
    topic_names: mirrorViews(view).map((m) => m.mirrorTopic),
    link_state: linkState(view),
    link_error: view.status().error ? 'LINK_ERROR' : 'NO_ERROR',
    link_error_message: view.status().error ?? '',
  };
  if (linkName !== undefined) return { status: 200, body: data };
  return { status: 200, body: { kind: 'KafkaLinkDataList', metadata: { self: `${base}/links`, next: null }, data: [data] } };
}
