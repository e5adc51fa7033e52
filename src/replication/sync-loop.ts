/**
 * A periodic sync of one link as a LinkEngine: the shared machinery of the consumer offset sync and
 * the ACL sync. A definition says, for a snapshot, whether the sync is on and how often it runs, and
 * does one pass; this runs the passes, owns the connections and reports a SyncStatus after each pass.
 * Invariants: at most one pass runs at a time and it reads the latest applied snapshot when it
 * starts; a pass's writes go through guard(), which hands them the latest settings, and apply()
 * returns only once the writes started under older settings have ended (bounded), so after apply()
 * nothing is written under settings it replaced; apply() never waits for anything else (a disabled
 * sync is stopped, an enabled one started or woken when what it acts on changed); after a failed pass the connections are dropped and the next pass
 * waits longer (doubling, capped at max(interval, 60 s)); stop() resolves within a few seconds with
 * every connection closed, and no pass starts after it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { validateLinkConfigs, type LinkConfigs } from '../core/link-config.js';
import type { SyncName, SyncStatus } from '../core/model/sync.js';
import type { LinkEngine, LinkEngineDeps, LinkSnapshot } from './engine-api.js';
import { clientsKey, openSyncClients, within, type SyncClients } from './sync-clients.js';

export interface SyncTaskDeps extends LinkEngineDeps {
  /** The worker's state directory (`<stateDir>/links/<link>/` holds the link's files). */
  stateDir: string;
  reportSync(name: SyncName, status: SyncStatus): void;
}

export type SyncCounts = Pick<SyncStatus, 'groups' | 'partitions' | 'acls'>;
/** What a pass that completed reports; `error` when part of it failed (no backoff then). */
export type PassResult = SyncCounts & { error?: string };

export interface PassContext<S> {
  snapshot: LinkSnapshot;
  settings: S;
  clients: SyncClients;
  signal: AbortSignal;
  /** Runs a write with the latest applied settings; undefined (not run) once the sync is disabled or stopped. */
  guard<T>(write: (latest: S) => Promise<T>): Promise<T | undefined>;
}

export interface SyncDefinition<S> {
  name: SyncName;
  /** What the sync does for this snapshot, or undefined when it is disabled. */
  plan(snapshot: LinkSnapshot, configs: LinkConfigs): { intervalMs: number; settings: S } | undefined;
  /** Opens a raw destination cluster too. */
  raw: boolean;
  /** One pass; throws when it could not complete. */
  pass(context: PassContext<S>): Promise<PassResult>;
}

/** stop(): wait this long for a pass in flight, then as long again for the connections to close. */
const STOP_WAIT_MS = 2_500;
const DRAIN_WAIT_MS = 5_000;
const MAX_BACKOFF_MS = 60_000;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Delay before the next pass: the interval, or a doubling backoff after consecutive failures. */
export function nextDelayMs(intervalMs: number, failures: number): number {
  if (failures === 0) return intervalMs;
  return Math.min(intervalMs * 2 ** Math.min(failures, 16), Math.max(intervalMs, MAX_BACKOFF_MS));
}

interface Current<S> {
  snapshot: LinkSnapshot;
  intervalMs: number;
  settings: S;
  /** Changes when what a pass acts on changes: a change wakes a sleeping loop. */
  key: string;
}

export class PeriodicSync<S> implements LinkEngine {
  private current: Current<S> | undefined;
  private loop: { promise: Promise<void>; abort: AbortController } | undefined;
  private wake: AbortController | undefined;
  private clients: { key: string; clients: SyncClients } | undefined;
  private status: SyncStatus = { enabled: false };
  private lastReported = '';
  private lastError: string | undefined;
  private failures = 0;
  /** Set when apply() changed what a pass acts on: the next pass starts without waiting. */
  private pending = false;
  private stopped = false;
  private tail: Promise<void> = Promise.resolve();
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly def: SyncDefinition<S>,
    private readonly deps: SyncTaskDeps,
  ) {}

  apply(snapshot: LinkSnapshot): Promise<void> {
    return this.serial(async () => {
      if (this.stopped) return;
      let plan: ReturnType<SyncDefinition<S>['plan']>;
      try {
        plan = this.def.plan(snapshot, validateLinkConfigs(snapshot.link.configs).configs);
      } catch (error) {
        await this.halt();
        this.report({ enabled: false, error: `invalid configs of cluster link "${snapshot.link.name}": ${messageOf(error)}` });
        return;
      }
      if (plan === undefined) {
        await this.halt();
        this.report({ enabled: false });
        return;
      }
      const key = JSON.stringify([clientsKey(snapshot), plan.intervalMs, plan.settings]);
      const changed = this.current?.key !== key;
      this.current = { snapshot, intervalMs: plan.intervalMs, settings: plan.settings, key };
      if (!this.status.enabled) this.report({ enabled: true });
      if (!this.loop) this.start();
      else if (changed) {
        this.pending = true;
        this.wake?.abort();
        await this.drain();
      }
    });
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.serial(() => this.halt());
  }

  /** Waits (bounded) for the writes in flight, started under earlier settings. */
  private async drain(): Promise<void> {
    if (this.inflight.size > 0) await within(Promise.allSettled([...this.inflight]), DRAIN_WAIT_MS);
  }

  private guard<T>(write: (latest: S) => Promise<T>): Promise<T | undefined> {
    const current = this.current;
    if (!current || this.stopped) return Promise.resolve(undefined);
    const run = write(current.settings);
    this.inflight.add(run);
    void run.catch(() => undefined).finally(() => this.inflight.delete(run));
    return run;
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private start(): void {
    const abort = new AbortController();
    this.failures = 0;
    this.pending = false;
    const promise = this.run(abort.signal).catch((error: unknown) => {
      this.deps.log.error(`${this.def.name} stopped unexpectedly`, { error: messageOf(error) });
    });
    this.loop = { promise, abort };
  }

  /** Ends the loop (bounded wait for a pass in flight, writes included) and closes the connections. */
  private async halt(): Promise<void> {
    const loop = this.loop;
    this.loop = undefined;
    this.current = undefined;
    if (loop) {
      loop.abort.abort();
      this.wake?.abort();
      await within(loop.promise, STOP_WAIT_MS);
    }
    await this.dropClients();
  }

  private async dropClients(): Promise<void> {
    const open = this.clients;
    this.clients = undefined;
    if (open) await within(open.clients.close(), STOP_WAIT_MS);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const current = this.current;
      if (!current) return;
      await this.pass(current, signal);
      if (signal.aborted) return;
      if (this.pending) {
        this.pending = false;
        continue;
      }
      this.wake = new AbortController();
      const delay = nextDelayMs(this.current?.intervalMs ?? current.intervalMs, this.failures);
      await sleep(delay, undefined, { signal: AbortSignal.any([signal, this.wake.signal]) }).catch(() => undefined);
    }
  }

  private async pass(current: Current<S>, signal: AbortSignal): Promise<void> {
    const startedAtMs = Date.now();
    try {
      const key = clientsKey(current.snapshot);
      if (this.clients?.key !== key) {
        await this.dropClients();
        const clients = await openSyncClients(current.snapshot, this.deps.env, { clientId: `clink-link-${current.snapshot.link.name}-${this.def.name}`, raw: this.def.raw });
        if (signal.aborted) {
          await within(clients.close(), STOP_WAIT_MS);
          return;
        }
        this.clients = { key, clients };
      }
      const guard = <T>(write: (latest: S) => Promise<T>) => this.guard(write);
      const { error, ...counts } = await this.def.pass({ snapshot: current.snapshot, settings: current.settings, clients: this.clients.clients, signal, guard });
      if (signal.aborted) return;
      this.failures = 0;
      if (error !== undefined && error !== this.lastError) this.deps.log.warn(`${this.def.name} completed with errors`, { error });
      else if (error === undefined && this.lastError !== undefined) this.deps.log.info(`${this.def.name} recovered`);
      this.lastError = error;
      const lastSuccessAtMs = error === undefined ? Date.now() : this.status.lastSuccessAtMs;
      this.report({ enabled: true, lastRunAtMs: startedAtMs, ...defined({ lastSuccessAtMs }), ...counts, ...defined({ error }) });
    } catch (error) {
      if (signal.aborted) return;
      this.failures += 1;
      const message = messageOf(error);
      const retryInMs = nextDelayMs(current.intervalMs, this.failures);
      if (message !== this.lastError) this.deps.log.warn(`${this.def.name} failed; retrying in ${Math.round(retryInMs / 100) / 10} s`, { error: message });
      this.lastError = message;
      const { groups, partitions, acls, lastSuccessAtMs } = this.status;
      this.report({ enabled: true, lastRunAtMs: startedAtMs, ...defined({ lastSuccessAtMs, groups, partitions, acls }), error: message });
      await this.dropClients();
    }
  }

  private report(status: SyncStatus): void {
    this.status = status;
    const text = JSON.stringify(status);
    if (text === this.lastReported) return;
    this.lastReported = text;
    this.deps.reportSync(this.def.name, status);
  }
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
