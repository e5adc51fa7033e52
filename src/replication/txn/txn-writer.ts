/**
 * Writes one mirror partition's source transactions as destination transactions, so COMMIT/ABORT
 * markers land at the source's offsets and aborted data is in the destination's aborted index.
 * One destination transactional id per concurrently open source transaction on the partition
 * (`<prefix>.<topic>.<partition>.<slot>`, lowest free slot first), TV1 request versions.
 * Invariants: a transactional batch is appended only inside a transaction whose partition was added;
 * a marker action returns only once the destination log end is exactly M+1 and the batch at M is this
 * slot's marker (nothing else may be appended before); InitProducerId is never sent for a slot whose
 * transaction is Ongoing or completing (recover() continues those with the same producer id, epoch
 * and next sequence); a fenced or timed-out destination transaction fails the partition for good,
 * naming the offsets it covered; data batches of an open transaction may be pipelined, their
 * sequences taken in call order (a failed one makes those behind it fail, never land shifted).
 */
import {
  addPartitionToTxn, describeProducers, describeTransactions, endTxn, fetchRaw, findTransactionCoordinator,
  initTransactionalProducerId, kafkaErrorName, lastOffsetOf, produceRaw, type RawBroker, type RawCluster, type TxnProducer,
} from '../../kafka/raw/index.js';
import { nextSequence } from '../batch-codec.js';
import { CopierFault, mismatchFault, produceFault } from '../copier-faults.js';
import type { EngineLogger } from '../engine-api.js';
import type { Action } from '../gap-filler.js';
import { listOffset } from '../raw-admin.js';
import { crashPoint } from './crash-points.js';
import { stampTransactional } from './stamp.js';

/** Coordinator is loading, unavailable or moved; CONCURRENT_TRANSACTIONS (the previous one is still completing). */
const RETRY_COORDINATOR = new Set([14, 15, 16, 51]);
const NOT_COORDINATOR = new Set([15, 16]);
/** The coordinator no longer knows this producer id/epoch as the one with the open transaction. */
const FENCED = new Set([47, 48, 49, 90]);
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;
const DESCRIBE_CHUNK = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The destination refuses transactional ids to clink's principal (WRITE/DESCRIBE on `clink.*`). */
export class TxnUnauthorizedError extends Error {}

interface Slot {
  id: string;
  producer: TxnProducer | undefined;
  sequence: number;
  /** The slot's destination transaction is open (partition added). */
  open: boolean;
  /** Source producer id whose transaction this slot mirrors, null when unbound. */
  source: bigint | null;
  /** First destination offset of the open transaction's data, if it has any. */
  firstOffset: bigint | undefined;
  startedAtMs: number;
  coordinator: RawBroker | undefined;
}

export interface TxnWriterOptions {
  dest(): Promise<RawCluster>;
  log: EngineLogger;
  /** `clink.<link>`. */
  idPrefix: string;
  topic: string;
  partition: number;
  /** transaction.timeout.ms asked for (capped by the destination's transaction.max.timeout.ms). */
  timeoutMs: number;
  produceTimeoutMs: number;
}

/** The slot's destination transaction is open (AddPartitionsToTxn done): data may go without waiting for the batch before. */
const pipelinable = (slot: Slot): boolean => slot.open && slot.producer !== undefined;

export class TxnWriter {
  private slots: Slot[] = [];
  private readonly where: string;

  constructor(private readonly o: TxnWriterOptions) {
    this.where = `${o.topic}-${o.partition}`;
  }

  private slotId(index: number): string {
    return `${this.o.idPrefix}.${this.o.topic}.${this.o.partition}.${index}`;
  }

  private newSlot(index: number): Slot {
    return { id: this.slotId(index), producer: undefined, sequence: 0, open: false, source: null, firstOffset: undefined, startedAtMs: 0, coordinator: undefined };
  }

  private async coordinator(slot: Slot, refresh = false): Promise<RawBroker> {
    if (slot.coordinator && !refresh) return slot.coordinator;
    const dest = await this.o.dest();
    const any = await dest.leaderFor(this.o.topic, this.o.partition);
    for (let attempt = 1; ; attempt++) {
      const found = await findTransactionCoordinator(any, slot.id);
      if (found.errorCode === 0) return (slot.coordinator = await dest.broker(found.nodeId));
      if (found.errorCode === TRANSACTIONAL_ID_AUTHORIZATION_FAILED) throw new TxnUnauthorizedError(`the destination refuses transactional id ${slot.id}: ${found.errorName}`);
      if (!RETRY_COORDINATOR.has(found.errorCode) || attempt >= 30) throw new CopierFault(`find the transaction coordinator of ${slot.id}: ${found.errorName}`, 'ACTIVE', false, 'destination');
      await sleep(Math.min(1000, 20 * attempt));
    }
  }

  /** Calls a coordinator request, retrying while the coordinator is loading, moving or completing. */
  private async onCoordinator(slot: Slot, send: (c: RawBroker) => Promise<{ errorCode: number }>): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const { errorCode } = await send(await this.coordinator(slot));
      if (errorCode === 0 || !RETRY_COORDINATOR.has(errorCode) || attempt >= 200) return errorCode;
      if (NOT_COORDINATOR.has(errorCode)) slot.coordinator = undefined;
      await sleep(Math.min(200, 5 * attempt));
    }
  }

  private async ensureProducer(slot: Slot): Promise<TxnProducer> {
    if (slot.producer) return slot.producer;
    // Safe: recover() saw this slot's transaction complete (or the id unknown), so nothing is fenced.
    let answer = { errorCode: -1, producerId: -1n, producerEpoch: -1 };
    const code = await this.onCoordinator(slot, async (c) => (answer = await initTransactionalProducerId(c, slot.id, this.o.timeoutMs)));
    if (code === TRANSACTIONAL_ID_AUTHORIZATION_FAILED) throw new TxnUnauthorizedError(`the destination refuses transactional id ${slot.id} (InitProducerId: TRANSACTIONAL_ID_AUTHORIZATION_FAILED)`);
    if (code !== 0) throw new CopierFault(`InitProducerId for ${slot.id}: ${kafkaErrorName(code)}${code === 50 ? ` (transaction timeout ${this.o.timeoutMs} ms is above the destination's transaction.max.timeout.ms)` : ''}`, 'FAILED', false, 'destination');
    slot.producer = { transactionalId: slot.id, producerId: answer.producerId, producerEpoch: answer.producerEpoch };
    slot.sequence = 0;
    return slot.producer;
  }

  /**
   * At every (re)start, before the destination log end is read: finds this partition's slots, waits
   * for any transaction that is completing (its marker not yet written), and takes over open ones.
   * Also proves the destination lets clink use transactional ids (TxnUnauthorizedError if not).
   */
  async recover(): Promise<void> {
    const slots: Slot[] = [];
    const dest = await this.o.dest();
    for (let chunk = 0; ; chunk++) {
      const batch = Array.from({ length: DESCRIBE_CHUNK }, (_, i) => this.newSlot(chunk * DESCRIBE_CHUNK + i));
      let found = 0;
      for (const slot of batch) {
        const state = await this.settled(slot);
        if (state === undefined) continue;
        found++;
        slots.push(slot);
      }
      if (found === 0) break;
    }
    this.slots = slots;
    const open = slots.filter((s) => s.open);
    if (open.length > 0) {
      const producers = await describeProducers(await dest.leaderFor(this.o.topic, this.o.partition), this.o.topic, this.o.partition);
      if (producers.errorCode !== 0) throw new CopierFault(`describe producers of ${this.where}: ${producers.errorName}`, 'ACTIVE', false, 'destination');
      for (const slot of open) {
        const p = producers.producers.find((x) => x.producerId === slot.producer?.producerId);
        slot.sequence = p === undefined || p.lastSequence < 0 ? 0 : nextSequence(p.lastSequence, 1);
        slot.firstOffset = p !== undefined && p.currentTxnStartOffset >= 0n ? p.currentTxnStartOffset : undefined;
        this.o.log.info(`mirror partition ${this.where}: continuing open destination transaction ${slot.id} (producer id ${slot.producer?.producerId}, epoch ${slot.producer?.producerEpoch}, next sequence ${slot.sequence}${slot.firstOffset === undefined ? ', no data yet' : `, from offset ${slot.firstOffset}`})`);
      }
    }
    // Prove WRITE on the transactional ids now, so a refusal falls back before anything is written.
    const first = this.slots[0] ?? this.newSlot(0);
    if (this.slots.length === 0) this.slots.push(first);
    if (!first.open) await this.ensureProducer(first);
  }

  /** Describes a slot, waiting while its transaction completes; undefined when the id does not exist. */
  private async settled(slot: Slot): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      const coordinator = await this.coordinator(slot, attempt > 1);
      const [d] = await describeTransactions(coordinator, [slot.id]);
      if (d === undefined) throw new CopierFault(`describe transactions of ${slot.id}: no answer`, 'ACTIVE', false, 'destination');
      if (d.errorCode === 105) return undefined;
      if (d.errorCode === TRANSACTIONAL_ID_AUTHORIZATION_FAILED) throw new TxnUnauthorizedError(`the destination refuses DescribeTransactions on ${slot.id}: TRANSACTIONAL_ID_AUTHORIZATION_FAILED`);
      const completing = d.state.startsWith('Prepare');
      if (d.errorCode === 0 && !completing) {
        if (d.state === 'Ongoing') {
          slot.producer = { transactionalId: slot.id, producerId: d.producerId, producerEpoch: d.producerEpoch };
          slot.open = true;
          slot.startedAtMs = Number(d.startTimeMs);
        }
        return d.state;
      }
      if (d.errorCode !== 0 && !RETRY_COORDINATOR.has(d.errorCode)) throw new CopierFault(`describe transactions of ${slot.id}: ${d.errorName}`, 'ACTIVE', false, 'destination');
      if (attempt >= 600) throw new CopierFault(`destination transaction ${slot.id} stayed ${d.state} (its markers are not written)`, 'ACTIVE', false, 'destination');
      await sleep(Math.min(100, 5 * attempt));
    }
  }

  /**
   * After the log end is read: ties each open slot that holds data to the source producer whose
   * transaction it mirrors (the source batch at the slot's first offset).
   */
  async bind(source: RawCluster, sourceTopic: string): Promise<void> {
    for (const slot of this.slots) {
      if (!slot.open || slot.firstOffset === undefined) continue;
      const r = await fetchRaw(source, { topic: sourceTopic, partition: this.o.partition, offset: slot.firstOffset, maxBytes: 1, maxWaitMs: 0, isolation: 'read_uncommitted' });
      const batch = r.batches.find((b) => b.baseOffset <= (slot.firstOffset as bigint) && lastOffsetOf(b) >= (slot.firstOffset as bigint));
      if (batch === undefined || !batch.isTransactional || batch.isControl) {
        throw new CopierFault(`${this.where}: open destination transaction ${slot.id} starts at offset ${slot.firstOffset}, where the source holds no transactional data (${r.errorName})`, 'FAILED', true, 'mirror');
      }
      slot.source = batch.producerId;
    }
  }

  /** Open transactions, for the log and the status. */
  get openCount(): number {
    return this.slots.filter((s) => s.open).length;
  }

  private slotFor(sourceProducerId: bigint): Slot {
    const bound = this.slots.find((s) => s.source === sourceProducerId);
    if (bound) return bound;
    // An open slot with no data (a crash after AddPartitionsToTxn) first, then the lowest idle one.
    const free = this.slots.find((s) => s.open && s.source === null) ?? this.slots.find((s) => !s.open && s.source === null);
    if (free) return free;
    const slot = this.newSlot(this.slots.length);
    this.slots.push(slot);
    return slot;
  }

  private fenced(slot: Slot, what: string, code: number): CopierFault {
    const from = slot.firstOffset === undefined ? 'no data yet' : `offsets from ${slot.firstOffset}`;
    const age = slot.startedAtMs > 0 ? `, open for ${Math.round((Date.now() - slot.startedAtMs) / 1000)} s` : '';
    return new CopierFault(
      `${this.where}: destination transaction ${slot.id} (${from}${age}) can no longer be continued (${what}: ${kafkaErrorName(code)}): ` +
        `the destination's transaction coordinator aborted it, most likely because it stayed open longer than transaction.timeout.ms ` +
        `(${this.o.timeoutMs} ms, capped by the destination's transaction.max.timeout.ms); its ABORT marker no longer sits at the source's offset. ` +
        'Raise transaction.max.timeout.ms on the destination and rebuild this mirror partition (clink mirror truncate-and-restore or recreate the mirror)',
      'FAILED', true, 'mirror',
    );
  }

  private async begin(slot: Slot): Promise<TxnProducer> {
    const producer = await this.ensureProducer(slot);
    if (slot.open) return producer;
    const code = await this.onCoordinator(slot, (c) => addPartitionToTxn(c, producer, this.o.topic, this.o.partition));
    if (FENCED.has(code)) throw this.fenced(slot, 'AddPartitionsToTxn', code);
    if (code === TRANSACTIONAL_ID_AUTHORIZATION_FAILED) throw new TxnUnauthorizedError(`the destination refuses AddPartitionsToTxn for ${slot.id}`);
    if (code !== 0) throw new CopierFault(`AddPartitionsToTxn ${slot.id} ${this.where}: ${kafkaErrorName(code)}`, 'ACTIVE', false, 'destination');
    slot.open = true;
    slot.startedAtMs = Date.now();
    crashPoint('after-add');
    return producer;
  }

  /** Writes one tagged action (data inside the source producer's transaction, or its marker). */
  async write(action: Action): Promise<void> {
    const tag = action.txn;
    if (tag === undefined) throw new CopierFault('internal: untagged action given to the transaction writer', 'FAILED', true, 'mirror');
    const slot = this.slotFor(tag.sourceProducerId);
    // Pipelined data (its transaction is open): the sequence is taken now, in call order, before any await.
    const reserved = tag.marker === undefined && pipelinable(slot) ? this.reserve(slot, action) : undefined;
    const producer = await this.begin(slot);
    slot.source = tag.sourceProducerId;
    if (tag.marker === undefined) await this.append(slot, producer, action, reserved ?? this.reserve(slot, action));
    else await this.end(slot, producer, action.base, tag.marker === 'COMMIT');
  }

  /** The base sequence of `action`'s batch; the slot's next sequence moves past it. */
  private reserve(slot: Slot, action: Action): number {
    const baseSequence = slot.sequence;
    slot.sequence = nextSequence(slot.sequence, Number(action.end - action.base));
    return baseSequence;
  }

  /**
   * Whether a data batch of this source producer may be sent while earlier ones of the same producer
   * are still in flight: its slot's transaction is open (AddPartitionsToTxn done), so the append needs
   * no coordinator request and its sequence follows the previous batch's (a failure of one makes the
   * ones behind it fail with OUT_OF_ORDER_SEQUENCE_NUMBER, never land at a shifted offset).
   */
  canPipeline(sourceProducerId: bigint): boolean {
    const slot = this.slots.find((s) => s.source === sourceProducerId);
    return slot !== undefined && pipelinable(slot);
  }

  private async append(slot: Slot, producer: TxnProducer, action: Action, baseSequence: number): Promise<void> {
    const dest = await this.o.dest();
    const batch = stampTransactional(action.batch, { producerId: producer.producerId, producerEpoch: producer.producerEpoch, baseSequence });
    const r = await produceRaw(dest, { topic: this.o.topic, partition: this.o.partition, batch, timeoutMs: this.o.produceTimeoutMs, transactionalId: slot.id });
    if (FENCED.has(r.errorCode)) throw this.fenced(slot, 'Produce', r.errorCode);
    if (r.errorCode !== 0) throw produceFault(r.errorCode, r.errorMessage, this.where);
    if (r.baseOffset !== action.base) throw mismatchFault(this.where, action.base, r.baseOffset);
    if (slot.firstOffset === undefined || action.base < slot.firstOffset) slot.firstOffset = action.base;
    crashPoint('after-append');
  }

  private async end(slot: Slot, producer: TxnProducer, at: bigint, commit: boolean): Promise<void> {
    const code = await this.onCoordinator(slot, (c) => endTxn(c, producer, commit));
    if (FENCED.has(code)) throw this.fenced(slot, 'EndTxn', code);
    if (code !== 0) throw new CopierFault(`EndTxn ${slot.id}: ${kafkaErrorName(code)}`, 'ACTIVE', false, 'destination');
    crashPoint('after-endtxn');
    // EndTxn returns before the marker is written: nothing may be appended until it is at `at`.
    const dest = await this.o.dest();
    const waitFrom = Date.now();
    for (let attempt = 1; ; attempt++) {
      const end = await listOffset(dest, this.o.topic, this.o.partition, 'latest');
      if (end > at) break;
      if (attempt >= 3000) throw new CopierFault(`${this.where}: the ${commit ? 'COMMIT' : 'ABORT'} marker of ${slot.id} did not appear at offset ${at}`, 'ACTIVE', false, 'destination');
      await sleep(attempt < 20 ? 2 : 10);
    }
    const r = await fetchRaw(dest, { topic: this.o.topic, partition: this.o.partition, offset: at, maxBytes: 1, maxWaitMs: 0, isolation: 'read_uncommitted' });
    const marker = r.batches.find((b) => b.baseOffset === at);
    if (marker === undefined || !marker.isControl || marker.producerId !== producer.producerId || lastOffsetOf(marker) !== at) {
      const found = marker === undefined ? 'nothing' : marker.isControl ? `a marker of producer ${marker.producerId}` : 'data';
      throw new CopierFault(`offset mismatch on ${this.where}: the ${commit ? 'COMMIT' : 'ABORT'} marker of source offset ${at} is not at destination offset ${at} (found ${found}); another producer wrote to the mirror topic, so nothing more is copied to this partition`, 'FAILED', true, 'mirror');
    }
    slot.open = false;
    slot.source = null;
    slot.firstOffset = undefined;
    const markerWaitMs = Date.now() - waitFrom;
    this.o.log.debug(`mirror partition ${this.where}: ${commit ? 'COMMIT' : 'ABORT'} marker at ${at} in place ${markerWaitMs} ms after EndTxn returned`, { markerWaitMs });
  }
}
