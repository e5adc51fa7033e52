/**
 * Reading a worker's log from the CLI: the last lines, and following new lines as they are written.
 * Invariants: never throws on a missing, growing or rotated file (missing reads as no lines); reads
 * at most the last 1 MiB for a tail; a follower only hands on complete lines, and starts again from
 * the top of a file that was rotated (new inode) or truncated.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const MAX_TAIL_BYTES = 1024 * 1024;

function readRange(file: string, start: number, end: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, end - start));
    const read = fs.readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The size of the file now (0 when missing): pass it as `fromOffset` to read only what comes after. */
export function logSize(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/** The last `lines` complete lines of the file, from `fromOffset` on (ignored if the file is now smaller). */
export function readLogTail(file: string, lines: number, fromOffset = 0): string[] {
  try {
    const size = logSize(file);
    const from = fromOffset > size ? 0 : fromOffset;
    const start = Math.max(from, size - MAX_TAIL_BYTES);
    let text = readRange(file, start, size);
    if (start > from) text = text.slice(text.indexOf('\n') + 1); // drop a partial first line
    const all = text.split('\n');
    if (all.at(-1) === '') all.pop();
    return lines <= 0 ? [] : all.slice(-lines);
  } catch {
    return [];
  }
}

export interface FollowOptions {
  /** Called with complete lines, each ending in a newline. */
  onText: (text: string) => void;
  signal: AbortSignal;
  /** Where to start: the current end of the file by default. */
  fromOffset?: number;
  intervalMs?: number;
}

/** Hands every line appended to the file to onText until the signal aborts. */
export async function followLog(file: string, options: FollowOptions): Promise<void> {
  let identity = fs.statSync(file, { throwIfNoEntry: false })?.ino;
  let offset = options.fromOffset ?? logSize(file);
  let carry = '';
  while (!options.signal.aborted) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && (stat.ino !== identity || stat.size < offset)) {
      identity = stat.ino;
      offset = 0;
      carry = '';
    }
    if (stat && stat.size > offset) {
      const text = carry + readRange(file, offset, stat.size);
      offset = stat.size;
      const end = text.lastIndexOf('\n') + 1;
      carry = text.slice(end);
      if (end > 0) options.onText(text.slice(0, end));
    }
    await sleep(options.intervalMs ?? 250, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
