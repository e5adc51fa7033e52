/**
 * Keeps a mirror partition's log start offset following its source's (retention, DeleteRecords on the
 * source), so a consumer finds the same first offset on both sides.
 * Invariants: the destination's log start is only ever moved up, never beyond the offsets the
 * destination already holds (DeleteRecords is refused above the high watermark), at most one request
 * is in flight, and a failure is retried no sooner than 5 s later.
 */
import type { RawCluster } from '../kafka/raw/index.js';
import type { EngineLogger } from './engine-api.js';
import { deleteRecordsBefore } from './raw-admin.js';

export class LogStartFollower {
  destStart = 0n;
  sourceStart = -1n;
  private busy = false;
  private notBefore = 0;

  constructor(
    private readonly dest: () => Promise<RawCluster>,
    private readonly topic: string,
    private readonly partition: number,
    private readonly log: EngineLogger,
  ) {}

  reset(destStart: bigint, sourceStart: bigint): void {
    this.destStart = destStart;
    this.sourceStart = sourceStart;
  }

  /** Advances the destination's log start to the source's once the destination holds that offset. */
  follow(destEnd: bigint): void {
    const target = this.sourceStart;
    if (this.busy || target <= this.destStart || target > destEnd || Date.now() < this.notBefore) return;
    this.busy = true;
    this.notBefore = Date.now() + 5000;
    void this.dest()
      .then((dest) => deleteRecordsBefore(dest, this.topic, this.partition, target))
      .then((low) => (this.destStart = low))
      .catch((error: unknown) => this.log.warn(`mirror partition ${this.topic}-${this.partition}: cannot advance the log start to ${target}: ${String(error)}`))
      .finally(() => (this.busy = false));
  }
}
