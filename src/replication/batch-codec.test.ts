/**
 * Batch rewriting without a broker: the patched CRC equals a full computation (the broker checks it on
 * every append, see the integration tests), fillers decode as dense records, sequences wrap.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeBatchCrc, verifyBatchCrc } from '../kafka/raw/index.js';
import { fillerBatch, nextSequence, recordSlices, stampBatch } from './batch-codec.js';

describe('stampBatch', () => {
  it('patches the CRC to what a full computation gives, for any batch size', () => {
    for (const count of [1, 3, 255, 256, 5000]) {
      const batch = fillerBatch(count, 1_700_000_000_000n);
      expect(verifyBatchCrc(batch)).toBe(true);
      const stamped = stampBatch(batch, { producerId: BigInt(`0x${randomBytes(6).toString('hex')}`), producerEpoch: 7, baseSequence: 123_456 });
      expect(stamped.crc).toBe(computeBatchCrc(stamped.bytes));
      expect([stamped.producerId > 0n, stamped.producerEpoch, stamped.baseSequence, stamped.isTransactional]).toEqual([true, 7, 123_456, false]);
    }
  });

  it('keeps a wrong source CRC wrong, so corruption is still caught by the broker', () => {
    const batch = fillerBatch(10, 0n);
    const last = batch.bytes.length - 1;
    batch.bytes.writeUInt8(batch.bytes.readUInt8(last) ^ 0xff, last);
    const stamped = stampBatch(batch, { producerId: 5n, producerEpoch: 0, baseSequence: 0 });
    expect(stamped.crc).not.toBe(computeBatchCrc(stamped.bytes));
  });
});

describe('fillers and sequences', () => {
  it('writes fillers as dense records keyed __clink.gap', async () => {
    for (const count of [1, 64, 300, 70_000]) {
      const slices = await recordSlices(fillerBatch(count, 42n));
      expect(slices.map((s) => Number(s.offset))).toEqual(Array.from({ length: count }, (_, i) => i));
    }
    const slices = await recordSlices(fillerBatch(300, 42n));
    expect(slices[0]?.tail.subarray(1, 12).toString()).toBe('__clink.gap');
  });

  it('wraps sequences like Kafka', () => {
    expect(nextSequence(10, 5)).toBe(15);
    expect(nextSequence(2147483646, 3)).toBe(1);
  });
});
