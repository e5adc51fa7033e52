/**
 * A cross-process mutex on one machine: a lock directory created by an atomic rename of a
 * directory that already holds the owner's pid. Used so that concurrent callers (the vitest global
 * setup, `npm run clusters`, several test runs) never run mvn or format the storage template at once.
 * Invariant: at most one live process holds a given lock; a lock whose owner died is broken by
 * renaming it aside (atomic), never by deleting it in place.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { waitFor } from '../util/wait-for.js';
import { isProcessAlive } from './processes.js';

export interface LockOptions {
  /** How long to wait for another holder; default 10 minutes (a first mvn download). */
  timeoutMs?: number;
}

async function tryAcquire(lockDir: string): Promise<boolean> {
  const staging = `${lockDir}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'owner'), String(process.pid));
  try {
    await rename(staging, lockDir);
    return true;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

async function breakIfStale(lockDir: string): Promise<void> {
  const owner = Number(await readFile(join(lockDir, 'owner'), 'utf8').catch(() => 'NaN'));
  if (Number.isNaN(owner) || isProcessAlive(owner)) return;
  const aside = `${lockDir}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  await rename(lockDir, aside).catch(() => undefined);
  await rm(aside, { recursive: true, force: true });
}

export async function withLock<T>(lockDir: string, body: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  await mkdir(dirname(lockDir), { recursive: true });
  await waitFor(
    async () => {
      if (await tryAcquire(lockDir)) return true;
      await breakIfStale(lockDir);
      return false;
    },
    { timeoutMs: options.timeoutMs ?? 600_000, intervalMs: 250, message: `lock ${lockDir} is still held by another process` },
  );
  try {
    return await body();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
