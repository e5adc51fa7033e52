/**
 * A source batch made producible inside a destination transaction: the producer id, epoch and
 * sequence of the destination transactional id, the transactional bit set, control bit clear.
 * Invariant: like stampBatch, only baseOffset, partitionLeaderEpoch, the attribute bits, the producer
 * fields and the CRC change (the CRC is patched, so a corrupted source batch stays corrupted).
 */
import { Attr, BatchLayout, decodeBatchHeader, type RawBatch } from '../../kafka/raw/index.js';
import type { Stamp } from '../batch-codec.js';
import { patchCrc } from '../crc-patch.js';

/** Rewrites `batch` in place (a view the caller owns) as a transactional batch of `stamp`. */
export function stampTransactional(batch: RawBatch, stamp: Stamp): RawBatch {
  const out = batch.bytes;
  const before = Buffer.from(out.subarray(BatchLayout.ATTRIBUTES, BatchLayout.RECORD_COUNT));
  out.writeBigInt64BE(0n, BatchLayout.BASE_OFFSET);
  out.writeInt32BE(-1, BatchLayout.PARTITION_LEADER_EPOCH);
  out.writeInt16BE((batch.attributes & ~(Attr.TIMESTAMP_TYPE | Attr.CONTROL)) | Attr.TRANSACTIONAL, BatchLayout.ATTRIBUTES);
  out.writeBigInt64BE(stamp.producerId, BatchLayout.PRODUCER_ID);
  out.writeInt16BE(stamp.producerEpoch, BatchLayout.PRODUCER_EPOCH);
  out.writeInt32BE(stamp.baseSequence, BatchLayout.BASE_SEQUENCE);
  const after = out.subarray(BatchLayout.ATTRIBUTES, BatchLayout.RECORD_COUNT);
  out.writeUInt32BE(patchCrc(batch.crc, before, after, out.length - BatchLayout.ATTRIBUTES), BatchLayout.CRC);
  return decodeBatchHeader(out);
}
