/**
 * How a partition copier mirrors transactions at each (re)start: with its TxnWriter (recovered first)
 * when mirror.transactions=exact and the destination lets clink use transactional ids, else fillers.
 * Invariant: a fallback to fillers is never silent: its reason is logged once and returned, so the
 * copier can show it; it only happens when recover() proved the ids unusable before anything was written.
 */
import type { RawCluster } from '../../kafka/raw/index.js';
import type { EngineLogger } from '../engine-api.js';
import type { TransactionsMode } from '../gap-filler.js';
import type { CopierSettings } from '../link-settings.js';
import { TxnUnauthorizedError, TxnWriter } from './txn-writer.js';

export interface TxnSetup {
  mode: TransactionsMode;
  writer: TxnWriter | undefined;
  /** Why exact transactions are not used although asked for. */
  fallback: string | undefined;
}

export async function setUpTransactions(
  settings: CopierSettings,
  previous: TxnSetup | undefined,
  dest: () => Promise<RawCluster>,
  log: EngineLogger,
  topic: string,
  partition: number,
): Promise<TxnSetup> {
  if (settings.transactions !== 'exact') return { mode: 'fillers', writer: undefined, fallback: undefined };
  if (previous?.fallback !== undefined) return previous;
  const writer = previous?.writer ?? new TxnWriter({
    dest, log, topic, partition,
    idPrefix: settings.transactionalIdPrefix,
    timeoutMs: settings.transactionTimeoutMs,
    produceTimeoutMs: 30_000,
  });
  try {
    await writer.recover();
    return { mode: 'exact', writer, fallback: undefined };
  } catch (error) {
    if (!(error instanceof TxnUnauthorizedError)) throw error;
    const fallback =
      `mirror.transactions=exact is not possible on ${topic}-${partition}: ${error.message}; transaction markers and aborted data are ` +
      `mirrored as filler records instead. Grant clink's destination principal WRITE and DESCRIBE on the transactional ids ` +
      `${settings.transactionalIdPrefix}. (PREFIXED) and restart the link, or set mirror.transactions=fillers`;
    log.warn(`mirror partition ${topic}-${partition}: ${fallback}`);
    return { mode: 'fillers', writer: undefined, fallback };
  }
}
