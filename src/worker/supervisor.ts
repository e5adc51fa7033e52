/**
 * Starting and stopping a link's worker from the CLI (the Nx daemon pattern): spawn
 * `node dist/worker/entry.js --link <name>` detached, with stdout and stderr appended to worker.log,
 * then wait for status.json to say ready with the new pid. Invariants: a start either returns a
 * worker that reported ready or leaves no process behind (a worker that is not ready in time is
 * killed) and explains why with the tail of its log; only a pid that holds the link's lock and is a
 * worker for that link is ever signalled; stop returns only once that process is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClinkError, ErrorCode, InvalidStateError, TimeoutError } from '../core/errors.js';
import { requireLink } from '../core/usecases/link-query.js';
import { ConfStore } from '../config/store.js';
import { waitFor } from '../util/wait-for.js';
import { readLockOwner, WorkerLockHeldError } from './lock.js';
import { logSize, readLogTail } from './log-reader.js';
import { WorkerExitCode } from './main.js';
import { isProcessAlive, isWorkerProcess } from './pid.js';
import { ensureWorkerDir, workerPaths, type WorkerPaths } from './state-dir.js';
import { readStatusFileAt } from './status-file.js';

export interface WorkerDirs {
  configDir: string;
  stateDir: string;
  env?: NodeJS.ProcessEnv;
}

export interface StartOptions extends WorkerDirs {
  /** How long the worker has to report ready; default 30 s. */
  readyTimeoutMs?: number;
  /** The worker script; default dist/worker/entry.js beside this module. */
  entryPath?: string;
  /** --http-port: the worker serves /metrics, REST and /healthz on this port. */
  httpPort?: number;
}

export interface StartedWorker {
  link: string;
  pid: number;
  /** Where it serves /metrics, REST and /healthz (host:port), when it does. */
  httpAddress?: string;
}

/** The worker could not be started: the message carries the tail of its log. */
export class WorkerStartError extends ClinkError {
  constructor(message: string, link: string, logFile: string) {
    super(ErrorCode.FAILURE, message, { suggestion: `See the whole log with \`clink worker logs ${link}\` (${logFile}).` });
  }
}

export async function assertLinkExists(configDir: string, link: string): Promise<void> {
  requireLink(await new ConfStore(configDir).read(), link);
}

/** The pid of the link's live worker (it holds the lock and is a worker for the link), if any. */
export function runningWorkerPid(stateDir: string, link: string): number | undefined {
  const pid = readLockOwner(workerPaths(stateDir, link).lock);
  return pid !== undefined && isWorkerProcess(pid, link) ? pid : undefined;
}

function spawnWorker(link: string, paths: WorkerPaths, options: StartOptions): ChildProcess {
  const entry = options.entryPath ?? fileURLToPath(new URL('./entry.js', import.meta.url));
  const out = fs.openSync(paths.log, 'a', 0o600);
  const err = fs.openSync(paths.log, 'a', 0o600);
  try {
    const http = options.httpPort === undefined ? [] : ['--http-port', String(options.httpPort)];
    return spawn(process.execPath, [entry, '--link', link, ...http], {
      cwd: paths.dir,
      detached: true,
      stdio: ['ignore', out, err],
      windowsHide: true,
      env: { ...(options.env ?? process.env), CLINK_CONFIG_DIR: options.configDir, CLINK_STATE_DIR: options.stateDir },
    });
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
  }
}

function startError(link: string, paths: WorkerPaths, logStart: number, what: string): WorkerStartError {
  const tail = readLogTail(paths.log, 20, logStart);
  const shown = tail.length > 0 ? `; last lines of its log:\n${tail.map((l) => `  ${l}`).join('\n')}` : '';
  return new WorkerStartError(`worker for cluster link "${link}" ${what}${shown}`, link, paths.log);
}

/** Starts the link's worker and resolves once it reported ready. */
export async function startWorker(link: string, options: StartOptions): Promise<StartedWorker> {
  await assertLinkExists(options.configDir, link);
  const running = runningWorkerPid(options.stateDir, link);
  if (running !== undefined) throw new WorkerLockHeldError(link, running);
  const paths = ensureWorkerDir(options.stateDir, link);
  const logStart = logSize(paths.log);
  const child = spawnWorker(link, paths, options);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | { error: Error } | undefined;
  child.once('exit', (code, signal) => (exit ??= { code, signal }));
  child.once('error', (error) => (exit ??= { error }));
  child.unref();
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  try {
    await waitFor(() => exit !== undefined || (child.pid !== undefined && isReady(paths, child.pid)), {
      timeoutMs,
      intervalMs: 50,
      message: 'not ready',
    });
  } catch (error) {
    if (!(error instanceof TimeoutError) || child.pid === undefined) throw error;
    await killAndWait(child.pid, 5_000);
    throw startError(link, paths, logStart, `did not report ready within ${timeoutMs / 1000} s and was stopped`);
  }
  if (exit === undefined && child.pid !== undefined) {
    const address = readStatusFileAt(paths.status)?.httpAddress;
    return { link, pid: child.pid, ...(address === undefined ? {} : { httpAddress: address }) };
  }
  if (exit && 'error' in exit) throw startError(link, paths, logStart, `could not be started: ${exit.error.message}`);
  if (exit?.code === WorkerExitCode.LOCKED) {
    const owner = runningWorkerPid(options.stateDir, link) ?? readLockOwner(paths.lock);
    if (owner !== undefined) throw new WorkerLockHeldError(link, owner);
  }
  if (exit?.code === WorkerExitCode.HTTP_LISTEN) throw httpListenError(link, paths, logStart);
  const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.code}`;
  throw startError(link, paths, logStart, `${how} while starting`);
}

/** The worker could not listen for HTTP: its own message (the last error line of its log), exit 5. */
function httpListenError(link: string, paths: WorkerPaths, logStart: number): ClinkError {
  const line = readLogTail(paths.log, 20, logStart).reverse().find((l) => l.includes('cannot listen for HTTP'));
  let message = `the worker of cluster link "${link}" cannot listen for HTTP`;
  try {
    const fields = line ? (JSON.parse(line.slice(line.indexOf('{'))) as { error?: unknown }) : {};
    if (typeof fields.error === 'string') message = fields.error;
  } catch {
    // keep the general message
  }
  return new ClinkError(ErrorCode.CONFLICT, message, {
    suggestion: `Choose another port (\`--http-port <port>\`, or the link config http.listen=127.0.0.1:<port>), or stop the process that holds it. The worker did not start; see \`clink worker logs ${link}\`.`,
  });
}

function isReady(paths: WorkerPaths, pid: number): boolean {
  const status = readStatusFileAt(paths.status);
  return status?.pid === pid && status.ready;
}

/** Starts the worker unless one runs; resolves once the running worker reports ready. */
export async function ensureWorkerRunning(link: string, options: StartOptions): Promise<StartedWorker & { started: boolean }> {
  let pid = runningWorkerPid(options.stateDir, link);
  if (pid === undefined) {
    try {
      return { ...(await startWorker(link, options)), started: true };
    } catch (error) {
      if (!(error instanceof WorkerLockHeldError)) throw error;
      pid = error.ownerPid; // started concurrently by someone else: wait for it below
    }
  }
  const paths = workerPaths(options.stateDir, link);
  const owner = pid;
  await waitFor(() => isReady(paths, owner) || !isProcessAlive(owner), {
    timeoutMs: options.readyTimeoutMs ?? 30_000,
    intervalMs: 50,
    message: `worker for cluster link "${link}" (pid ${owner}) did not report ready`,
  });
  if (!isProcessAlive(owner)) throw startError(link, paths, 0, `(pid ${owner}) exited while starting`);
  return { link, pid: owner, started: false };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGKILL and wait until the process is gone. */
async function killAndWait(pid: number, timeoutMs: number): Promise<void> {
  signal(pid, 'SIGKILL');
  await waitFor(() => !isProcessAlive(pid), { timeoutMs, intervalMs: 20, message: `process ${pid} survived SIGKILL` });
}

export interface StopOptions extends WorkerDirs {
  /** How long the worker has to exit after SIGTERM before SIGKILL; default 15 s. */
  timeoutMs?: number;
}

/** SIGTERM, wait until the worker is gone, SIGKILL after the timeout. */
export async function stopWorker(link: string, options: StopOptions): Promise<{ link: string; pid: number; forced: boolean }> {
  await assertLinkExists(options.configDir, link);
  const pid = runningWorkerPid(options.stateDir, link);
  if (pid === undefined) {
    throw new InvalidStateError(`worker for cluster link "${link}" is not running`, {
      suggestion: `Start it with \`clink worker start ${link}\`, or see every worker with \`clink worker status\`.`,
    });
  }
  signal(pid, 'SIGTERM');
  try {
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: options.timeoutMs ?? 15_000, intervalMs: 50, message: 'still running' });
    return { link, pid, forced: false };
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    await killAndWait(pid, 5_000);
    return { link, pid, forced: true };
  }
}
