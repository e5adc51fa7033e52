/**
 * One LinkEngine made of several (the mirror engine, the offset sync, the ACL sync), so the worker
 * keeps driving a single engine. Invariants: apply() hands the same snapshot to every part and
 * settles only when all have (the first failure is rethrown after every part has been given the
 * snapshot); stop() stops every part concurrently, and one part failing to stop never keeps the
 * others running.
 */
import type { LinkEngine, LinkSnapshot } from './engine-api.js';

export function composeLinkEngines(...engines: LinkEngine[]): LinkEngine {
  const all = async (work: (engine: LinkEngine) => Promise<void>): Promise<void> => {
    const results = await Promise.allSettled(engines.map((engine) => work(engine)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return {
    apply: (snapshot: LinkSnapshot) => all((engine) => engine.apply(snapshot)),
    stop: () => all((engine) => engine.stop()),
  };
}
