import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireWorkerLock, readLockOwner, WorkerLockHeldError } from './lock.js';
import { isProcessAlive } from './pid.js';

const lockIn = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clink-lock-')), 'worker.lock');

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(child.stdout.toString());
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

const alive = { isOwnerAlive: isProcessAlive };

describe('worker lock', () => {
  it('is exclusive while held and free again once released', () => {
    const file = lockIn();
    const lock = acquireWorkerLock(file, 'dr-link', alive);
    expect(readLockOwner(file)).toBe(process.pid);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    const other = process.ppid; // a live process that is not us
    expect(() => acquireWorkerLock(file, 'dr-link', { ...alive, pid: other })).toThrow(WorkerLockHeldError);
    try {
      acquireWorkerLock(file, 'dr-link', { ...alive, pid: other });
    } catch (error) {
      expect((error as WorkerLockHeldError).ownerPid).toBe(process.pid);
      expect((error as Error).message).toBe(`worker for cluster link "dr-link" is already running (pid ${process.pid})`);
    }
    lock.release();
    lock.release(); // idempotent
    expect(fs.existsSync(file)).toBe(false);
    acquireWorkerLock(file, 'dr-link', { ...alive, pid: other }).release();
  });

  it('takes over a lock whose owner is dead, or unreadable', () => {
    const file = lockIn();
    fs.writeFileSync(file, `${deadPid()}\n`);
    const lock = acquireWorkerLock(file, 'dr-link', alive);
    expect(readLockOwner(file)).toBe(process.pid);
    lock.release();
    fs.writeFileSync(file, 'garbage');
    acquireWorkerLock(file, 'dr-link', alive).release();
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('by default, treats a live pid that is not a worker for the link as stale (a recycled pid)', () => {
    const file = lockIn();
    fs.writeFileSync(file, `${process.ppid}\n`); // alive, but its command line names no worker for "dr-link"
    const lock = acquireWorkerLock(file, 'dr-link');
    expect(readLockOwner(file)).toBe(process.pid);
    lock.release();
  });

  it('never removes a lock that is no longer its own', () => {
    const file = lockIn();
    const lock = acquireWorkerLock(file, 'dr-link', alive);
    fs.rmSync(file);
    fs.writeFileSync(file, '12345\n'); // someone else's lock now
    lock.release();
    expect(fs.readFileSync(file, 'utf8')).toBe('12345\n');
  });

  it('leaves a stale lock alone while another process is breaking it', () => {
    const file = lockIn();
    fs.writeFileSync(file, `${deadPid()}\n`);
    fs.mkdirSync(`${file}.break`); // a breaker that is working right now
    expect(() => acquireWorkerLock(file, 'dr-link', alive)).toThrow(/cannot take the lock/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.break`, old, old); // ... or died while breaking, a minute ago
    acquireWorkerLock(file, 'dr-link', alive).release();
  });
});
