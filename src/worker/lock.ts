/**
 * One worker per link: an exclusive lock file holding the owner's pid, taken for the worker's whole
 * lifetime. Invariants: the lock file appears atomically with its content (written to a temporary
 * file, then hard-linked into place, which fails if the lock exists), so nobody ever reads a lock
 * without a pid; a lock whose owner is dead is stale and is removed only under a short-lived
 * `.break` directory, and only if it still holds the very content judged stale; release removes the
 * lock only while it is still ours.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { ConflictError } from '../core/errors.js';
import { isWorkerProcess } from './pid.js';

/** A `.break` directory older than this was left by a process that died while breaking a lock. */
const BREAKER_STALE_MS = 10_000;

export interface WorkerLock {
  readonly pid: number;
  release(): void;
}

/** Another live process holds the link's lock. */
export class WorkerLockHeldError extends ConflictError {
  constructor(
    readonly link: string,
    readonly ownerPid: number,
  ) {
    super(`worker for cluster link "${link}" is already running (pid ${ownerPid})`, {
      suggestion: `Stop it first with \`clink worker stop ${link}\`, or see its state with \`clink worker status ${link}\`.`,
      context: { pid: ownerPid },
    });
  }
}

export interface LockOptions {
  pid?: number;
  /** Whether the recorded owner still holds the lock; default: a live worker process for the link. */
  isOwnerAlive?: (pid: number) => boolean;
}

function readContent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parsePid(content: string): number {
  const pid = Number(content.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : NaN;
}

/** The pid recorded in the lock, or undefined when there is no lock (or it is unreadable). */
export function readLockOwner(lockPath: string): number | undefined {
  const content = readContent(lockPath);
  if (content === undefined) return undefined;
  const pid = parsePid(content);
  return Number.isNaN(pid) ? undefined : pid;
}

function tryCreate(lockPath: string, content: string): boolean {
  const tmp = `${lockPath}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  try {
    fs.linkSync(tmp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Removes the lock if it still holds `staleContent`; gives up quietly while another process breaks it. */
function breakStale(lockPath: string, staleContent: string): void {
  const breaker = `${lockPath}.break`;
  try {
    fs.mkdirSync(breaker);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = Date.now() - (fs.statSync(breaker, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > BREAKER_STALE_MS) fs.rmSync(breaker, { recursive: true, force: true });
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // another process is breaking it: give it 5 ms
    return;
  }
  try {
    if (readContent(lockPath) === staleContent) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.rmSync(breaker, { recursive: true, force: true });
  }
}

/** Takes the link's lock or throws WorkerLockHeldError naming the live owner. */
export function acquireWorkerLock(lockPath: string, link: string, options: LockOptions = {}): WorkerLock {
  const pid = options.pid ?? process.pid;
  const isOwnerAlive = options.isOwnerAlive ?? ((owner: number) => isWorkerProcess(owner, link));
  const content = `${pid}\n`;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (tryCreate(lockPath, content)) return heldLock(lockPath, pid, content);
    const existing = readContent(lockPath);
    if (existing === undefined) continue;
    const owner = parsePid(existing);
    if (owner === pid) throw new WorkerLockHeldError(link, owner);
    if (!Number.isNaN(owner) && isOwnerAlive(owner)) throw new WorkerLockHeldError(link, owner);
    breakStale(lockPath, existing);
  }
  const owner = readLockOwner(lockPath);
  throw new ConflictError(`cannot take the lock of the worker for cluster link "${link}"${owner ? ` (held by pid ${owner})` : ''}`, {
    suggestion: `Check \`clink worker status ${link}\`; if no worker runs, remove "${lockPath}" and try again.`,
  });
}

function heldLock(lockPath: string, pid: number, content: string): WorkerLock {
  let released = false;
  return {
    pid,
    release() {
      if (released) return;
      released = true;
      if (readContent(lockPath) === content) fs.rmSync(lockPath, { force: true });
    },
  };
}
