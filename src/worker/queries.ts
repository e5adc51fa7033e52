/**
 * What the CLI asks about workers without changing anything: their state (from the lock owner's
 * liveness and status.json), their logs, and running one in the foreground. Invariants: a worker is
 * RUNNING only while a live worker process holds the link's lock; fields of a status file written by
 * another (dead or earlier) process are never shown as the running worker's; an unknown link is the
 * same NotFoundError as in the link commands.
 */
import { ClinkError, ErrorCode } from '../core/errors.js';
import { requireLink } from '../core/usecases/link-query.js';
import { ConfStore } from '../config/store.js';
import { abortOnSignals } from './abort.js';
import { followLog, logSize, readLogTail } from './log-reader.js';
import { runWorker, type WorkerOutcome } from './main.js';
import { workerPaths } from './state-dir.js';
import { readStatusFileAt } from './status-file.js';
import { assertLinkExists, runningWorkerPid, type WorkerDirs } from './supervisor.js';

export type WorkerState = 'RUNNING' | 'STARTING' | 'STOPPED';

export interface WorkerStatusInfo {
  link: string;
  state: WorkerState;
  running: boolean;
  pid?: number;
  startedAt?: string;
  uptimeMs?: number;
  ready: boolean;
  lastHeartbeat?: string;
  mirrors: number;
  error?: string;
  /** Where the worker serves /metrics, REST and /healthz, when it does. */
  httpAddress?: string;
}

/** The state of one link's worker (the link itself is not checked). */
export function workerStatus(link: string, stateDir: string, now = Date.now()): WorkerStatusInfo {
  const pid = runningWorkerPid(stateDir, link);
  if (pid === undefined) return { link, state: 'STOPPED', running: false, ready: false, mirrors: 0 };
  const status = readStatusFileAt(workerPaths(stateDir, link).status);
  if (!status || status.pid !== pid) return { link, state: 'STARTING', running: true, pid, ready: false, mirrors: 0 };
  return {
    link,
    state: status.ready ? 'RUNNING' : 'STARTING',
    running: true,
    pid,
    startedAt: new Date(status.startedAtMs).toISOString(),
    uptimeMs: Math.max(0, now - status.startedAtMs),
    ready: status.ready,
    lastHeartbeat: new Date(status.updatedAtMs).toISOString(),
    mirrors: Object.keys(status.mirrors).length,
    ...(status.httpAddress === undefined ? {} : { httpAddress: status.httpAddress }),
    ...(status.error === undefined ? {} : { error: status.error }),
  };
}

/** The worker of `link` (which must exist), or of every link, sorted by name. */
export async function listWorkerStatuses(link: string | undefined, dirs: WorkerDirs): Promise<WorkerStatusInfo[]> {
  const data = await new ConfStore(dirs.configDir).read();
  if (link !== undefined) return [workerStatus(requireLink(data, link).name, dirs.stateDir)];
  return Object.keys(data.links)
    .sort()
    .map((name) => workerStatus(name, dirs.stateDir));
}

/** The last `lines` lines of the link's worker log (none when it never ran). */
export async function workerLogTail(link: string, lines: number, dirs: WorkerDirs): Promise<{ file: string; lines: string[] }> {
  await assertLinkExists(dirs.configDir, link);
  const file = workerPaths(dirs.stateDir, link).log;
  return { file, lines: readLogTail(file, lines) };
}

/** Prints the tail, then every new line of the link's worker log until the signal aborts. */
export async function followWorkerLog(link: string, options: WorkerDirs & { lines: number; signal: AbortSignal; onText: (text: string) => void }): Promise<void> {
  const { file, lines } = await workerLogTail(link, options.lines, options);
  const from = logSize(file); // a line written between these two reads may be shown twice, never lost
  if (lines.length > 0) options.onText(lines.join('\n') + '\n');
  await followLog(file, { fromOffset: from, signal: options.signal, onText: options.onText });
}

/**
 * `clink worker run`: the worker in this process, logging to the file and to `echo`, until SIGTERM or
 * SIGINT (or the link's deletion). An engine that overruns its stop limit is an internal error.
 */
export async function runWorkerInForeground(link: string, dirs: WorkerDirs & { echo: (line: string) => void; httpPort?: number }): Promise<WorkerOutcome> {
  const controller = new AbortController();
  const removeHandlers = abortOnSignals(controller);
  try {
    const outcome = await runWorker({ link, configDir: dirs.configDir, stateDir: dirs.stateDir, env: dirs.env ?? process.env, signal: controller.signal, echo: dirs.echo, ...(dirs.httpPort === undefined ? {} : { httpPort: dirs.httpPort }) });
    if (outcome === 'stop-timed-out') throw new ClinkError(ErrorCode.INTERNAL, `the replication engine of cluster link "${link}" did not stop in time`);
    return outcome;
  } finally {
    removeHandlers();
  }
}
