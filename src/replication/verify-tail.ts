/**
 * Before a copier resumes from the destination's log end, it checks that the destination's last batch
 * really is the source's data at the same offsets, so a mirror misaligned earlier (a foreign producer,
 * a copy by another tool) is never silently extended after a restart or resume.
 * Invariants: a batch copied whole must have the source batch's offsets and record bytes (or, when the
 * destination recompressed it, the same offsets and record count); a rebuilt batch's last record must
 * have the source record's key, value and headers; filler batches and data the source no longer holds
 * cannot be checked and pass; a transaction marker must be the source's marker type at the same offset; anything else is a mismatch naming both offsets.
 */
import { decodeControlMarker, fetchRaw, lastOffsetOf, recordsSectionOf, type RawBatch, type RawCluster } from '../kafka/raw/index.js';
import { FILLER_KEY, RebuildUnsupportedError, recordSlices } from './batch-codec.js';
import { onSide } from './start-offset.js';

export interface TailCheck {
  ok: boolean;
  reason: string;
}

async function batchAt(cluster: RawCluster, topic: string, partition: number, offset: bigint): Promise<RawBatch | undefined> {
  const result = await fetchRaw(cluster, { topic, partition, offset, maxBytes: 1, maxWaitMs: 0, isolation: 'read_uncommitted' });
  if (result.errorCode !== 0) return undefined;
  return result.batches.find((b) => b.baseOffset <= offset && lastOffsetOf(b) >= offset);
}

const decoded = async (batch: RawBatch) => {
  try {
    return await recordSlices(batch);
  } catch (error) {
    if (error instanceof RebuildUnsupportedError) return undefined;
    throw error;
  }
};

const FILLER_MARK = Buffer.from(FILLER_KEY);

async function isFillerBatch(batch: RawBatch): Promise<boolean> {
  const records = await decoded(batch);
  const last = records?.[records.length - 1];
  return last !== undefined && last.tail.subarray(1, 1 + FILLER_MARK.length).equals(FILLER_MARK);
}

export async function verifyTail(source: RawCluster, dest: RawCluster, sourceTopic: string, destTopic: string, partition: number, destEnd: bigint): Promise<TailCheck> {
  const d = await onSide('destination', () => batchAt(dest, destTopic, partition, destEnd - 1n));
  if (d === undefined) return { ok: true, reason: 'no destination batch to check' };
  const s = await onSide('source', () => batchAt(source, sourceTopic, partition, d.baseOffset));
  if (d.isControl) {
    // A reversed mirror (bidirectional links) ends where the old source's own history ends, which may be
    // a transaction marker that the other topic holds as a gap filler.
    if (s !== undefined && !s.isControl && (await isFillerBatch(s))) return { ok: true, reason: 'transaction marker mirrored as a gap filler' };
    // mirror.transactions=exact: clink's destination transactions put the source's markers at the source's offsets.
    const type = decodeControlMarker(d).type;
    if (s !== undefined && s.isControl && s.baseOffset === d.baseOffset && decodeControlMarker(s).type === type) return { ok: true, reason: 'same transaction marker' };
    const there = s === undefined ? 'nothing' : s.isControl ? `a ${decodeControlMarker(s).type} marker at offset ${s.baseOffset}` : 'data';
    return {
      ok: false,
      reason: `the destination holds a ${type} marker at offset ${d.baseOffset} where the source holds ${there}: either a destination transaction of clink ` +
        `was aborted by the destination's transaction coordinator (the worker was down longer than transaction.max.timeout.ms of the destination), or another producer wrote to the mirror topic`,
    };
  }
  if (s === undefined) return { ok: true, reason: 'the source no longer holds these offsets' };
  const sameShape = d.baseOffset === s.baseOffset && d.lastOffsetDelta === s.lastOffsetDelta;
  if (sameShape && d.codec === s.codec && recordsSectionOf(d).equals(recordsSectionOf(s))) return { ok: true, reason: 'same batch' };
  const mismatch = (what: string): TailCheck => ({
    ok: false,
    reason: `destination batch at offsets ${d.baseOffset}..${lastOffsetOf(d)} does not match the source at those offsets (${what})`,
  });
  const dRecords = await decoded(d);
  if (dRecords === undefined) return sameShape ? { ok: true, reason: 'same offsets (not decodable)' } : mismatch('batch boundaries');
  const last = dRecords[dRecords.length - 1];
  if (last === undefined) return { ok: true, reason: 'empty destination batch' };
  if (last.tail.subarray(1, 1 + FILLER_MARK.length).equals(FILLER_MARK)) return { ok: true, reason: 'filler batch' };
  const holder = lastOffsetOf(s) >= last.offset ? s : await onSide('source', () => batchAt(source, sourceTopic, partition, last.offset));
  if (holder === undefined) return { ok: true, reason: 'the source no longer holds the last record' };
  if (holder.isControl) return mismatch(`the source holds a transaction marker at offset ${last.offset}`);
  const sRecords = await decoded(holder);
  if (sRecords === undefined) return sameShape ? { ok: true, reason: 'same offsets (not decodable)' } : mismatch('batch boundaries');
  const sRecord = sRecords.find((r) => r.offset === last.offset);
  if (sRecord === undefined) return { ok: true, reason: 'the source compacted the last record away' };
  return sRecord.tail.equals(last.tail) ? { ok: true, reason: 'same last record' } : mismatch(`record at offset ${last.offset} differs`);
}
