/** The two ends of a stored link as ClusterEndpoints (for the probe and the topic admin). */
import type { LinkRecord } from '../model/link.js';
import type { ClusterEndpoint, StoreData } from '../ports.js';
import { requireCluster } from './clusters.js';

export function sourceEndpoint(link: LinkRecord): ClusterEndpoint {
  return { bootstrapServers: link.sourceBootstrapServers, clientConfig: link.sourceClientConfig, label: 'source cluster' };
}

export function destinationEndpoint(data: StoreData, link: LinkRecord): ClusterEndpoint {
  const cluster = requireCluster(data, link.destination);
  return { bootstrapServers: cluster.bootstrapServers, clientConfig: cluster.clientConfig, label: `destination cluster "${cluster.name}"` };
}
