/**
 * A replication engine that copies nothing: a test seam for process management, selected with
 * CLINK_WORKER_ENGINE=noop. Invariant: after apply(), every mirror of the snapshot is reported with
 * its desired state as its status and no partitions; it opens no connection, so stop() is immediate.
 */
import type { CreateLinkEngine } from '../replication/engine-api.js';

export const createNoopEngine: CreateLinkEngine = (deps) => ({
  async apply(snapshot) {
    deps.log.info('noop engine apply', {
      link_updated_at: snapshot.link.updatedAt,
      link_configs: Object.keys(snapshot.link.configs).length,
      mirrors: snapshot.mirrors.length,
    });
    for (const mirror of snapshot.mirrors) {
      deps.report({
        mirrorTopic: mirror.mirrorTopic,
        sourceTopic: mirror.sourceTopic,
        status: mirror.desiredState,
        statusTimeMs: mirror.stateChangedAtMs,
        partitions: [],
      });
    }
  },
  async stop() {
    deps.log.info('noop engine stopped');
  },
});
