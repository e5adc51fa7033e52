/** How link workers are shown (`clink worker status`): one row per link; absent values are null in json/yaml. */
import type { View } from '../output/view.js';
import type { WorkerStatusInfo } from '../../worker/queries.js';

export const workerStatusView: View<WorkerStatusInfo> = [
  { key: 'link_name', header: 'Link Name', get: (w) => w.link },
  { key: 'worker_state', header: 'Worker State', get: (w) => w.state },
  { key: 'pid', header: 'PID', get: (w) => w.pid ?? null, align: 'right' },
  { key: 'started_at', header: 'Started', get: (w) => w.startedAt ?? null },
  { key: 'last_heartbeat', header: 'Last Heartbeat', get: (w) => w.lastHeartbeat ?? null },
  { key: 'mirrors', header: 'Mirrors', get: (w) => w.mirrors, align: 'right' },
  { key: 'http_address', header: 'HTTP', get: (w) => w.httpAddress ?? null },
  { key: 'error', header: 'Error', get: (w) => w.error ?? null },
];
