/**
 * Reading Kafka's log files: the tail for error messages, and an incremental scan for a readiness
 * line. Invariant: never throws on a missing or growing file (a missing file reads as ''), and the
 * scanner reads each byte about once however large the log grows.
 */
import { open, stat } from 'node:fs/promises';

const MAX_TAIL_BYTES = 256 * 1024;

async function readRange(file: string, from: number, maxBytes: number): Promise<{ text: string; end: number }> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(from, size - maxBytes, 0);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return { text: buffer.toString('utf8'), end: size };
    } finally {
      await handle.close();
    }
  } catch {
    return { text: '', end: from };
  }
}

/** The last `lines` lines of `file`. */
export async function readTail(file: string, lines: number): Promise<string> {
  const { text } = await readRange(file, 0, MAX_TAIL_BYTES);
  return text.replace(/\n$/, '').split('\n').slice(-lines).join('\n');
}

/** The file's size in bytes, 0 if it is missing. */
export async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

/** Returns a function that resolves true once `needle` has appeared in `file` after byte `from`. */
export function createLogScanner(file: string, needle: string, from = 0): () => Promise<boolean> {
  let offset = from;
  let carry = '';
  let found = false;
  return async () => {
    if (found) return true;
    const { text, end } = await readRange(file, offset, Number.MAX_SAFE_INTEGER);
    offset = end;
    const window = carry + text;
    found = window.includes(needle);
    carry = window.slice(-needle.length);
    return found;
  };
}
