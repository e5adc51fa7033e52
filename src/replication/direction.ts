/**
 * Splits a link's runtime by direction (see src/core/link-direction.ts). The forward part sees the
 * mirrors that live on the destination; the reversed part (bidirectional links) sees the reversed
 * mirrors with the link's two ends swapped, so the same engine code copies the other way.
 * Invariants: each part is only ever given the mirrors of its own direction; the reversed part is
 * created on the first snapshot that has a reversed mirror (links that never reverse open no extra
 * connection) and from then on is given every snapshot, so a mirror that leaves it is stopped there;
 * stop() stops both.
 */
import { mirrorsGoing, reversedView } from '../core/link-direction.js';
import type { LinkEngine, LinkSnapshot } from './engine-api.js';
import { composeLinkEngines } from './link-runtime.js';

/** An engine that only ever sees the mirrors of one direction of the snapshots it is given. */
export function onlyDirection(engine: LinkEngine, reversed: boolean): LinkEngine {
  return {
    apply: (snapshot) => engine.apply({ ...snapshot, mirrors: mirrorsGoing(snapshot.mirrors, reversed) }),
    stop: () => engine.stop(),
  };
}

/** The snapshot as the reversed mirrors see it: ends swapped, reversed mirrors only. */
export function reversedSnapshot(snapshot: LinkSnapshot): LinkSnapshot {
  return { ...reversedView(snapshot.link, snapshot.destination), mirrors: mirrorsGoing(snapshot.mirrors, true) };
}

export function splitByDirection(forward: LinkEngine, createReversed: () => LinkEngine): LinkEngine {
  let reversed: LinkEngine | undefined;
  const reversedPart: LinkEngine = {
    apply: async (snapshot) => {
      if (!reversed && snapshot.mirrors.some((m) => m.reversed)) reversed = createReversed();
      await reversed?.apply(reversedSnapshot(snapshot));
    },
    stop: async () => reversed?.stop(),
  };
  return composeLinkEngines(forward, reversedPart);
}
