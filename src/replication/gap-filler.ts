/**
 * Turns what a read_committed Fetch returned for one partition into the appends that keep the mirror's
 * offsets equal to the source's: whole source batches forwarded as they are, and filler batches for
 * every source offset that holds nothing a client may write or a consumer should see (compaction
 * holes, transaction markers, aborted transactional data), and rebuilt batches for source batches that
 * cannot be forwarded whole (they start before the fetch offset, or compaction left holes inside them).
 * Invariant: the actions of a plan cover [from, end) exactly once, in order, without gaps, each
 * starting where the previous one ended; `end` is where the next fetch of the partition starts.
 */
import { decodeControlMarker, lastOffsetOf, type FetchPartitionResult, type RawBatch } from '../kafka/raw/index.js';
import { MAX_FILLER_RECORDS, fillerBatch, rebuiltBatch, recordSlices } from './batch-codec.js';

export type ActionKind = 'data' | 'filler' | 'rebuilt' | 'marker';

/** How source transactions are mirrored: as destination transactions, or as plain data and fillers. */
export type TransactionsMode = 'exact' | 'fillers';

/** Set on actions written inside a destination transaction (mirror.transactions=exact). */
export interface TxnTag {
  /** The source producer id whose transaction the batch (or marker) belongs to. */
  sourceProducerId: bigint;
  /** Set on a COMMIT/ABORT marker action (its batch is the source control batch, never sent). */
  marker?: 'COMMIT' | 'ABORT';
}

export interface Action {
  kind: ActionKind;
  /** First source (and destination) offset the batch occupies. */
  base: bigint;
  /** Offset right after it. */
  end: bigint;
  /** Unstamped batch bytes (stamped with the producer id and sequence when sent). */
  batch: RawBatch;
  txn?: TxnTag;
}

export interface Plan {
  actions: Action[];
  end: bigint;
  /** Offsets given to fillers, by cause, for the log. */
  filled: { holes: number; markers: number; aborted: number };
}

const timestampOf = (batch: RawBatch): bigint => (batch.hasDeleteHorizon || batch.baseTimestamp < 0n ? batch.maxTimestamp : batch.baseTimestamp);

/** Filler actions covering [from, to), at most MAX_FILLER_RECORDS records each. */
export function fillers(from: bigint, to: bigint, timestampMs: bigint): Action[] {
  const out: Action[] = [];
  for (let base = from; base < to; ) {
    const count = Number(to - base > BigInt(MAX_FILLER_RECORDS) ? BigInt(MAX_FILLER_RECORDS) : to - base);
    out.push({ kind: 'filler', base, end: base + BigInt(count), batch: fillerBatch(count, timestampMs) });
    base += BigInt(count);
  }
  return out;
}

class PlanBuilder {
  readonly actions: Action[] = [];
  readonly filled = { holes: 0, markers: 0, aborted: 0 };
  private gap: { from: bigint; to: bigint; ts: bigint } | undefined;

  constructor(public cursor: bigint) {}

  /** Source offsets [cursor, to) get fillers; adjacent ranges are merged into one batch. */
  fill(to: bigint, ts: bigint, cause: keyof PlanBuilder['filled']): void {
    if (to <= this.cursor) return;
    this.filled[cause] += Number(to - this.cursor);
    if (this.gap && this.gap.to === this.cursor) this.gap.to = to;
    else {
      this.flushGap();
      this.gap = { from: this.cursor, to, ts };
    }
    this.cursor = to;
  }

  push(kind: ActionKind, batch: RawBatch, base: bigint, end: bigint, txn?: TxnTag): void {
    this.flushGap();
    this.actions.push(txn === undefined ? { kind, base, end, batch } : { kind, base, end, batch, txn });
    this.cursor = end;
  }

  flushGap(): void {
    if (this.gap) this.actions.push(...fillers(this.gap.from, this.gap.to, this.gap.ts));
    this.gap = undefined;
  }
}

/** Records of `batch` at and after the cursor as dense rebuilt batches, fillers in the holes. */
async function rebuild(plan: PlanBuilder, batch: RawBatch, txn?: TxnTag): Promise<void> {
  const slices = (await recordSlices(batch)).filter((s) => s.offset >= plan.cursor);
  let run: typeof slices = [];
  const flushRun = async () => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first && last) plan.push('rebuilt', await rebuiltBatch(batch, run), first.offset, last.offset + 1n, txn);
    run = [];
  };
  for (const slice of slices) {
    const last = run[run.length - 1];
    if (last && slice.offset !== last.offset + 1n) await flushRun();
    if (run.length === 0) plan.fill(slice.offset, timestampOf(batch), 'holes');
    run.push(slice);
  }
  await flushRun();
  plan.fill(lastOffsetOf(batch) + 1n, timestampOf(batch), 'holes');
}

/** A transactional batch or marker as a tagged action; false when it is left to the filler path. */
async function planTransactional(plan: PlanBuilder, batch: RawBatch): Promise<boolean> {
  const last = lastOffsetOf(batch);
  if (batch.isControl) {
    const { type } = decodeControlMarker(batch);
    if ((type !== 'COMMIT' && type !== 'ABORT') || batch.baseOffset !== plan.cursor || last !== batch.baseOffset) return false;
    plan.push('marker', batch, batch.baseOffset, last + 1n, { sourceProducerId: batch.producerId, marker: type });
    return true;
  }
  const txn = { sourceProducerId: batch.producerId };
  if (batch.baseOffset === plan.cursor && batch.recordCount === batch.lastOffsetDelta + 1) plan.push('data', batch, batch.baseOffset, last + 1n, txn);
  else await rebuild(plan, batch, txn);
  return true;
}

/**
 * The appends for one fetch result, from `from` (the partition's fetch offset). Aborted transactional
 * batches are recognised the way Kafka's read_committed consumer does it: a producer id is aborted
 * from its aborted transaction's first offset until that producer's ABORT marker. With `exact`
 * transactions, transactional batches (aborted ones too) and COMMIT/ABORT markers become actions
 * tagged with their source producer id instead, for the destination transaction writer.
 */
export async function planAppends(result: FetchPartitionResult, from: bigint, transactions: TransactionsMode = 'fillers'): Promise<Plan> {
  const plan = new PlanBuilder(from);
  const aborted = [...result.abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedPids = new Set<bigint>();
  let next = 0;
  for (const batch of result.batches) {
    const last = lastOffsetOf(batch);
    for (let txn = aborted[next]; txn !== undefined && txn.firstOffset <= last; txn = aborted[++next]) abortedPids.add(txn.producerId);
    const isAbortMarker = batch.isControl && decodeControlMarker(batch).type === 'ABORT';
    const abortedData = !batch.isControl && batch.isTransactional && abortedPids.has(batch.producerId);
    if (isAbortMarker) abortedPids.delete(batch.producerId);
    if (last < plan.cursor) continue;
    plan.fill(batch.baseOffset, timestampOf(batch), 'holes');
    if (transactions === 'exact' && (batch.isControl || batch.isTransactional) && (await planTransactional(plan, batch))) continue;
    if (batch.isControl) plan.fill(last + 1n, batch.maxTimestamp, 'markers');
    else if (abortedData) plan.fill(last + 1n, timestampOf(batch), 'aborted');
    else if (batch.baseOffset === plan.cursor && batch.recordCount === batch.lastOffsetDelta + 1) plan.push('data', batch, batch.baseOffset, last + 1n);
    else await rebuild(plan, batch);
  }
  plan.flushGap();
  return { actions: plan.actions, end: plan.cursor, filled: plan.filled };
}
