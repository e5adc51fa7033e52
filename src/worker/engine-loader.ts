/**
 * Chooses the replication engine of a worker: the real one from src/replication/engine.ts (loaded
 * lazily, so this module builds before the engine exists), or the no-op test seam when
 * CLINK_WORKER_ENGINE=noop. Invariant: a missing or malformed engine is a ClinkError naming the
 * cause, never a crash with a module-loader stack.
 */
import { ClinkError, ErrorCode, UsageError } from '../core/errors.js';
import type { CreateLinkEngine } from '../replication/engine-api.js';

/** Kept in a variable so the compiler does not require the module to exist. */
const ENGINE_MODULE: string = '../replication/engine.js';

export async function loadEngine(env: NodeJS.ProcessEnv): Promise<CreateLinkEngine> {
  const choice = env.CLINK_WORKER_ENGINE ?? '';
  if (choice === 'noop') return (await import('./noop-engine.js')).createNoopEngine;
  if (choice !== '' && choice !== 'kafka') {
    throw new UsageError(`unknown replication engine "${choice}" in CLINK_WORKER_ENGINE`, {
      suggestion: 'Unset CLINK_WORKER_ENGINE, or set it to "kafka" (default) or "noop" (tests only).',
    });
  }
  let module: { createLinkEngine?: unknown };
  try {
    module = (await import(ENGINE_MODULE)) as { createLinkEngine?: unknown };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /module '[^']*replication[\\/]engine\.js'/.test(String((error as Error).message));
    throw new ClinkError(ErrorCode.FAILURE, missing ? 'the replication engine is not part of this build of clink' : `cannot load the replication engine: ${(error as Error).message}`, {
      suggestion: 'Rebuild clink with `npm run build`.',
      cause: error,
    });
  }
  if (typeof module.createLinkEngine !== 'function') {
    throw new ClinkError(ErrorCode.INTERNAL, 'the replication engine module does not export createLinkEngine');
  }
  const createMirrorEngine = module.createLinkEngine as CreateLinkEngine;
  const [{ composeLinkEngines }, { createOffsetSyncTask }, { createAclSyncTask }, { createAutoCreateTask }, { onlyDirection, splitByDirection }] = await Promise.all([
    import('../replication/link-runtime.js'),
    import('../replication/offset-sync.js'),
    import('../replication/acl-sync.js'),
    import('../replication/auto-create.js'),
    import('../replication/direction.js'),
  ]);
  // The link's runtime: the mirror copy (with the mirrors it creates automatically) plus its periodic
  // syncs, applied and stopped together; on a bidirectional link, the reversed mirrors copy and sync
  // offsets the other way (ACL sync and auto-create only run forward).
  return (deps) => {
    const syncDeps = { ...deps, stateDir: deps.stateDir ?? '', reportSync: deps.reportSync ?? (() => {}) };
    const forward = composeLinkEngines(
      createAutoCreateTask(onlyDirection(createMirrorEngine(deps), false), deps),
      onlyDirection(createOffsetSyncTask(syncDeps), false),
      onlyDirection(createAclSyncTask(syncDeps), false),
    );
    const { reportAutoMirrors: _auto, reportSync: _sync, ...reversedDeps } = deps;
    void _auto;
    void _sync;
    return splitByDirection(forward, () =>
      composeLinkEngines(createMirrorEngine(reversedDeps), createOffsetSyncTask({ ...reversedDeps, stateDir: deps.stateDir ?? '', reportSync: () => {} })),
    );
  };
}
