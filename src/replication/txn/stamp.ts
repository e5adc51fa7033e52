/**
 * A source batch made producible inside a destination transaction: the producer id, epoch and
 * sequence of the destination transactional id, the transactional bit set, control bit clear.
 * Invariant: like stampBatch (the same restampBatch), only the header fields and the CRC change.
 */
import { Attr, type RawBatch } from '../../kafka/raw/index.js';
import { restampBatch, type Stamp } from '../batch-codec.js';

/** Rewrites `batch` in place (a view the caller owns) as a transactional batch of `stamp`. */
export function stampTransactional(batch: RawBatch, stamp: Stamp): RawBatch {
  return restampBatch(batch, stamp, (batch.attributes & ~(Attr.TIMESTAMP_TYPE | Attr.CONTROL)) | Attr.TRANSACTIONAL);
}
