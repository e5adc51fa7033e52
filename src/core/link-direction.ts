/**
 * Which way a mirror copies. A link joins its source (remote) cluster to its destination (a
 * registered cluster); a mirror normally lives on the destination. On a BIDIRECTIONAL link a mirror
 * may be `reversed`: it lives on the source cluster and copies from the destination. Every place
 * that connects to a mirror's two ends asks this file, so the direction is decided in one place.
 * Invariant: the view of a reversed mirror is the link with its two ends swapped, and nothing else
 * about the link changes except what only makes sense one way (ACL sync, auto-create, the start
 * position of an empty mirror partition: a reversed mirror always starts from the earliest offset,
 * because both topics share one history).
 */
import type { ClusterRecord } from './model/cluster.js';
import type { LinkRecord } from './model/link.js';
import type { MirrorRecord } from './model/mirror.js';
import type { ClusterEndpoint, StoreData } from './ports.js';
import { requireCluster } from './usecases/clusters.js';

export function isBidirectional(link: LinkRecord): boolean {
  return link.configs['link.mode'] === 'BIDIRECTIONAL';
}

export interface MirrorEnds {
  /** Where the mirror reads from. */
  source: ClusterEndpoint;
  /** Where the mirror topic lives. */
  destination: ClusterEndpoint;
}

/** The two ends of a mirror, in the direction it copies (labels say which cluster, for messages). */
export function mirrorEnds(data: StoreData, link: LinkRecord, mirror: Pick<MirrorRecord, 'reversed'>): MirrorEnds {
  const cluster = requireCluster(data, link.destination);
  const local = { bootstrapServers: cluster.bootstrapServers, clientConfig: cluster.clientConfig };
  const remote = { bootstrapServers: link.sourceBootstrapServers, clientConfig: link.sourceClientConfig };
  if (mirror.reversed) {
    return { source: { ...local, label: `cluster "${cluster.name}"` }, destination: { ...remote, label: `remote cluster of link "${link.name}"` } };
  }
  return { source: { ...remote, label: isBidirectional(link) ? `remote cluster of link "${link.name}"` : 'source cluster' }, destination: { ...local, label: `destination cluster "${cluster.name}"` } };
}

/** The remote cluster of a link as if it were a registered cluster (the destination of reversed mirrors). */
export function remoteAsCluster(link: LinkRecord): ClusterRecord {
  return {
    name: `remote of ${link.name}`,
    bootstrapServers: link.sourceBootstrapServers,
    clientConfig: link.sourceClientConfig,
    createdAt: link.createdAt,
    ...(link.sourceClusterId ? { clusterId: link.sourceClusterId } : {}),
  };
}

/** The link and destination as reversed mirrors see them: the two ends swapped. */
export function reversedView(link: LinkRecord, destination: ClusterRecord): { link: LinkRecord; destination: ClusterRecord } {
  return {
    link: {
      ...link,
      sourceBootstrapServers: destination.bootstrapServers,
      sourceClientConfig: destination.clientConfig,
      ...(destination.clusterId ? { sourceClusterId: destination.clusterId } : {}),
      destination: `remote of ${link.name}`,
      configs: { ...link.configs, 'mirror.start.offset.spec': 'earliest', 'acl.sync.enable': 'false', 'auto.create.mirror.topics.enable': 'false' },
    },
    destination: remoteAsCluster(link),
  };
}

/** The mirrors of one direction. */
export function mirrorsGoing<T extends Pick<MirrorRecord, 'reversed'>>(mirrors: readonly T[], reversed: boolean): T[] {
  return mirrors.filter((m) => Boolean(m.reversed) === reversed);
}
