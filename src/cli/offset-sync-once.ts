/**
 * One consumer offset sync pass of a link, run from the CLI (the final sync of `mirror promote`),
 * with the same code the worker runs periodically. Resolves when a pass succeeded; rejects with the
 * pass's error or after the timeout. A link without offset sync enabled has nothing to do.
 */
import { ClinkError, ErrorCode } from '../core/errors.js';
import type { MirrorRecord } from '../core/model/mirror.js';
import type { SyncStatus } from '../core/model/sync.js';
import { requireLink } from '../core/usecases/link-query.js';
import { requireCluster } from '../core/usecases/clusters.js';
import type { ConfigStorePort } from '../core/ports.js';
import type { EngineLogger, LinkSnapshot } from '../replication/engine-api.js';
import { mirrorsGoing, reversedView } from '../core/link-direction.js';

const quiet: EngineLogger = { info() {}, warn() {}, error() {}, debug() {} };

type SyncOnceDeps = { store: ConfigStorePort; env: NodeJS.ProcessEnv; stateDir: string; timeoutMs?: number };

export async function syncOffsetsOnce(link: string, mirrors: MirrorRecord[], deps: SyncOnceDeps): Promise<void> {
  const data = await deps.store.read();
  const record = requireLink(data, link);
  if (record.configs['consumer.offset.sync.enable'] !== 'true' || mirrors.length === 0) return;
  const destination = requireCluster(data, record.destination);
  // Reversed mirrors (bidirectional links) sync the other way: from the destination cluster.
  const forward = mirrorsGoing(mirrors, false);
  const reversed = mirrorsGoing(mirrors, true);
  if (forward.length > 0) await syncOnce({ link: record, destination, mirrors: forward }, deps);
  if (reversed.length > 0) await syncOnce({ ...reversedView(record, destination), mirrors: reversed }, deps);
}

async function syncOnce(snapshot: LinkSnapshot, deps: SyncOnceDeps): Promise<void> {
  const { createOffsetSyncTask } = await import('../replication/offset-sync.js');
  const startedAt = Date.now();
  let settle: (error?: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  const task = createOffsetSyncTask({
    env: deps.env,
    log: quiet,
    report() {},
    reportLinkError() {},
    stateDir: deps.stateDir,
    reportSync(_name, status: SyncStatus) {
      if (status.lastSuccessAtMs !== undefined && status.lastSuccessAtMs >= startedAt && !status.error) settle();
      else if (status.error) settle(new ClinkError(ErrorCode.FAILURE, `the final consumer offset sync failed: ${status.error}`));
    },
  });
  const timer = setTimeout(() => settle(new ClinkError(ErrorCode.TIMEOUT, 'the final consumer offset sync did not finish in time')), deps.timeoutMs ?? 30_000);
  try {
    await task.apply(snapshot);
    await done;
  } finally {
    clearTimeout(timer);
    await task.stop();
  }
}
