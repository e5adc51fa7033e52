/**
 * One mirror partition, one writer. The destination's log end is the only checkpoint: at every
 * (re)start the copier reads it and fetches the source from exactly there, so a crash or restart
 * resumes without duplicates or gaps. Each append is a source batch (or filler/rebuilt batch) stamped
 * with the copier's own idempotent producer id and sequence, so a failed append makes every append
 * queued behind it fail too instead of landing at a shifted offset.
 * Invariants: after every acknowledged append the destination base offset equals the source offset
 * (otherwise the partition is FAILED for good and nothing more is sent); after any failure the copier
 * waits for all its in-flight appends, then re-reads the destination log end before writing again;
 * more than one append is in flight only while the partition is catching up; once stop() has resolved the
 * copier writes nothing more (one still initialising may finish its reads later, and then stops).
 */
import { AppendQueue, type QueueBudget } from './append-queue.js';
import type { EngineLogger } from './engine-api.js';
import type { OffsetSpec } from '../core/link-config.js';
import type { PartitionStatus } from '../core/model/mirror.js';
import { KafkaErrorCode, type FetchPartitionResult, type FetchPartitionSpec, type RawCluster } from '../kafka/raw/index.js';
import { nextSequence, stampBatch } from './batch-codec.js';
import { CopierFault, classify, mismatchFault, produceFault, type CopierStatus } from './copier-faults.js';
import type { FetchClient, Fetcher } from './fetcher.js';
import { fillers, planAppends, type Action } from './gap-filler.js';
import type { CoalescingProducer } from './producer.js';
import type { CopierSettings } from './link-settings.js';
import { LogStartFollower } from './log-start.js';
import { deleteRecordsBefore, initProducerId, type ProducerIdentity } from './raw-admin.js';
import { Backoff, Signal } from './scheduler.js';
import { StartRefusedError, onSide, startPosition } from './start-offset.js';
import { verifyTail } from './verify-tail.js';
import { setUpTransactions, type TxnSetup } from './txn/setup.js';
import type { TxnWriter } from './txn/txn-writer.js';

export interface CopierContext {
  source(): Promise<RawCluster>;
  dest(): Promise<RawCluster>;
  producer(): Promise<CoalescingProducer>;
  fetcher: Fetcher;
  /** Bytes fetched but not yet sent, over all the link's partitions, and their cap. */
  budget: QueueBudget;
  settings(): CopierSettings;
  log: EngineLogger;
  /** The copier's status or error changed. */
  changed(): void;
  /** Sync the mirror's topic configs now (the destination found a batch too large). */
  syncConfigs(): Promise<void>;
  /** An append of this partition was acknowledged (the worker's metrics count it). */
  appended?(partition: number, records: number, bytes: number): void;
}

export class PartitionCopier implements FetchClient {
  readonly status: PartitionStatus;
  private phase = 'init' as 'init' | 'running' | 'stopped';
  private readonly queue: AppendQueue;
  private fetchOffset = -1n;
  private readonly logStart: LogStartFollower;
  private identity: ProducerIdentity = { producerId: -1n, producerEpoch: -1 };
  private sequence = 0;
  private fault: CopierFault | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly signal = new Signal();
  private run: Promise<void> | undefined;
  private readonly where: string;
  private lastLogged = '';
  private planning = false;
  /** True while initialise() runs (it may be waiting on either cluster). */
  private initialising = false;
  /** Bumped at every (re)start, so a plan computed before it is dropped. */
  private generation = 0;
  /** mirror.transactions: the destination transaction writer, or fillers (and why). */
  private txn: TxnSetup | undefined;
  /** Source transactional batches or a marker in flight; while any is, nothing non-transactional is sent. */
  private txnInFlight = 0;
  /** The source producer whose data batches are in flight (pipelined within its open transaction). */
  private txnInFlightProducer: bigint | undefined;
  /** Fetched source batches not yet acknowledged by the destination: where each ends, its timestamp. */
  private readonly unacked: { end: bigint; timestampMs: number }[] = [];

  constructor(
    private readonly ctx: CopierContext,
    readonly sourceTopic: string,
    readonly destTopic: string,
    readonly partition: number,
    private readonly spec: OffsetSpec,
  ) {
    this.where = `${destTopic}-${partition}`;
    this.logStart = new LogStartFollower(ctx.dest, destTopic, partition, ctx.log);
    this.queue = new AppendQueue(ctx.budget);
    this.status = { partition, status: 'ACTIVE', lastSourceFetchOffset: -1, sourceHighWatermark: -1, destinationLogEnd: -1, updatedAtMs: Date.now() };
  }

  start(): void {
    this.run ??= this.main();
  }

  /** Stops fetching and appending; resolves once no append of this copier is in flight. */
  async stop(): Promise<void> {
    this.phase = 'stopped';
    this.ctx.fetcher.unregister(this);
    this.signal.close();
    // A running copier leaves its loop at once. One still initialising may be blocked on a read (e.g. an
    // unreachable source) and finish later, but it can no longer write: every write in initialise()
    // checks for the stop first, in the same synchronous step, so only appends already in flight count.
    if (!this.initialising) await Promise.race([this.run, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    await this.settle();
    this.queue.clear();
  }

  private stopping(): boolean {
    return this.phase === 'stopped';
  }

  fetchSpec(): FetchPartitionSpec | undefined {
    if (this.phase !== 'running' || this.fault || this.planning) return undefined;
    const { fetchMaxBytes } = this.ctx.settings();
    if (this.queue.full(fetchMaxBytes)) return undefined;
    return { topic: this.sourceTopic, partition: this.partition, offset: this.fetchOffset, maxBytes: fetchMaxBytes };
  }

  onFetched(result: FetchPartitionResult): void {
    if (this.phase !== 'running' || this.fault || result.fetchOffset !== this.fetchOffset) return;
    if (result.errorCode === KafkaErrorCode.OFFSET_OUT_OF_RANGE) return this.setFault(new CopierFault(`fetch offset ${this.fetchOffset} out of range on the source`, 'ACTIVE', false, 'source'));
    if (result.errorCode !== 0) return this.onFetchError(new Error(`fetch from ${this.sourceTopic}-${this.partition}: ${result.errorName}`));
    if (result.formatError) return this.setFault(new CopierFault(`${this.where}: ${result.formatError.message}`, 'FAILED', true, 'mirror'));
    this.status.sourceHighWatermark = Number(result.highWatermark);
    this.noteCaughtUp();
    if (result.logStartOffset >= 0n) this.logStart.sourceStart = result.logStartOffset;
    // Planning may decompress (rebuilds): no fetch of this partition until the plan is queued.
    this.planning = true;
    const [from, generation] = [this.fetchOffset, this.generation];
    void planAppends(result, from, this.txn?.mode)
      .then((plan) => {
        if (this.phase !== 'running' || this.fault || this.generation !== generation) return;
        this.queue.push(plan.actions);
        for (const a of plan.actions) {
          if ((a.kind === 'data' || a.kind === 'rebuilt') && !a.batch.hasDeleteHorizon && a.batch.baseTimestamp > 0n) this.unacked.push({ end: a.end, timestampMs: Number(a.batch.baseTimestamp) });
        }
        this.notePending();
        const { holes, markers, aborted } = plan.filled;
        if (holes + markers + aborted > 0) this.ctx.log.debug(`mirror partition ${this.where}: fillers before ${plan.end}`, plan.filled);
        this.fetchOffset = plan.end;
        this.status.lastSourceFetchOffset = Number(plan.end);
      }, (error: unknown) => this.setFault(classify(error)))
      .finally(() => {
        this.planning = false;
        this.signal.notify();
        this.ctx.fetcher.wake();
      });
  }

  /** The source failed us: re-initialise (with backoff), so the tail is verified again when it is back. */
  onFetchError(error: unknown): void {
    if (this.phase !== 'running') return;
    this.setFault(new CopierFault(`source unavailable: ${error instanceof Error ? error.message : String(error)}`, 'SOURCE_UNAVAILABLE', false, 'source'));
  }

  /** Remembers when the destination held everything the source had (lag seconds count from there). */
  private noteCaughtUp(): void {
    const { sourceHighWatermark: hw, destinationLogEnd: end } = this.status;
    if (hw >= 0 && end >= hw) this.status.caughtUpAtMs = Date.now();
  }

  private notePending(): void {
    const oldest = this.unacked[0]?.timestampMs;
    if (oldest === undefined) delete this.status.oldestPendingTimestampMs;
    else this.status.oldestPendingTimestampMs = oldest;
  }

  /** Bookkeeping after the destination acknowledged `action`. */
  private acknowledged(action: Action): void {
    this.status.destinationLogEnd = Math.max(this.status.destinationLogEnd, Number(action.end));
    this.status.updatedAtMs = Date.now();
    while (this.unacked.length > 0 && (this.unacked[0]?.end ?? 0n) <= action.end) this.unacked.shift();
    this.notePending();
    this.noteCaughtUp();
    this.ctx.appended?.(this.partition, Number(action.end - action.base), action.batch.bytes.length);
  }

  private setStatus(status: CopierStatus, error?: string): void {
    const changed = this.status.status !== status || this.status.error !== error;
    this.status.status = status;
    if (error === undefined) delete this.status.error;
    else this.status.error = error;
    this.status.updatedAtMs = Date.now();
    if (changed) this.ctx.changed();
  }

  /** The transactions mode (and a fallback's reason) is part of the status, so describe can show it. */
  private showTransactions(txn: TxnSetup): void {
    if (this.status.transactions === txn.mode && this.status.transactionsFallback === txn.fallback) return;
    this.status.transactions = txn.mode;
    if (txn.fallback === undefined) delete this.status.transactionsFallback;
    else this.status.transactionsFallback = txn.fallback;
    this.ctx.changed();
  }

  private setFault(fault: CopierFault): void {
    if (!this.fault || (fault.fatal && !this.fault.fatal)) this.fault = fault;
    this.signal.notify();
  }

  private async main(): Promise<void> {
    const backoff = new Backoff(500, 10_000);
    while (this.phase !== 'stopped') {
      try {
        this.initialising = true;
        try {
          await this.initialise();
        } finally {
          this.initialising = false;
        }
        await this.pump();
      } catch (error) {
        const fault = this.fault ?? classify(error);
        await this.settle();
        if (this.stopping()) break;
        this.phase = 'init';
        this.ctx.fetcher.unregister(this);
        this.setStatus(fault.status, fault.message);
        if (fault.message !== this.lastLogged) this.ctx.log[fault.fatal ? 'error' : 'warn'](`mirror partition ${this.where}: ${fault.message}`);
        this.lastLogged = fault.message;
        if (fault.fatal) return this.queue.clear();
        if (fault.needsConfigSync) await this.ctx.syncConfigs().catch(() => undefined);
        await this.signal.sleep(backoff.next());
        continue;
      }
      backoff.reset();
    }
    await this.settle();
  }

  private async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async initialise(): Promise<void> {
    this.generation++;
    this.fault = undefined;
    this.queue.clear();
    this.unacked.length = 0;
    this.notePending();
    const [source, dest] = await Promise.all([onSide('source', () => this.ctx.source()), onSide('destination', () => this.ctx.dest())]);
    this.txn = await onSide('destination', () => setUpTransactions(this.ctx.settings(), this.txn, this.ctx.dest, this.ctx.log, this.destTopic, this.partition));
    this.showTransactions(this.txn);
    const start = await startPosition({ source, dest, sourceTopic: this.sourceTopic, destTopic: this.destTopic, partition: this.partition, spec: this.spec });
    if (start.warning) this.ctx.log.warn(start.warning);
    if (start.destEnd > start.destStart) {
      const check = await verifyTail(source, dest, this.sourceTopic, this.destTopic, this.partition, start.destEnd);
      if (!check.ok) throw new StartRefusedError(`${this.where} cannot resume: ${check.reason}`);
    }
    await this.txn.writer?.bind(source, this.sourceTopic);
    this.identity = await onSide('destination', async () => initProducerId(await dest.leaderFor(this.destTopic, this.partition)));
    this.sequence = 0;
    this.logStart.reset(start.destStart, start.sourceStart);
    this.status.destinationLogEnd = Number(start.destEnd);
    this.status.sourceHighWatermark = Number(start.sourceEnd);
    this.noteCaughtUp();
    if (this.phase === 'stopped') return;
    if (start.fetchFrom > start.destEnd) {
      this.ctx.log.info(`mirror partition ${this.where}: filling offsets ${start.destEnd}..${start.fetchFrom - 1n} before the first mirrored record`);
      for (const action of fillers(start.destEnd, start.fetchFrom, BigInt(Date.now()))) this.append(action);
      await this.settle();
      if (this.fault) throw this.fault;
    }
    if (this.stopping()) return;
    if (start.deleteTo > start.destStart) {
      // Counted as in flight, so a stop() that does not wait for initialise() still waits for this write.
      const deleting = onSide('destination', () => deleteRecordsBefore(dest, this.destTopic, this.partition, start.deleteTo));
      const settled: Promise<void> = deleting.then(() => undefined, () => undefined).finally(() => this.pending.delete(settled));
      this.pending.add(settled);
      this.logStart.destStart = await deleting;
    }
    this.fetchOffset = start.fetchFrom;
    this.status.lastSourceFetchOffset = Number(start.fetchFrom);
    if (this.stopping()) return;
    this.phase = 'running';
    this.setStatus('ACTIVE');
    this.ctx.fetcher.register(this);
  }

  private window(): number {
    const catchingUp = this.queue.length > 1 || BigInt(this.status.sourceHighWatermark) > this.fetchOffset;
    return catchingUp ? Math.max(1, this.ctx.settings().produceWindow) : 1;
  }

  private async pump(): Promise<void> {
    while (this.phase === 'running') {
      if (this.fault) throw this.fault;
      this.logStart.follow(BigInt(this.status.destinationLogEnd));
      const action = this.queue.peek();
      if (action === undefined || this.pending.size >= this.limitFor(action)) {
        await this.signal.wait(1000);
        continue;
      }
      this.queue.shift();
      this.append(action);
      this.ctx.fetcher.wake();
    }
  }

  /**
   * How many appends may be in flight when `action` is sent. Plain data: the produce window, once no
   * transactional append is in flight. A marker: alone (after every append of its transaction). Data of
   * a source transaction: alone to begin it, then pipelined up to the window behind data of the same
   * source producer only (a batch of another producer id behind a failed one could land shifted).
   */
  private limitFor(action: Action): number {
    if (action.txn === undefined || !this.txn?.writer) return this.txnInFlight > 0 ? 1 : this.window();
    if (action.txn.marker !== undefined || this.txnInFlight !== this.pending.size) return 1;
    const pipelined = this.txnInFlightProducer === action.txn.sourceProducerId && this.txn.writer.canPipeline(action.txn.sourceProducerId);
    return pipelined ? this.window() : 1;
  }

  private append(action: Action): void {
    if (action.txn !== undefined && this.txn?.writer) return this.appendInTransaction(action, this.txn.writer);
    const batch = stampBatch(action.batch, { ...this.identity, baseSequence: this.sequence });
    this.sequence = nextSequence(this.sequence, Number(action.end - action.base));
    const sent = this.ctx
      .producer()
      .then((producer) => producer.send({ topic: this.destTopic, partition: this.partition, batch }))
      .then(
        (result) => {
          if (result.errorCode !== 0) this.setFault(produceFault(result.errorCode, result.errorMessage, this.where));
          else if (result.baseOffset !== action.base) this.setFault(mismatchFault(this.where, action.base, result.baseOffset));
          else if (!this.fault) this.acknowledged(action);
        },
        (error: unknown) => this.setFault(classify(error)),
      )
      .finally(() => {
        this.pending.delete(sent);
        this.signal.notify();
      });
    this.pending.add(sent);
  }

  /** A source transactional batch or marker, through the destination transaction writer (see limitFor). */
  private appendInTransaction(action: Action, writer: TxnWriter): void {
    this.txnInFlight++;
    this.txnInFlightProducer = action.txn?.marker === undefined ? action.txn?.sourceProducerId : undefined;
    const sent = writer
      .write(action)
      .then(
        () => {
          if (this.fault) return;
          this.acknowledged(action);
        },
        (error: unknown) => this.setFault(classify(error)),
      )
      .finally(() => {
        if (--this.txnInFlight === 0) this.txnInFlightProducer = undefined;
        this.pending.delete(sent);
        this.signal.notify();
      });
    this.pending.add(sent);
  }
}
