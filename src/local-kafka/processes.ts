/**
 * Process inspection and termination by pid, for JVMs this process may not have spawned itself.
 * Invariant: nothing here signals a pid unless the caller's identity check (`commandLineOf`
 * contains the expected text) passes or the caller spawned it; ESRCH counts as "already gone".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while the process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The full command line, or undefined if the process is gone. */
export function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

/** Process start time in clock ticks since boot (Linux), used to detect pid reuse. */
export function startTimeOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM, wait up to graceMs, then SIGKILL and wait until the process is gone. Says which it took. */
export async function terminateProcess(pid: number, graceMs = 5000): Promise<'terminated' | 'killed'> {
  signalProcess(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(50);
  if (!isProcessAlive(pid)) return 'terminated';
  signalProcess(pid, 'SIGKILL');
  const killDeadline = Date.now() + 10_000;
  while (isProcessAlive(pid) && Date.now() < killDeadline) await sleep(20);
  return 'killed';
}
