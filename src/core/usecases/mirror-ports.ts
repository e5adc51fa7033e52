/** Dependencies of the mirror use cases, wired by the CLI's services. */
import type { AclReaderPort, ConfigStorePort, GroupOffsetsPort, TopicAdminPort, TransitionErrorLogPort, WorkerPort } from '../ports.js';

export interface MirrorDeps {
  store: ConfigStorePort;
  topics: TopicAdminPort;
  groups: GroupOffsetsPort;
  workers: WorkerPort;
  /** Destination ACLs, for the read-only mirror warning of describe (optional: no warning without it). */
  acls?: AclReaderPort;
  now: () => Date;
  /** Where failed transitions are recorded (mirror state-transition-error list); none: not recorded. */
  transitionErrors?: TransitionErrorLogPort;
  env: NodeJS.ProcessEnv;
  /** The link's topic.config.sync.include as a list (validated link configs). */
  syncedTopicConfigs(linkConfigs: Record<string, string>): string[];
  /** Throws when --config names a config the link syncs from the source. */
  assertMirrorTopicConfigs(configs: Record<string, string>, include: readonly string[]): void;
}
