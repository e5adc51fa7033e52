/**
 * Questions about a process by pid, for processes this one may not have spawned. Invariant: a
 * zombie counts as dead, and on Linux a pid only counts as a link's worker when its command line
 * names that link, so a recycled pid is never mistaken for (and never signalled as) a worker.
 */
import fs from 'node:fs';

/** True while the process exists and is not a zombie (EPERM: exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true;
  }
}

/** The process's arguments (Linux /proc), or undefined where that cannot be read. */
function argumentsOf(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Alive, and (where the command line is readable) a clink worker for `link`: `entry.js --link <link>` or `worker run <link>`. */
export function isWorkerProcess(pid: number, link: string): boolean {
  if (!isProcessAlive(pid)) return false;
  const args = argumentsOf(pid);
  if (args === undefined) return true;
  return args.includes(link) && args.some((a) => /worker/.test(a));
}
