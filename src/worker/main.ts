/**
 * The worker's main loop, shared by the detached process (entry.ts) and `clink worker run`. Invariants:
 * the config store is only read; the link's lock is held from before the first status write until
 * after the last; status.json says ready only after a successful first apply, with this pid; apply()
 * is never called concurrently with itself; once the signal aborts, the engine is stopped and this
 * function returns within stopTimeoutMs, even if an apply is still in flight. With --http-port or the
 * link config http.listen, the HTTP endpoint (src/http) listens before the engine is created, so a
 * port in use stops the start before anything connects to Kafka; it closes after the engine stopped.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClinkError, ErrorCode, isClinkError } from '../core/errors.js';
import { linkNotFound, requireLink } from '../core/usecases/link-query.js';
import { ConfStore } from '../config/store.js';
import type { CreateLinkEngine, LinkEngine, LinkSnapshot } from '../replication/engine-api.js';
import { loadEngine } from './engine-loader.js';
import { acquireWorkerLock } from './lock.js';
import { LogFile } from './log-file.js';
import { ensureWorkerDir } from './state-dir.js';
import { StatusReporter } from './status-reporter.js';
import { createStoreWatcher, type StoreWatcher } from './store-watch.js';
import { ABORTED, unlessAborted } from './abort.js';
import { httpListenFor } from '../core/http-listen.js';
import type { WorkerPhase, WorkerView } from '../http/worker-view.js';

const RETRY_APPLY_MS = 5_000;

export interface RunWorkerOptions {
  link: string;
  configDir: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** Aborting stops the worker (entry points abort on SIGTERM/SIGINT). */
  signal: AbortSignal;
  /** Also hand every log line to this function (the foreground worker echoes to stderr). */
  echo?: (line: string) => void;
  pollIntervalMs?: number;
  heartbeatMs?: number;
  stopTimeoutMs?: number;
  loadEngine?: (env: NodeJS.ProcessEnv) => Promise<CreateLinkEngine>;
  /** --http-port: serve /metrics, REST and /healthz on this port (wins over http.listen's port). */
  httpPort?: number;
}

/** What the HTTP endpoint reads: the snapshot last applied, the live status, the worker's phase. */
interface Live {
  snapshot: LinkSnapshot | undefined;
  phase: WorkerPhase;
}

/** The exit codes of the worker process (documented in entry.ts). */
export const WorkerExitCode = { STOPPED: 0, START_FAILED: 1, USAGE: 2, LOCKED: 5, HTTP_LISTEN: 6, INTERNAL: 70 } as const;

/** Why the worker ended without an error. */
export type WorkerOutcome = 'stopped' | 'link-deleted' | 'stop-timed-out';

const logged = new WeakSet<object>();

/** Whether runWorker already wrote this error to the worker's log (entry.ts then does not repeat it). */
export function wasLogged(error: unknown): boolean {
  return typeof error === 'object' && error !== null && logged.has(error);
}

function removePidFile(file: string): void {
  try {
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runWorker(options: RunWorkerOptions): Promise<WorkerOutcome> {
  const { link } = options;
  const store = new ConfStore(options.configDir);
  requireLink(await store.read(), link); // an unknown link leaves no state directory behind
  const paths = ensureWorkerDir(options.stateDir, link);
  const log = new LogFile(paths.log, { echo: options.echo, level: options.env.CLINK_WORKER_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
  const lock = acquireWorkerLock(paths.lock, link);
  const status = new StatusReporter({
    file: paths.status,
    link,
    pid: process.pid,
    startedAtMs: Date.now(),
    heartbeatMs: options.heartbeatMs,
    onWriteError: (error) => log.warn('cannot write the status file', { error }),
  });
  try {
    fs.writeFileSync(paths.pid, `${process.pid}\n`, { mode: 0o600 });
    log.info('worker starting', { link, pid: process.pid, node: process.version });
    status.start();
    const outcome = await startAndFollow(options, createStoreWatcher(store, link), log, status);
    log.info('worker stopped', { outcome });
    return outcome;
  } catch (error) {
    log.error('worker failed', { error: messageOf(error), ...(isClinkError(error) && error.suggestion ? { suggestion: error.suggestion } : {}) });
    logged.add(error as object);
    throw error;
  } finally {
    status.stop();
    removePidFile(paths.pid);
    lock.release();
  }
}

async function startAndFollow(options: RunWorkerOptions, watcher: StoreWatcher, log: LogFile, status: StatusReporter): Promise<WorkerOutcome> {
  const first = await watcher.check(true);
  if (first.state === 'link-deleted') throw linkNotFound([options.link]);
  if (first.state === 'invalid') throw first.error;
  if (first.state !== 'snapshot') throw new ClinkError(ErrorCode.INTERNAL, 'the first store check returned no snapshot');
  const live: Live = { snapshot: undefined, phase: 'starting' };
  const listen = httpListenFor(first.snapshot.link.configs['http.listen'], options.httpPort);
  let http: { close(): Promise<void> } | undefined;
  let metrics: import('../http/metrics.js').WorkerMetrics | undefined;
  if (listen) {
    const [{ WorkerMetrics }, { startWorkerHttpServer }] = await Promise.all([import('../http/metrics.js'), import('../http/server.js')]);
    const view: WorkerView = { snapshot: () => live.snapshot, status: () => status.current, phase: () => live.phase };
    metrics = new WorkerMetrics(options.link, view);
    const server = await startWorkerHttpServer(listen, options.link, view, metrics);
    http = server;
    status.setHttpAddress(server.address);
    log.info('serving HTTP', { address: server.address, paths: '/metrics /healthz /kafka/v3/clusters/…' });
  }
  try {
    return await runEngine(options, watcher, log, status, first, live, metrics);
  } finally {
    live.phase = 'stopping';
    await http?.close();
  }
}

async function runEngine(
  options: RunWorkerOptions,
  watcher: StoreWatcher,
  log: LogFile,
  status: StatusReporter,
  first: { snapshot: LinkSnapshot; hash: string },
  live: Live,
  metrics: import('../http/metrics.js').WorkerMetrics | undefined,
): Promise<WorkerOutcome> {
  const createEngine = await (options.loadEngine ?? loadEngine)(options.env);
  const engine = createEngine({
    env: options.env,
    log,
    report: (mirror) => status.report(mirror),
    reportLinkError: (error) => status.setEngineError(error),
    stateDir: options.stateDir,
    reportSync: (name, sync) => {
      metrics?.sync(name, sync);
      status.reportSync(name, sync);
    },
    reportAutoMirrors: (mirrors) => status.setAutoMirrors(mirrors),
    ...(metrics ? { metrics } : {}),
  });
  const stopTimeoutMs = options.stopTimeoutMs ?? 8_000;
  let outcome: WorkerOutcome = 'stopped';
  try {
    const applied = await unlessAborted(apply(engine, first.snapshot, first.hash, log, status, live), options.signal).catch((error: unknown) => {
      throw new ClinkError(ErrorCode.FAILURE, `the replication engine could not apply cluster link "${options.link}": ${messageOf(error)}`, { cause: error });
    });
    if (applied !== ABORTED) {
      status.setReady(true);
      live.phase = 'running';
      log.info('worker ready', { snapshot: first.hash, mirrors: first.snapshot.mirrors.length });
      outcome = await follow(options, watcher, engine, first.hash, log, status, live);
    }
  } catch (error) {
    live.phase = 'stopping';
    await stopEngine(engine, stopTimeoutMs, log);
    throw error;
  }
  live.phase = 'stopping';
  return (await stopEngine(engine, stopTimeoutMs, log)) ? outcome : 'stop-timed-out';
}

async function apply(engine: LinkEngine, snapshot: LinkSnapshot, hash: string, log: LogFile, status: StatusReporter, live: Live): Promise<void> {
  const began = Date.now();
  await engine.apply(snapshot);
  const listenBefore = live.snapshot?.link.configs['http.listen'];
  if (live.snapshot && listenBefore !== snapshot.link.configs['http.listen']) {
    log.warn('http.listen changed: the HTTP endpoint moves at the next worker start', { from: listenBefore ?? '', to: snapshot.link.configs['http.listen'] ?? '' });
  }
  live.snapshot = snapshot;
  status.retainMirrors(snapshot.mirrors.map((m) => m.mirrorTopic));
  log.info('applied link snapshot', { snapshot: hash, mirrors: snapshot.mirrors.length, took_ms: Date.now() - began });
}

/** Polls the store and re-applies on change until aborted or the link is deleted. */
async function follow(options: RunWorkerOptions, watcher: StoreWatcher, engine: LinkEngine, firstHash: string, log: LogFile, status: StatusReporter, live: Live): Promise<WorkerOutcome> {
  let applied = firstHash;
  let retryAtMs: number | undefined;
  let lastProblem: string | undefined;
  for (;;) {
    const aborted = await sleep(options.pollIntervalMs ?? 500, undefined, { signal: options.signal }).then(() => false, () => true);
    if (aborted) return 'stopped';
    const check = await watcher.check(retryAtMs !== undefined && Date.now() >= retryAtMs);
    if (check.state === 'unchanged') continue;
    if (check.state === 'link-deleted') {
      log.info('cluster link deleted from the config store; stopping');
      return 'link-deleted';
    }
    if (check.state === 'invalid') {
      if (check.error.message !== lastProblem) log.error('cannot use the config store; keeping the last applied configuration', { error: check.error.message });
      lastProblem = check.error.message;
      status.setWorkerError(lastProblem);
      continue;
    }
    lastProblem = undefined;
    if (check.hash === applied && retryAtMs === undefined) {
      status.setWorkerError(undefined);
      continue;
    }
    try {
      if ((await unlessAborted(apply(engine, check.snapshot, check.hash, log, status, live), options.signal)) === ABORTED) return 'stopped';
      applied = check.hash;
      retryAtMs = undefined;
      status.setWorkerError(undefined);
    } catch (error) {
      log.error(`apply failed; retrying in ${RETRY_APPLY_MS / 1000} s`, { snapshot: check.hash, error: messageOf(error) });
      status.setWorkerError(`apply failed: ${messageOf(error)}`);
      retryAtMs = Date.now() + RETRY_APPLY_MS;
    }
  }
}

/** True when the engine stopped (or failed to) within the limit; false when it overran. */
async function stopEngine(engine: LinkEngine, timeoutMs: number, log: LogFile): Promise<boolean> {
  const timer = new AbortController();
  const stopped = engine.stop().then(
    () => true,
    (error: unknown) => {
      log.error('the replication engine failed to stop cleanly', { error: messageOf(error) });
      return true;
    },
  );
  const result = await Promise.race([stopped, sleep(timeoutMs, false, { signal: timer.signal }).catch(() => false)]);
  timer.abort();
  if (!result) log.error(`the replication engine did not stop within ${timeoutMs / 1000} s`);
  return result;
}
