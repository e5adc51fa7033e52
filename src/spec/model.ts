/**
 * The ClusterLink documents `clink apply` reads, after parsing and schema checks: one DocSpec per YAML
 * document, with where it came from so every later error can name it. Both accepted apiVersions
 * become the same DocSpec. Client properties hold secret *references* (`${dir:…}`, `${env:…}`),
 * never secret values.
 */
export const CFK_API_VERSION = 'platform.confluent.io/v1beta1';
export const CLINK_API_VERSION = 'clink.dev/v1';
export const KIND = 'ClusterLink';

export type SpecState = 'ACTIVE' | 'PAUSE' | 'PROMOTE' | 'FAILOVER';

export interface Origin {
  file: string;
  /** 1-based document index in the file. */
  document: number;
  /** metadata.name */
  resource: string;
  line: number;
}

export interface ClusterSpec {
  /** A cluster registered with `clink cluster add`. */
  name?: string;
  bootstrapEndpoint?: string;
  clusterId?: string;
  /** Client properties from authentication/tls (references only). */
  clientConfig: Record<string, string>;
}

export interface MirrorSpec {
  name: string;
  sourceTopicName?: string;
  state: SpecState;
  configs: Record<string, string>;
  replicationFactor?: number;
  path: string;
  line: number;
}

export interface DocSpec {
  origin: Origin;
  apiVersion: string;
  linkName: string;
  source: ClusterSpec;
  destination: ClusterSpec;
  bidirectional: boolean;
  /** Link configs (and any source client properties) from spec.configs and the structured fields. */
  configs: Record<string, string>;
  mirrors: MirrorSpec[];
}

export function describeOrigin(o: Origin): string {
  return `${o.file}, document ${o.document} (ClusterLink "${o.resource}")`;
}
