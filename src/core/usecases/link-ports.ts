/**
 * What the link use cases need besides the store and the probe: the rules of link configs and
 * client properties (validation, defaults, which keys are client keys, what may be shown). Bound to
 * src/core/link-config.ts and src/kafka/client-config.ts by the CLI's services.
 */
import type { AclReaderPort, ClusterProbePort, ConfigStorePort, WorkerPort } from '../ports.js';

export interface EffectiveConfig {
  name: string;
  value: string;
  readOnly: boolean;
  sensitive: boolean;
  /** DYNAMIC_CLUSTER_LINK_CONFIG when set on the link, DEFAULT_CONFIG otherwise. */
  source: string;
}

export interface LinkConfigRules {
  /** Is this key a Kafka client property (security, ssl, sasl, timeouts …) rather than a link config? */
  isClientConfigKey(key: string): boolean;
  /**
   * Validates link configs (for an update: the changes, merged over `current`) and returns the
   * canonical link configs to store; throws InvalidConfigError listing every problem.
   */
  validateLinkConfigs(configs: Record<string, string>, current?: Record<string, string>): Record<string, string>;
  /** Static checks of client properties (mechanism, JKS store …); throws ClinkErrors. */
  checkClientConfig(props: Record<string, string>): void;
  /** Keys Confluent prints after `Created cluster link … with configs:` (never a secret). */
  createOutputKeys: ReadonlySet<string>;
  /** Every known link config with its effective value. */
  effectiveLinkConfigs(configs: Record<string, string>): EffectiveConfig[];
  isSensitiveKey(key: string): boolean;
  redact(value: string): string;
  describeSecurity(props: Record<string, string>): string;
}

export interface LinkDeps {
  store: ConfigStorePort;
  probe: ClusterProbePort;
  rules: LinkConfigRules;
  now: () => Date;
  newLinkId: () => string;
  env: NodeJS.ProcessEnv;
  /** For the worker's view of the link's syncs (link describe). */
  workers?: WorkerPort;
  /** Destination ACLs, for the read-only mirror warning of link describe. */
  acls?: AclReaderPort;
}
