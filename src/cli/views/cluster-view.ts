/** How registered clusters are shown: list columns and the describe key/value rows. */
import type { View } from '../output/view.js';
import type { ClusterSummary } from '../../core/usecases/clusters.js';

export const clusterListView: View<ClusterSummary> = [
  { key: 'current', header: 'Current', get: (c) => (c.current ? '*' : '') },
  { key: 'name', header: 'Name', get: (c) => c.name },
  { key: 'bootstrap_servers', header: 'Bootstrap Servers', get: (c) => c.bootstrapServers },
  { key: 'cluster_id', header: 'Cluster ID', get: (c) => c.clusterId },
  { key: 'security', header: 'Security', get: (c) => c.security },
];

/** Machine output uses a boolean for `current`. */
export const clusterMachineListView: View<ClusterSummary> = [
  { key: 'name', header: 'Name', get: (c) => c.name },
  { key: 'bootstrap_servers', header: 'Bootstrap Servers', get: (c) => c.bootstrapServers },
  { key: 'cluster_id', header: 'Cluster ID', get: (c) => c.clusterId },
  { key: 'security', header: 'Security', get: (c) => c.security },
  { key: 'current', header: 'Current', get: (c) => c.current },
];

export const clusterDescribeView: View<ClusterSummary> = [
  { key: 'name', header: 'Name', get: (c) => c.name },
  { key: 'bootstrap_servers', header: 'Bootstrap Servers', get: (c) => c.bootstrapServers },
  { key: 'cluster_id', header: 'Cluster ID', get: (c) => c.clusterId },
  { key: 'security', header: 'Security', get: (c) => c.security },
  { key: 'current', header: 'Current', get: (c) => c.current },
  { key: 'link_count', header: 'Links', get: (c) => c.linkCount },
  { key: 'client_config_keys', header: 'Client Config Keys', get: (c) => c.clientConfigKeys },
];
