/**
 * The worker's in-memory status and its only path to status.json. Invariants: the file is rewritten
 * at most every `throttleMs` for reports, at least every `heartbeatMs` (updatedAtMs is the
 * heartbeat), and at once for ready/stop; mirrors absent from the last applied snapshot (and not
 * auto-created) are dropped;
 * the link-level error shown is the worker's own (failed apply, invalid store) if any, else the
 * engine's.
 */
import type { MirrorRecord, MirrorStatusReport, WorkerStatusFile } from '../core/model/mirror.js';
import type { SyncName, SyncStatus } from '../core/model/sync.js';
import { writeStatusFileAt } from './status-file.js';

export interface StatusReporterOptions {
  file: string;
  link: string;
  pid: number;
  startedAtMs: number;
  heartbeatMs?: number;
  throttleMs?: number;
  now?: () => number;
  /** Called when the file cannot be written (the worker logs it). */
  onWriteError?: (error: unknown) => void;
}

export class StatusReporter {
  private readonly status: WorkerStatusFile;
  private engineError: string | undefined;
  private workerError: string | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: StatusReporterOptions) {
    this.now = options.now ?? Date.now;
    this.status = { link: options.link, pid: options.pid, startedAtMs: options.startedAtMs, updatedAtMs: this.now(), ready: false, mirrors: {} };
  }

  /** Writes the file now and then at least every heartbeatMs until stop(). */
  start(): void {
    this.flush();
    this.heartbeat = setInterval(() => this.flush(), this.options.heartbeatMs ?? 1000);
    this.heartbeat.unref();
  }

  report(mirror: MirrorStatusReport): void {
    this.status.mirrors[mirror.mirrorTopic] = mirror;
    this.schedule();
  }

  reportSync(name: SyncName, sync: SyncStatus): void {
    this.status.syncs = { ...this.status.syncs, [name]: sync };
    this.schedule();
  }

  setEngineError(error: string | undefined): void {
    this.engineError = error;
    this.schedule();
  }

  setWorkerError(error: string | undefined): void {
    if (error === this.workerError) return;
    this.workerError = error;
    this.schedule();
  }

  /** The mirrors the worker created automatically (reported, and kept by retainMirrors). */
  setAutoMirrors(mirrors: MirrorRecord[]): void {
    this.status.autoMirrors = mirrors;
    this.schedule();
  }

  /** Keeps only the mirrors of the snapshot just applied (and the auto-created ones). */
  retainMirrors(mirrorTopics: readonly string[]): void {
    const keep = new Set([...mirrorTopics, ...(this.status.autoMirrors ?? []).map((m) => m.mirrorTopic)]);
    for (const topic of Object.keys(this.status.mirrors)) if (!keep.has(topic)) delete this.status.mirrors[topic];
    this.schedule();
  }

  /** Where the worker's HTTP endpoint listens (shown by `clink worker status`). */
  setHttpAddress(address: string | undefined): void {
    if (address === undefined) delete this.status.httpAddress;
    else this.status.httpAddress = address;
    this.schedule();
  }

  /** The status as it stands now, with the link-level error shown (read by the HTTP endpoint). */
  get current(): WorkerStatusFile {
    const error = this.workerError ?? this.engineError;
    if (error === undefined) delete this.status.error;
    else this.status.error = error;
    return this.status;
  }

  setReady(ready: boolean): void {
    this.status.ready = ready;
    this.flush();
  }

  get ready(): boolean {
    return this.status.ready;
  }

  /** Final write (ready=false) and no more timers. */
  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.pending) clearTimeout(this.pending);
    this.heartbeat = this.pending = undefined;
    this.setReady(false);
  }

  flush(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.status.updatedAtMs = this.now();
    const error = this.workerError ?? this.engineError;
    if (error === undefined) delete this.status.error;
    else this.status.error = error;
    try {
      writeStatusFileAt(this.options.file, this.status);
    } catch (writeError) {
      this.options.onWriteError?.(writeError);
    }
  }

  private schedule(): void {
    if (this.pending || !this.heartbeat) return;
    this.pending = setTimeout(() => this.flush(), this.options.throttleMs ?? 200);
    this.pending.unref();
  }
}
