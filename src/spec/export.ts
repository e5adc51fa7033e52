/**
 * A stored link and its mirrors as clink.dev/v1 ClusterLink documents: one document, or two for a
 * bidirectional link with reversed mirrors (the second with the clusters swapped, as seed 004 pairs
 * them). Invariant: applying the export to the same store plans no change, and no secret value is
 * written: secrets stay references (`secretRef`, `${env:…}`, `${dir:…}`); a literal secret value is
 * replaced by a mask and reported, since it cannot round-trip.
 */
import path from 'node:path';
import type { StoreData } from '../core/ports.js';
import { requireLink } from '../core/usecases/link-query.js';
import { isBidirectional } from '../core/link-direction.js';
import { hasReference } from '../config/references.js';
import { CLINK_API_VERSION, KIND } from './model.js';
import { fromClientConfig } from './cluster-security.js';
import { specStateOf } from './plan.js';
import { MASK } from './render.js';

export interface ExportResult {
  documents: unknown[];
  /** Keys whose literal secret values were masked (the export does not round-trip for them). */
  masked: string[];
}

/** The --secrets-dir a `${dir:DIR/NAME:key}` reference was made with. */
function inferSecretsDir(config: Record<string, string>): string | undefined {
  for (const v of Object.values(config)) {
    const m = /^\$\{dir:(.*):[^:/\\]+\}$/.exec(v);
    if (m) return path.dirname(m[1]!);
  }
  const loc = config['ssl.truststore.location'];
  return loc ? path.dirname(path.dirname(loc)) : undefined;
}

export function exportLink(data: StoreData, name: string, isSensitive: (key: string) => boolean): ExportResult {
  const link = requireLink(data, name);
  const masked: string[] = [];
  const secretsDir = inferSecretsDir(link.sourceClientConfig);
  const { authentication, tls, rest } = fromClientConfig(link.sourceClientConfig, secretsDir ? { secretsDir } : {});
  const configs: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...link.configs, ...rest })) {
    if (k === 'link.mode') continue;
    if (isSensitive(k) && !hasReference(v)) {
      masked.push(k);
      configs[k] = MASK;
    } else configs[k] = v;
  }
  const bidi = isBidirectional(link);
  const remote = {
    bootstrapEndpoint: link.sourceBootstrapServers,
    ...(link.sourceClusterId ? { clusterID: link.sourceClusterId } : {}),
    ...(authentication ? { authentication } : {}),
    ...(tls ? { tls } : {}),
  };
  const mirrors = Object.values(data.mirrors)
    .filter((m) => m.link === link.name)
    .sort((a, b) => (a.mirrorTopic < b.mirrorTopic ? -1 : 1));
  const topicsOf = (reversed: boolean) =>
    mirrors
      .filter((m) => Boolean(m.reversed) === reversed)
      .map((m) => ({
        name: m.mirrorTopic,
        ...(m.sourceTopic !== m.mirrorTopic ? { sourceTopicName: m.sourceTopic } : {}),
        state: specStateOf(m.desiredState),
        ...(Object.keys(m.configOverrides).length > 0 ? { configs: m.configOverrides } : {}),
      }));
  const doc = (metaName: string, spec: Record<string, unknown>) => ({ apiVersion: CLINK_API_VERSION, kind: KIND, metadata: { name: metaName }, spec: { name: link.name, ...spec } });
  const forward = doc(link.name, {
    ...(bidi ? { sourceInitiatedLink: { linkMode: 'Bidirectional' } } : {}),
    sourceKafkaCluster: remote,
    destinationKafkaCluster: { name: link.destination },
    ...(Object.keys(configs).length > 0 ? { configs } : {}),
    mirrorTopics: topicsOf(false),
  });
  const documents: unknown[] = [forward];
  const reversed = topicsOf(true);
  if (bidi && reversed.length > 0) {
    documents.push(doc(`${link.name}-reverse`, { sourceInitiatedLink: { linkMode: 'Bidirectional' }, sourceKafkaCluster: { name: link.destination }, destinationKafkaCluster: remote, mirrorTopics: reversed }));
  }
  return { documents, masked };
}
