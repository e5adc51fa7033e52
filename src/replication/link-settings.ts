/**
 * The link configs the engine acts on, read from a validated link (defaults applied). Every value is
 * read again on each use through the engine's current settings, so a changed link config takes
 * effect on the running engine without a restart.
 * Invariant: the produce window is at least 1; CLINK_ENGINE_PRODUCE_WINDOW only tunes it.
 */
import type { LinkConfigs, OffsetSpec } from '../core/link-config.js';
import type { FetchSettings } from './fetcher.js';

export interface CopierSettings {
  fetchMaxBytes: number;
  /** Appends in flight per partition while catching up (1 when caught up). */
  produceWindow: number;
  /** mirror.transactions: exact (destination transactions) or fillers. */
  transactions: 'exact' | 'fillers';
  /** Prefix of the destination transactional ids, `clink.<link>`. */
  transactionalIdPrefix: string;
  /** transaction.timeout.ms of the destination transactions (CLINK_ENGINE_TXN_TIMEOUT_MS tunes it). */
  transactionTimeoutMs: number;
}

export interface LinkSettings {
  paused: boolean;
  startSpec: OffsetSpec;
  syncMs: number;
  include: string[];
  fetch: FetchSettings;
  copier: CopierSettings;
  socketTimeoutMs: number;
}

/** Appends in flight per partition while it catches up (see bench/engine-catch-up.ts). */
export const DEFAULT_PRODUCE_WINDOW = 4;

/** The destination broker's default transaction.max.timeout.ms (15 min). */
export const DEFAULT_TXN_TIMEOUT_MS = 900_000;

export function linkSettings(configs: LinkConfigs, env: NodeJS.ProcessEnv, linkName = 'link'): LinkSettings {
  const window = Number(env.CLINK_ENGINE_PRODUCE_WINDOW ?? DEFAULT_PRODUCE_WINDOW);
  const txnTimeout = Number(env.CLINK_ENGINE_TXN_TIMEOUT_MS ?? DEFAULT_TXN_TIMEOUT_MS);
  return {
    paused: configs['cluster.link.paused'],
    startSpec: configs['mirror.start.offset.spec'],
    syncMs: configs['topic.config.sync.ms'],
    include: configs['topic.config.sync.include'],
    fetch: {
      maxWaitMs: configs['replica.fetch.wait.max.ms'],
      minBytes: configs['replica.fetch.min.bytes'],
      maxBytes: configs['replica.fetch.response.max.bytes'],
    },
    copier: {
      fetchMaxBytes: configs['replica.fetch.max.bytes'],
      produceWindow: Number.isInteger(window) && window >= 1 ? window : DEFAULT_PRODUCE_WINDOW,
      transactions: configs['mirror.transactions'],
      transactionalIdPrefix: `clink.${linkName}`,
      transactionTimeoutMs: Number.isInteger(txnTimeout) && txnTimeout >= 1000 ? txnTimeout : DEFAULT_TXN_TIMEOUT_MS,
    },
    socketTimeoutMs: configs['replica.socket.timeout.ms'],
  };
}
